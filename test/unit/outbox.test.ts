/**
 * Requests started in one run of JavaScript leave in one datagram (outbox.ts): each still gets
 * its own reply and error, in the order made; dumps and batches leave alone, after what was
 * held; nothing held is lost to an abort, a close or a failed send.
 */
import { describe, expect, it } from 'vitest';
import { Connection } from '../../src/netlink/connection.js';
import { NlmFlags } from '../../src/netlink/constants.js';
import { AbortError, NetlinkError, NetnsError } from '../../src/netlink/errors.js';
import { parseDatagram, type NetlinkMessage } from '../../src/netlink/message.js';
import { OUTBOX_MAX_BYTES } from '../../src/netlink/outbox.js';
import { FakeKernel } from '../../src/netlink/testing/index.js';

const RTM_NEWLINK = 16;
const RTM_GETLINK = 18;
const EEXIST = 17;
const NFNL_MSG_BATCH_BEGIN = 0x10;

/** A request whose body says which one it is (a u32), `extra` bytes longer. */
const numbered = (n: number, extra = 0) => {
  const payload = new Uint8Array(4 + extra);
  new DataView(payload.buffer).setUint32(0, n, true);
  return { type: RTM_NEWLINK, typeName: 'RTM_NEWLINK', payload };
};
const numberOf = (m: NetlinkMessage) => new DataView(m.payload.buffer, m.payload.byteOffset).getUint32(0, true);
/** The numbers of the requests in each datagram the kernel was sent. */
const datagrams = (kernel: FakeKernel) => kernel.sent.map((d) => parseDatagram(d).map(numberOf));

