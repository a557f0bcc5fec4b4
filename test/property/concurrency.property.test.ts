import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { Connection } from '../../src/netlink/connection.js';
import { NlmFlags } from '../../src/netlink/constants.js';
import type { NetlinkMessage } from '../../src/netlink/message.js';
import { FakeKernel, datagram } from '../../src/netlink/testing/index.js';

const GET = 18;
const REPLY = 16;

/** A payload that carries a tag, so each answer can be checked against its question. */
const tagged = (tag: number) => Uint8Array.of(tag & 0xff, (tag >> 8) & 0xff, 0, 0);
const tagOf = (m: NetlinkMessage) => m.payload[0]! | (m.payload[1]! << 8);

describe('one connection, many requests at once (property)', () => {
  it('20 concurrent requests plus two concurrent dumps all resolve with their own answers, whatever the reply order', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(fc.nat(), { minLength: 64, maxLength: 64 }), fc.boolean(), async (order, forged) => {
        const held: Array<{ data: Uint8Array; port: number; done?: boolean }> = [];
        let dumpActive = false;
        let overlaps = 0;
        const kernel = new FakeKernel((m, k) => {
          const tag = tagOf(m);
          if (m.flags & NlmFlags.NLM_F_DUMP) {
            // The kernel allows one dump per socket and answers EBUSY otherwise.
            if (dumpActive) {
              overlaps++;
              return k.error(m, 16);
            }
            dumpActive = true;
            const parts = [1, 2, 3].map((i) => k.part(m, REPLY, tagged(tag * 10 + i)));
            held.push({ data: datagram(parts[0]!, parts[1]!), port: 0 }, { data: datagram(parts[2]!, k.done(m)), port: 0, done: true });
            return undefined;
          }
          held.push({ data: datagram(k.reply(m, REPLY, tagged(tag)), k.ack(m)), port: 0 });
          if (forged) held.push({ data: k.error(m, 1), port: 777 });
          return undefined;
        });
        const conn = new Connection(kernel);
        const requests = Array.from({ length: 20 }, (_, i) => conn.request({ type: GET, payload: tagged(100 + i) }));
        const dumps = [conn.dump({ type: GET, payload: tagged(1) }), conn.dump({ type: GET, payload: tagged(2) })];
        let settled = false;
        let forgedInjected = 0;
        const all = Promise.all([Promise.all(requests), Promise.all(dumps)]).finally(() => (settled = true));
        // Release held replies in a generated order; dump datagrams keep their own order.
        for (let step = 0; !settled && step < 10_000; step++) {
          await new Promise((r) => setImmediate(r));
          if (held.length === 0) continue;
          const firstDump = held.findIndex((h) => h.port === 0 && h.data[4] === REPLY && (h.data[6]! & NlmFlags.NLM_F_MULTI) !== 0);
          let pick = order[step % order.length]! % held.length;
          const pickIsDump = (held[pick]!.data[6]! & NlmFlags.NLM_F_MULTI) !== 0;
          if (pickIsDump && firstDump >= 0) pick = firstDump;
          const [h] = held.splice(pick, 1);
          if (h!.done) dumpActive = false;
          if (h!.port !== 0) forgedInjected++;
          kernel.inject(h!.data, { port: h!.port });
        }
        const [answers, [d1, d2]] = await all;
        answers.forEach((msgs, i) => expect(msgs.map(tagOf)).toEqual([100 + i]));
        expect(d1!.map(tagOf)).toEqual([11, 12, 13]);
        expect(d2!.map(tagOf)).toEqual([21, 22, 23]);
        expect(overlaps).toBe(0);
        await new Promise((r) => setImmediate(r));
        expect(conn.stats.foreignDropped).toBe(forgedInjected);
        if (!forged) expect(forgedInjected).toBe(0);
        const seqs = kernel.received.map((m) => m.seq);
        expect(new Set(seqs).size).toBe(seqs.length);
      }),
      { numRuns: 300 },
    );
  });
});
