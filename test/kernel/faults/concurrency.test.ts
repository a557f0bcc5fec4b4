import { afterAll, beforeAll, expect, it } from 'vitest';
import { createNetns, deleteNetns } from '../../../src/netns/index.js';
import { connectInNetns } from '../../../src/netns/connect.js';
import { recordFigure } from '../../helpers/figures.js';
import { describeKernel, randomName } from '../sandbox.js';
import { addBridges, decodeLinks, dumpLinks, ipLinkNames, linkMessage, RTM_GETLINK } from './helpers.js';

describeKernel('fault: many requests and dumps at once on one connection', () => {
  const ns = randomName('conc');
  beforeAll(() => {
    createNetns(ns);
    addBridges(ns, 'c', 100);
  });
  afterAll(() => deleteNetns(ns));

  it('100 concurrent GETs and 5 concurrent dumps all resolve correctly, with no EBUSY', async () => {
    const conn = connectInNetns(ns);
    try {
      const want = ipLinkNames(ns);
      const gets = Array.from({ length: 100 }, (_, i) => conn.request(linkMessage(RTM_GETLINK, { ifname: `c${i}` })));
      const dumps = Array.from({ length: 5 }, () => dumpLinks(conn));
      const [got, dumped] = await Promise.all([Promise.all(gets), Promise.all(dumps)]);
      got.forEach((replies, i) => expect(decodeLinks(replies).map((l) => l.name)).toEqual([`c${i}`]));
      for (const d of dumped) expect(d.map((l) => l.name).sort()).toEqual(want);
      expect(conn.stats.unmatched).toBe(0);
    } finally {
      conn.close();
    }
  });

  it('aborting a dump midway leaves the connection clean for the next one', async () => {
    const ctl = new AbortController();
    let received = 0;
    const conn = connectInNetns(ns, {
      receiveBuffer: 1,
      trace: (dir) => {
        // Abort while the kernel is still producing the dump (after its first datagram).
        if (dir === 'receive' && ++received === 1) ctl.abort();
      },
    });
    try {
      const aborted = await conn.dump({ type: RTM_GETLINK, payload: new Uint8Array(16) }, { signal: ctl.signal }).catch((e: unknown) => e);
      expect((aborted as Error).name).toBe('AbortError');
      const next = await dumpLinks(conn);
      // The abandoned dump's remaining datagrams were drained, not mistaken for the next dump's.
      expect(received).toBeGreaterThan(2);
      expect(next.map((l) => l.name).sort()).toEqual(ipLinkNames(ns));
      expect(conn.stats.unmatched).toBe(0);
    } finally {
      conn.close();
    }
  });
});