describe('requests started together', () => {
  it('leave in one datagram, each answered with its own reply, an error in one failing only that one', async () => {
    const kernel = new FakeKernel((m, k) => (numberOf(m) === 2 ? k.error(m, -EEXIST) : [k.reply(m, RTM_NEWLINK, m.payload.slice()), k.ack(m)]));
    const conn = new Connection(kernel);
    const results = await Promise.allSettled([1, 2, 3].map((n) => conn.request(numbered(n))));
    expect(datagrams(kernel)).toEqual([[1, 2, 3]]);
    expect(results[0]).toMatchObject({ status: 'fulfilled' });
    expect(results[2]).toMatchObject({ status: 'fulfilled' });
    expect((results[0] as PromiseFulfilledResult<NetlinkMessage[]>).value.map(numberOf)).toEqual([1]);
    expect((results[2] as PromiseFulfilledResult<NetlinkMessage[]>).value.map(numberOf)).toEqual([3]);
    const failed = (results[1] as PromiseRejectedResult).reason as NetlinkError;
    expect(failed).toBeInstanceOf(NetlinkError);
    expect(failed.errno).toBe(EEXIST);
    // Every message asked for its ack, with its own sequence number.
    expect(new Set(kernel.received.map((m) => m.seq)).size).toBe(3);
    for (const m of kernel.received) expect(m.flags & (NlmFlags.NLM_F_REQUEST | NlmFlags.NLM_F_ACK)).toBe(NlmFlags.NLM_F_REQUEST | NlmFlags.NLM_F_ACK);
    expect(kernel.active).toBe(false);
  });

  it('leave when the run of JavaScript that made them ends, not a turn of the event loop later', async () => {
    const kernel = new FakeKernel();
    const conn = new Connection(kernel);
    let loopTurned = false;
    setImmediate(() => (loopTurned = true));
    const answers = [conn.request(numbered(1)), conn.request(numbered(2))];
    expect(kernel.sent).toHaveLength(0);
    await Promise.all(answers);
    expect(datagrams(kernel)).toEqual([[1, 2]]);
    expect(loopTurned).toBe(false);
  });

  it('frame every message of a long datagram with its own header, datagram after datagram', async () => {
    const kernel = new FakeKernel((m, k) => [k.reply(m, RTM_NEWLINK, m.payload.slice()), k.ack(m)]);
    const conn = new Connection(kernel);
    for (const count of [20, 3, 40]) {
      const numbers = Array.from({ length: count }, (_, n) => 100 * count + n);
      const answers = await Promise.all(numbers.map((n) => conn.request(numbered(n))));
      expect(answers.map((a) => a.map(numberOf))).toEqual(numbers.map((n) => [n]));
      expect(datagrams(kernel).at(-1)).toEqual(numbers);
    }
    expect(new Set(kernel.received.map((m) => m.seq)).size).toBe(63);
  });

  it('start each message 4-aligned whatever the length of the bodies before it', async () => {
    const kernel = new FakeKernel((m, k) => [k.reply(m, RTM_NEWLINK, m.payload.slice()), k.ack(m)]);
    const conn = new Connection(kernel);
    const answers = await Promise.all([1, 2, 3, 4].map((n) => conn.request(numbered(n, n))));
    expect(kernel.sent).toHaveLength(1);
    // parseDatagram (as the kernel) finds each message where the one before it ends, aligned.
    expect(kernel.received.map((m) => [numberOf(m), m.payload.length])).toEqual([[1, 5], [2, 6], [3, 7], [4, 8]]);
    expect(answers.map((a) => a.map((m) => m.payload.length))).toEqual([[5], [6], [7], [8]]);
  });

  it('go in as many datagrams as keep each under OUTBOX_MAX_BYTES, in order', async () => {
    const kernel = new FakeKernel();
    const conn = new Connection(kernel);
    const big = OUTBOX_MAX_BYTES / 4; // four of these (with their headers) overflow one datagram
    await Promise.all(Array.from({ length: 10 }, (_, n) => conn.request(numbered(n, big))));
    expect(datagrams(kernel)).toEqual([[0, 1, 2], [3, 4, 5], [6, 7, 8], [9]]);
    for (const d of kernel.sent) expect(d.length).toBeLessThanOrEqual(OUTBOX_MAX_BYTES);
  });

  it('a datagram holding a whole window leaves at once, its answers freeing the window for the next', async () => {
    const kernel = new FakeKernel();
    const conn = new Connection(kernel, { maxInFlight: 2 });
    const answers = [1, 2, 3, 4, 5].map((n) => conn.request(numbered(n)));
    expect(datagrams(kernel)).toEqual([[1, 2], [3, 4]]);
    await Promise.all(answers);
    expect(datagrams(kernel)).toEqual([[1, 2], [3, 4], [5]]);
  });

  it('a request aborted before its datagram leaves is not sent; the others are', async () => {
    const kernel = new FakeKernel();
    const conn = new Connection(kernel);
    const ctl = new AbortController();
    const first = conn.request(numbered(1));
    const second = conn.request(numbered(2), { signal: ctl.signal });
    const third = conn.request(numbered(3));
    ctl.abort();
    await expect(second).rejects.toBeInstanceOf(AbortError);
    await Promise.all([first, third]);
    expect(datagrams(kernel)).toEqual([[1, 3]]);
  });

  it('closing the connection right after making requests still sends them and reads their answers', async () => {
    const kernel = new FakeKernel();
    const conn = new Connection(kernel);
    const answers = [conn.request(numbered(1)), conn.request(numbered(2))];
    conn.close();
    await expect(Promise.all(answers)).resolves.toEqual([[], []]);
    expect(datagrams(kernel)).toEqual([[1, 2]]);
    expect(kernel.closed).toBe(true);
    await expect(conn.request(numbered(3))).rejects.toBeInstanceOf(AbortError);
  });

  it('a datagram that cannot be sent fails every request in it, naming the error', async () => {
    const kernel = new FakeKernel();
    kernel.send = () => {
      throw Object.assign(new Error('No buffer space available'), { code: 'ENOBUFS' });
    };
    const conn = new Connection(kernel);
    const results = await Promise.allSettled([conn.request(numbered(1)), conn.request(numbered(2))]);
    for (const r of results) {
      expect(r.status).toBe('rejected');
      const reason = (r as PromiseRejectedResult).reason as Error;
      expect(reason).toBeInstanceOf(NetnsError);
      expect(reason.message).toBe('sending RTM_NEWLINK failed: ENOBUFS No buffer space available');
    }
    expect(kernel.active).toBe(false);
  });

  it('requests let through by a failed datagram leave in a datagram of their own', async () => {
    // A window of two. 1 and 2 leave and stay unanswered; 3 to 6 wait. When 1 and 2 are
    // answered, 3 and 4 fill the next datagram, whose send fails; failing them lets 5 and 6
    // through, and they fill and send the one after — from inside the failure's handling.
    const unanswered: NetlinkMessage[] = [];
    const kernel = new FakeKernel((m, k) => (numberOf(m) <= 2 ? void unanswered.push(m) : k.ack(m)));
    const send = kernel.send.bind(kernel);
    let sends = 0;
    kernel.send = (parts) => {
      if (++sends === 2) throw Object.assign(new Error('Message too long'), { code: 'EMSGSIZE' });
      send(parts);
    };
    const conn = new Connection(kernel, { maxInFlight: 2 });
    const results = Promise.allSettled([1, 2, 3, 4, 5, 6].map((n) => conn.request(numbered(n))));
    await Promise.resolve();
    expect(unanswered.map(numberOf)).toEqual([1, 2]);
    for (const m of unanswered) kernel.inject(kernel.ack(m));
    expect((await results).map((r) => r.status)).toEqual(['fulfilled', 'fulfilled', 'rejected', 'rejected', 'fulfilled', 'fulfilled']);
    expect(datagrams(kernel)).toEqual([[1, 2], [5, 6]]);
  });

  it('are traced one message at a time, as they leave', async () => {
    const traced: number[] = [];
    const kernel = new FakeKernel();
    const conn = new Connection(kernel, { trace: (direction, data) => direction === 'send' && traced.push(...parseDatagram(data).map(numberOf)) });
    await Promise.all([conn.request(numbered(1)), conn.request(numbered(2))]);
    expect(traced).toEqual([1, 2]);
    expect(kernel.sent).toHaveLength(1);
  });
});

