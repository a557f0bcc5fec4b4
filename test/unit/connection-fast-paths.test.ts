/**
 * The connection's bulk paths: a batch framed into one datagram, its messages numbered in one
 * block with an entry made only for those a reply names, and no timers, which keeps reading
 * after an overrun (ENOBUFS) so the replies still
 * queued — a commit confirmation among them — are not lost; and dumps handed over message by
 * message as they arrive (`onMessage`), or as bytes (`onBody`), restarted cleanly on
 * NLM_F_DUMP_INTR.
 */
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { describe, expect, it } from 'vitest';
import { Connection, type OutgoingMessage } from '../../src/netlink/connection.js';
import { NlmFlags } from '../../src/netlink/constants.js';
import { BatchOutcomeUnknownError, DumpInterruptedError, NetlinkError, NetnsError, OutcomeUnknownError, TimeoutError } from '../../src/netlink/errors.js';
import type { NetlinkMessage } from '../../src/netlink/message.js';
import { FakeKernel, datagram } from '../../src/netlink/testing/index.js';

const RTM_NEWLINK = 16;
const getLink = { type: 18, typeName: 'RTM_GETLINK', payload: new Uint8Array(16) };
const BEGIN = 0x10;
const END = 0x11;
const batchOf = (commands: number): OutgoingMessage[] => [
  { type: BEGIN, payload: new Uint8Array(4) },
  ...Array.from({ length: commands }, (_, i) => ({ type: 0xa06, flags: i === 1 ? NlmFlags.NLM_F_ACK : 0, payload: Uint8Array.of(i, 0, 0, 0) })),
  { type: END, flags: NlmFlags.NLM_F_ACK, payload: new Uint8Array(4) },
];

