/**
 * Reading leaves the event loop its turns (read-turn.ts, SocketTransport): a loop awaiting one
 * request after another lets a timer run, and replies left for a later turn all still arrive,
 * in order — a dump's datagrams and the acks of requests started all at once.
 */
import { afterAll, beforeAll, expect, it } from 'vitest';
import { mayReadThisTurn, READ_TURN_BUDGET_MS, READS_PER_CLOCK_LOOK } from '../../src/netlink/read-turn.js';
import { Links } from '../../src/route/links.js';
import { connectInNetns } from '../../src/netns/connect.js';
import { createNetns, deleteNetns } from '../../src/netns/index.js';
import { addBridges, ipLinkNames } from './faults/helpers.js';
import { describeKernel, guardThreadNetns, randomName } from './sandbox.js';
import { spin } from '../helpers/spin.js';

const T = 60_000;

describeKernel('reading in turns of the event loop', () => {
  guardThreadNetns();
  const ns = randomName('turn');
  beforeAll(() => {
    createNetns(ns);
    // 80 bridges: a link dump of several datagrams.
    addBridges(ns, 't', 80);
  });
  afterAll(() => deleteNetns(ns));

  it('a loop awaiting requests one after another lets a timer set before it run', async () => {
    const conn = connectInNetns(ns);
    const links = new Links(conn);
    try {
      let fired = false;
      setTimeout(() => (fired = true), 1);
      const start = performance.now();
      let requests = 0;
      // Without turns, this loop would run its whole 3 s and the timer never fire meanwhile.
      while (!fired && performance.now() - start < 3000) {
        await links.get('lo');
        requests++;
      }
      expect(fired).toBe(true);
      expect(requests).toBeGreaterThan(0);
      expect(performance.now() - start).toBeLessThan(1000);
    } finally {
      conn.close();
    }
  }, T);

  it('a dump begun past the budget is read whole, in order, over later turns', async () => {
    const expected = ipLinkNames(ns);
    for (const readAhead of [false, true]) {
      const conn = connectInNetns(ns, { readAhead });
      const links = new Links(conn);
      try {
        const before = await links.list(); // a read: this turn's clock runs from here
        spin(READ_TURN_BUDGET_MS + 5);
        // The clock is looked at every READS_PER_CLOCK_LOOK reads: as many make it look now.
        for (let i = 0; i < READS_PER_CLOCK_LOOK; i++) mayReadThisTurn(false);
        await Promise.resolve();
        const listed = links.list(); // its first datagram is read now, the rest on later turns
        let turns = 0;
        let counting = true;
        const count = (): void => {
          turns++;
          if (counting) setImmediate(count);
        };
        setImmediate(count);
        const names = (await listed).map((l) => l.name);
        counting = false;
        expect(names.slice().sort()).toEqual(expected);
        expect(names).toEqual(before.map((l) => l.name));
        expect(turns).toBeGreaterThan(0);
      } finally {
        conn.close();
      }
    }
  }, T);

  it('past the budget, the answers to a datagram of requests are read right after it leaves, as each alone would be', async () => {
    const conn = connectInNetns(ns);
    const links = new Links(conn);
    try {
      await links.get('lo'); // a read: this turn's clock runs from here
      spin(READ_TURN_BUDGET_MS + 5);
      for (let i = 0; i < READS_PER_CLOCK_LOOK; i++) mayReadThisTurn(false);
      let loopTurned = false;
      setImmediate(() => (loopTurned = true));
      // Five requests, one datagram (outbox.ts), five acks: all read after the send, none
      // left for a later turn of the event loop.
      await Promise.all(['t0', 't1', 't2', 't3', 't4'].map((name) => links.set(name, { alias: `datagram ${name}` })));
      expect(loopTurned).toBe(false);
    } finally {
      conn.close();
    }
  }, T);

  it('requests started all at once past the budget are all answered', async () => {
    const conn = connectInNetns(ns);
    const links = new Links(conn);
    try {
      await links.get('lo');
      spin(READ_TURN_BUDGET_MS + 5);
      const names = Array.from({ length: 80 }, (_, i) => `t${i}`);
      const results = await Promise.all(names.map((name) => links.set(name, { alias: `turn ${name}` }).then(() => links.get(name))));
      expect(results.map((l) => l?.alias)).toEqual(names.map((name) => `turn ${name}`));
    } finally {
      conn.close();
    }
  }, T);
});