describe('what must reach the kernel alone', () => {
  it('a dump leaves after the requests made before it, in a datagram of its own', async () => {
    const kernel = new FakeKernel((m, k) => (m.flags & NlmFlags.NLM_F_DUMP ? k.done(m) : k.ack(m)));
    const conn = new Connection(kernel);
    // A dump starts from the dump queue, a microtask later: a request made in the microtask
    // before it is still held when it starts.
    let before: Promise<unknown> | undefined;
    queueMicrotask(() => (before = conn.request(numbered(1))));
    const dump = conn.dump({ type: RTM_GETLINK, payload: new Uint8Array(16) });
    await dump;
    await before;
    expect(kernel.sent.map((d) => parseDatagram(d).map((m) => m.type))).toEqual([[RTM_NEWLINK], [RTM_GETLINK]]);
  });

  it('a batch leaves after the requests made before it, alone in its datagram', async () => {
    const kernel = new FakeKernel((m, k) => (m.flags & NlmFlags.NLM_F_ACK ? k.ack(m) : undefined));
    const conn = new Connection(kernel);
    const before = conn.request(numbered(1));
    const batch = conn.batch([
      { type: NFNL_MSG_BATCH_BEGIN, payload: new Uint8Array(4) },
      { type: RTM_NEWLINK, payload: new Uint8Array(4), flags: NlmFlags.NLM_F_ACK },
    ]);
    await Promise.all([before, batch]);
    expect(kernel.sent.map((d) => parseDatagram(d).length)).toEqual([1, 2]);
    expect(numberOf(parseDatagram(kernel.sent[0]!)[0]!)).toBe(1);
  });
});