describe('batches', () => {
  it('frames every message in one datagram, each with its own header and seq, and leaves nothing pending', async () => {
    const kernel = new FakeKernel((m, k) => (m.flags & NlmFlags.NLM_F_ACK ? k.ack(m) : undefined));
    const conn = new Connection(kernel);
    const msgs = batchOf(3);
    const out = await conn.batch(msgs);
    expect(kernel.sent).toHaveLength(1);
    expect(kernel.received.map((m) => [m.type, m.flags, m.payload[0]])).toEqual(
      msgs.map((m) => [m.type, (m.flags ?? 0) | NlmFlags.NLM_F_REQUEST, m.payload[0]]),
    );
    expect(out.map((o) => o.status)).toEqual(['silent', 'silent', 'acked', 'silent', 'acked']);
    expect(kernel.active).toBe(false);
    // A late reply to a finished batch is unmatched, not delivered to anyone.
    kernel.inject(kernel.ack(kernel.received[1]!));
    await new Promise((r) => setImmediate(r));
    expect(conn.stats.unmatched).toBe(1);
  });

  it('numbers the messages consecutively, and a message answered without an ack keeps what it got', async () => {
    // An echo (as NLM_F_ECHO gets) to the second command, and no ack for it.
    const kernel = new FakeKernel((m, k) => {
      if (m.payload[0] === 1 && m.type !== BEGIN) return k.part(m, 0xa06, Uint8Array.of(9, 0, 0, 0));
      return m.type === END ? k.ack(m) : undefined;
    });
    const conn = new Connection(kernel);
    const msgs = batchOf(3).map((m) => ({ ...m, flags: (m.flags ?? 0) & ~NlmFlags.NLM_F_ACK | (m.type === END ? NlmFlags.NLM_F_ACK : 0) }));
    const out = await conn.batch(msgs);
    const seqs = kernel.received.map((m) => m.seq);
    expect(seqs.map((s) => s - seqs[0]!)).toEqual([0, 1, 2, 3, 4]);
    expect(out.map((o) => [o.status, o.seq, o.messages.map((m) => m.payload[0])])).toEqual([
      ['silent', seqs[0], []],
      ['silent', seqs[1], []],
      ['silent', seqs[2], [9]],
      ['silent', seqs[3], []],
      ['acked', seqs[4], []],
    ]);
    expect(kernel.active).toBe(false);
    expect(conn.stats.unmatched).toBe(0);
  });

  it('fails as a whole when reading its replies fails, whether or not any reply came', async () => {
    for (const answered of [false, true]) {
      const kernel = new FakeKernel((m, k) => {
        if (m.type === BEGIN) k.readFails('EIO');
        return answered && m.flags & NlmFlags.NLM_F_ACK ? k.ack(m) : undefined;
      });
      const conn = new Connection(kernel);
      const err = await conn.batch(batchOf(2)).catch((e) => e);
      expect(err).toBeInstanceOf(NetnsError);
      expect(err.message).toMatch(/receive failed: EIO/);
    }
  });

  it('after ENOBUFS, reads what is still queued and reports it with the overrun', async () => {
    // The replies before the overrun are dropped; BATCH_END's ack (the commit) comes after it.
    const kernel = new FakeKernel((m, k) => {
      if (m.type === END) return k.ack(m);
      if (m.flags & NlmFlags.NLM_F_ACK) {
        k.overrunQueued();
        return undefined;
      }
      return m.type === BEGIN ? undefined : k.ack(m);
    });
    const conn = new Connection(kernel);
    const err = await conn.batch(batchOf(3)).catch((e) => e);
    expect(err).toBeInstanceOf(BatchOutcomeUnknownError);
    expect(err).toBeInstanceOf(OutcomeUnknownError);
    expect(err.outcomes.map((o: { status?: string } | undefined) => o?.status)).toEqual([undefined, undefined, undefined, 'acked', 'acked']);
    expect(conn.stats.overruns).toBe(1);
    expect(conn.stats.unmatched).toBe(0);
  });

  it('a failure read after the overrun is among the outcomes', async () => {
    const kernel = new FakeKernel((m, k) => {
      if (m.type === BEGIN) {
        k.overrunQueued();
        return undefined;
      }
      return m.payload[0] === 2 ? k.error(m, 2, { message: 'No such chain' }) : undefined;
    });
    const conn = new Connection(kernel);
    const err = (await conn.batch(batchOf(3)).catch((e) => e)) as BatchOutcomeUnknownError;
    const failed = err.outcomes[3];
    expect(failed?.status).toBe('failed');
    expect(failed?.status === 'failed' && failed.error).toBeInstanceOf(NetlinkError);
  });

  it('an overrun also fails the other requests in flight, as before', async () => {
    const kernel = new FakeKernel((m, k) => {
      if (m.type === END) k.overrunQueued();
      return undefined;
    });
    const conn = new Connection(kernel);
    const pending = conn.request({ type: RTM_NEWLINK, payload: new Uint8Array(16) }).catch((e) => e);
    await conn.batch(batchOf(1)).catch(() => undefined);
    expect(await pending).toBeInstanceOf(OutcomeUnknownError);
  });
});

