import { readdirSync } from 'node:fs';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { NlmFlags } from '../../../src/netlink/constants.js';
import { createNetns, deleteNetns } from '../../../src/netns/index.js';
import { connectInNetns } from '../../../src/netns/connect.js';
import { describeKernel, guardThreadNetns, randomName } from '../sandbox.js';
import { dumpLinks, linkMessage, RTM_DELLINK, RTM_NEWLINK } from './helpers.js';

const fdCount = () => readdirSync('/proc/self/fd').length;
const T = 120_000;
// The full 1000 cycles take ~40 s (the kernel's per-delete grace period); .ci/run sets NETNS_TS_SLOW=1.
const CYCLES = process.env.NETNS_TS_SLOW === '1' ? 1000 : 100;

describeKernel('churn: resources come back', () => {
  guardThreadNetns();
  const ns = randomName('churn');
  beforeAll(() => createNetns(ns));
  afterAll(() => deleteNetns(ns));

  it(`${CYCLES} open/dump/close cycles: fds back to the baseline, memory flat`, async () => {
    // Warm up (module caches, JIT) before taking the baseline.
    for (let i = 0; i < 50; i++) {
      const c = connectInNetns(ns);
      await dumpLinks(c);
      c.close();
    }
    const fds = fdCount();
    const rss = process.memoryUsage().rss;
    for (let i = 0; i < CYCLES; i++) {
      const c = connectInNetns(ns);
      expect((await dumpLinks(c)).length).toBeGreaterThan(0);
      c.close();
    }
    expect(fdCount()).toBe(fds);
    // Flat: no growth proportional to the cycles (a leak of even 50 KB per cycle would show).
    expect(process.memoryUsage().rss - rss).toBeLessThan(48 * 1024 * 1024);
  }, T);

  it(`${CYCLES} create/delete cycles on one connection: fds back to the baseline`, async () => {
    const c = connectInNetns(ns);
    try {
      const fds = fdCount();
      for (let i = 0; i < CYCLES; i++) {
        await c.request({ ...linkMessage(RTM_NEWLINK, { ifname: 'churn0', linkinfo: { kind: 'bridge' } }), flags: NlmFlags.NLM_F_CREATE | NlmFlags.NLM_F_EXCL });
        await c.request(linkMessage(RTM_DELLINK, { ifname: 'churn0' }));
      }
      expect(fdCount()).toBe(fds);
      expect((await dumpLinks(c)).map((l) => l.name)).toEqual(['lo']);
    } finally {
      c.close();
    }
  }, T);
});