describe('streaming dumps', () => {
  const part = (k: FakeKernel, m: NetlinkMessage, n: number, intr = false) =>
    k.part(m, RTM_NEWLINK, Uint8Array.of(0, 0, 0, 0, n, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0), intr ? NlmFlags.NLM_F_DUMP_INTR : 0);

  it('hands each reply over as its datagram arrives and keeps none', async () => {
    const seen: number[] = [];
    const kernel = new FakeKernel((m, k) => [datagram(part(k, m, 1), part(k, m, 2)), datagram(part(k, m, 3), k.done(m))]);
    const conn = new Connection(kernel);
    const kept = await conn.dump(getLink, { onMessage: (m) => seen.push(m.payload[4]!) });
    expect(seen).toEqual([1, 2, 3]);
    expect(kept).toEqual([]);
  });

  it('keeps handing replies over in order when onMessage sends a request (its answer is read after them)', async () => {
    const seen: string[] = [];
    const kernel = new FakeKernel((m, k) => (m.flags & NlmFlags.NLM_F_DUMP ? [datagram(part(k, m, 1), part(k, m, 2)), datagram(part(k, m, 3), k.done(m))] : k.ack(m)));
    const conn = new Connection(kernel);
    let answered: Promise<unknown> | undefined;
    await conn.dump(getLink, {
      onMessage: (m) => {
        seen.push(`part ${m.payload[4]!}`);
        answered ??= conn.request({ type: RTM_NEWLINK, payload: new Uint8Array(16) }).then(() => seen.push('answer'));
      },
    });
    await answered;
    expect(seen).toEqual(['part 1', 'part 2', 'part 3', 'answer']);
  });

  it('says when an interrupted dump starts over, and the second run is handed over whole', async () => {
    let calls = 0;
    const seen: number[] = [];
    let restarts = 0;
    const kernel = new FakeKernel((m, k) => (++calls === 1 ? [datagram(part(k, m, 1, true), k.done(m))] : [datagram(part(k, m, 7), k.done(m))]));
    const conn = new Connection(kernel);
    await conn.dump(getLink, {
      onMessage: (m) => seen.push(m.payload[4]!),
      onRestart: () => {
        restarts++;
        seen.length = 0;
      },
    });
    expect(restarts).toBe(1);
    expect(seen).toEqual([7]);
  });

  it('without onRestart, an interrupted streaming dump is a DumpInterruptedError', async () => {
    const kernel = new FakeKernel((m, k) => [datagram(part(k, m, 1, true), k.done(m))]);
    const conn = new Connection(kernel);
    const err = await conn.dump(getLink, { onMessage: () => {} }).catch((e) => e);
    expect(err).toBeInstanceOf(DumpInterruptedError);
  });

  it('an exception in onMessage fails the dump; the rest is drained and the next dump runs', async () => {
    const kernel = new FakeKernel((m, k) => [datagram(part(k, m, 1)), datagram(part(k, m, 2), k.done(m))]);
    const conn = new Connection(kernel);
    const err = await conn.dump(getLink, { onMessage: () => { throw new Error('cannot use this'); } }).catch((e) => e);
    expect(err.message).toBe('cannot use this');
    await expect(conn.dump(getLink)).resolves.toHaveLength(2);
    expect(conn.stats.unmatched).toBe(0);
  });
});

describe('dumps handed over as bytes (onBody)', () => {
  const part = (k: FakeKernel, m: NetlinkMessage, n: number, intr = false) =>
    k.part(m, RTM_NEWLINK, Uint8Array.of(0, 0, 0, 0, n, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, n), intr ? NlmFlags.NLM_F_DUMP_INTR : 0);
  type Body = { bytes: Uint8Array; start: number; end: number; type: number; flags: number };
  const collect = (out: Body[]) => (bytes: Uint8Array, start: number, end: number, type: number, flags: number) => out.push({ bytes, start, end, type, flags });

  it('hands over exactly the bodies, types, flags and offsets a collecting dump returns', async () => {
    const replies = (m: NetlinkMessage, k: FakeKernel) => [datagram(part(k, m, 1), part(k, m, 2)), datagram(part(k, m, 3), k.part(m, 0x55, Uint8Array.of(9, 9, 9)), k.done(m))];
    const collected = await new Connection(new FakeKernel(replies)).dump(getLink);
    const bodies: Body[] = [];
    const kept = await new Connection(new FakeKernel(replies)).dump(getLink, { onBody: collect(bodies) });
    expect(kept).toEqual([]);
    expect(bodies.map((b) => ({ payload: b.bytes.slice(b.start, b.end), offset: b.start - 16, type: b.type, flags: b.flags }))).toEqual(
      collected.map((m) => ({ payload: m.payload, offset: m.offset, type: m.type, flags: m.flags })),
    );
    // The datagram itself, not a copy: the one buffer per datagram, never a Buffer (see parseDatagram).
    expect(bodies[0]!.bytes).toBe(bodies[1]!.bytes);
    expect(bodies[0]!.bytes).not.toBe(bodies[2]!.bytes);
    expect(bodies.every((b) => !Buffer.isBuffer(b.bytes))).toBe(true);
  });

  it('once a dump has ended, the open connection keeps none of its datagrams alive', async () => {
    setFlagsFromString('--expose-gc');
    const gc = runInNewContext('gc') as () => void;
    const conn = new Connection(new FakeKernel((m, k) => [datagram(part(k, m, 1), part(k, m, 2)), datagram(part(k, m, 3), k.done(m))]));
    // The bodies kept as the typed listings keep them until the dump ends (dump-decoded.ts),
    // by the dump's own onBody; only weak references leave this function.
    const dumpKeepingBodies = async (): Promise<Array<WeakRef<ArrayBufferLike>>> => {
      const bodies: Uint8Array[] = [];
      await conn.dump(getLink, { onBody: (bytes) => void bodies.push(bytes) });
      return bodies.map((b) => new WeakRef(b.buffer));
    };
    const held = await dumpKeepingBodies();
    expect(held).toHaveLength(3);
    await new Promise((r) => setTimeout(r, 0)); // WeakRef targets live until the current job ends
    gc();
    // (The request's timeout, 10 s, has not passed: its cancelled deadline is still queued.)
    expect(held.filter((r) => r.deref() !== undefined)).toHaveLength(0);
    conn.close();
  });

  it('a Buffer datagram is handed over as a plain view of the same memory', async () => {
    const kernel = new FakeKernel((m, k) => [Buffer.from(datagram(part(k, m, 4), k.done(m)))]);
    const bodies: Body[] = [];
    await new Connection(kernel).dump(getLink, { onBody: collect(bodies) });
    expect(bodies).toHaveLength(1);
    expect(Buffer.isBuffer(bodies[0]!.bytes)).toBe(false);
    expect(bodies[0]!.bytes[bodies[0]!.start + 4]).toBe(4);
  });

  it('an error at the end of the dump fails it with the kernel\'s errno', async () => {
    const kernel = new FakeKernel((m, k) => [datagram(part(k, m, 1), k.error(m, 22))]);
    const err = await new Connection(kernel).dump(getLink, { onBody: () => {} }).catch((e) => e);
    expect(err).toBeInstanceOf(NetlinkError);
    expect(err.code).toBe('EINVAL');
  });

  it('restarts an interrupted dump with onRestart, and fails it without', async () => {
    let calls = 0;
    const kernel = new FakeKernel((m, k) => (++calls === 1 ? [datagram(part(k, m, 1, true), k.done(m))] : [datagram(part(k, m, 7), k.done(m))]));
    const bodies: Body[] = [];
    let restarts = 0;
    await new Connection(kernel).dump(getLink, { onBody: collect(bodies), onRestart: () => { restarts++; bodies.length = 0; } });
    expect(restarts).toBe(1);
    expect(bodies.map((b) => b.bytes[b.start + 4])).toEqual([7]);
    const always = new FakeKernel((m, k) => [datagram(part(k, m, 1, true), k.done(m))]);
    await expect(new Connection(always).dump(getLink, { onBody: () => {} })).rejects.toBeInstanceOf(DumpInterruptedError);
  });

  it('an exception in onBody fails the dump; the rest is drained and the next dump runs', async () => {
    const kernel = new FakeKernel((m, k) => [datagram(part(k, m, 1)), datagram(part(k, m, 2), k.done(m))]);
    const conn = new Connection(kernel);
    const err = await conn.dump(getLink, { onBody: () => { throw new Error('cannot use this'); } }).catch((e) => e);
    expect(err.message).toBe('cannot use this');
    await expect(conn.dump(getLink)).resolves.toHaveLength(2);
    expect(conn.stats.unmatched).toBe(0);
  });

  it('a datagram holding another sequence number takes the general path: each message goes where it belongs', async () => {
    // The request goes unanswered when sent; its ack comes in the dump's first datagram.
    const kernel: FakeKernel = new FakeKernel((m, k) => {
      if (!(m.flags & NlmFlags.NLM_F_DUMP)) return undefined;
      const request = kernel.received.find((r) => !(r.flags & NlmFlags.NLM_F_DUMP))!;
      return [datagram(part(k, m, 1), k.ack(request)), datagram(part(k, m, 2), k.done(m))];
    });
    const conn = new Connection(kernel);
    const answered = conn.request({ type: RTM_NEWLINK, payload: new Uint8Array(16) });
    const bodies: Body[] = [];
    await conn.dump(getLink, { onBody: collect(bodies) });
    await expect(answered).resolves.toBeDefined();
    // Read through the datagram at the offsets given, as the fast path hands them over.
    expect(bodies.map((b) => [b.start, b.end - b.start, b.bytes[b.start + 4], b.bytes[b.end - 1]])).toEqual([[16, 16, 1, 1], [16, 16, 2, 2]]);
    expect(conn.stats.unmatched).toBe(0);
  });

  it('a malformed datagram is dropped and counted, never handed over in part', async () => {
    const kernel = new FakeKernel((m, k) => {
      const whole = datagram(part(k, m, 1), part(k, m, 2));
      // The second message claims more bytes than the datagram has.
      new DataView(whole.buffer, whole.byteOffset).setUint32(32, 4096, true);
      return [whole];
    });
    const conn = new Connection(kernel, { timeoutMs: 50 });
    const bodies: Body[] = [];
    await expect(conn.dump(getLink, { onBody: collect(bodies) })).rejects.toBeInstanceOf(TimeoutError);
    expect(bodies).toEqual([]);
    expect(conn.stats.malformed).toBe(1);
  });
});

describe('requests answered at once', () => {
  it('are read as soon as they are sent, without waiting for the event loop, and then nothing keeps the process alive', async () => {
    const kernel = new FakeKernel();
    const conn = new Connection(kernel);
    let loopTurned = false;
    setImmediate(() => (loopTurned = true));
    const answer = conn.request(getLink);
    // It leaves when this run of JavaScript ends (outbox.ts); the kernel answers within
    // sendmsg (the fake within send), and the answer is read right then: nothing pending.
    await Promise.resolve();
    expect(kernel.received).toHaveLength(1);
    expect(kernel.active).toBe(false);
    await answer;
    expect(loopTurned).toBe(false);
  });

  it('and so are dumps: the parts the kernel has queued are read at once', async () => {
    const kernel = new FakeKernel((m, k) => [datagram(k.part(m, RTM_NEWLINK, new Uint8Array(16)), k.part(m, RTM_NEWLINK, new Uint8Array(16))), datagram(k.done(m))]);
    const conn = new Connection(kernel);
    let loopTurned = false;
    setImmediate(() => (loopTurned = true));
    const replies = await conn.dump(getLink);
    expect(replies).toHaveLength(2);
    expect(loopTurned).toBe(false);
    expect(kernel.active).toBe(false);
  });

  it('keep the process alive while unanswered', async () => {
    const kernel = new FakeKernel(() => undefined);
    const conn = new Connection(kernel, { timeoutMs: 20 });
    const answer = conn.request(getLink);
    // Once it has left (when this run of JavaScript ends: outbox.ts) with no answer to read.
    await Promise.resolve();
    expect(kernel.received).toHaveLength(1);
    expect(kernel.active).toBe(true);
    await expect(answer).rejects.toBeInstanceOf(TimeoutError);
    expect(kernel.active).toBe(false);
  });

  it('sent from a full window while replies are being delivered, are answered in order with their own replies', async () => {
    // Each request is answered with a message carrying its number, then the ack. The window
    // holds one: every request but the first is let through while the previous one's ack is
    // being delivered, and leaves (and is read) once that delivery is over.
    const answer = (m: NetlinkMessage, k: FakeKernel) => [datagram(k.reply(m, RTM_NEWLINK, m.payload.slice()), k.ack(m))];
    // The first request is answered later, so the others queue behind it.
    let first: NetlinkMessage | undefined;
    const kernel = new FakeKernel((m, k) => (first === undefined ? ((first = m), undefined) : answer(m, k)));
    const conn = new Connection(kernel, { maxInFlight: 1 });
    const numbers = Array.from({ length: 20_000 }, (_, n) => n);
    const pending = Promise.all(numbers.map((n) => conn.request({ ...getLink, payload: new Uint8Array(Uint32Array.of(n).buffer) })));
    await Promise.resolve(); // the first leaves when this run of JavaScript ends (outbox.ts)
    for (const d of answer(first!, kernel)) kernel.inject(d);
    const answers = await pending;
    const numberOf = (payload: Uint8Array) => new DataView(payload.buffer, payload.byteOffset).getUint32(0, true);
    expect(answers.map((messages) => messages.map((m) => numberOf(m.payload)))).toEqual(numbers.map((n) => [n]));
    expect(kernel.received.map((m) => numberOf(m.payload))).toEqual(numbers);
    expect(kernel.active).toBe(false);
  });
});
