import { describe, expect, it } from 'vitest';
import { Connection } from '../../src/netlink/connection.js';
import { NlmFlags, NlmsgType } from '../../src/netlink/constants.js';
import {
  AbortError,
  DumpInterruptedError,
  NetlinkError,
  OutcomeUnknownError,
  TimeoutError,
} from '../../src/netlink/errors.js';
import { defineAttributeSet } from '../../src/netlink/attribute-set.js';
import { cstring, u32 } from '../../src/netlink/fields.js';
import { bodyWriter, encodeMessage } from '../../src/netlink/message.js';
import { FakeKernel, datagram } from '../../src/netlink/testing/index.js';

const RTM_NEWLINK = 16;
const RTM_GETLINK = 18;

const linkinfo = defineAttributeSet('linkinfo', { kind: { type: 1, codec: cstring } });
const link = defineAttributeSet('link', {
  ifname: { type: 3, codec: cstring },
  mtu: { type: 4, codec: u32 },
  linkinfo: { type: 18, codec: linkinfo },
});

function linkRequest(value: Parameters<typeof link.encode>[1]) {
  const w = bodyWriter();
  w.zeros(16); // ifinfomsg
  link.encode(w, value, '');
  return { type: RTM_NEWLINK, typeName: 'RTM_NEWLINK', flags: NlmFlags.NLM_F_CREATE | NlmFlags.NLM_F_EXCL, payload: w.finish().slice(), spans: w.spans };
}

const getLink = { type: RTM_GETLINK, typeName: 'RTM_GETLINK', payload: new Uint8Array(16) };

describe('requests and acks', () => {
  it('sends NLM_F_REQUEST|NLM_F_ACK with a fresh seq and resolves on the ack', async () => {
    const kernel = new FakeKernel();
    const conn = new Connection(kernel);
    await expect(conn.request(linkRequest({ ifname: 'a' }))).resolves.toEqual([]);
    const [msg] = kernel.received;
    expect(msg!.type).toBe(RTM_NEWLINK);
    expect(msg!.flags).toBe(NlmFlags.NLM_F_REQUEST | NlmFlags.NLM_F_ACK | NlmFlags.NLM_F_CREATE | NlmFlags.NLM_F_EXCL);
    expect(msg!.seq).not.toBe(0);
    expect(kernel.active).toBe(false);
  });

  it('turns an error with extack into a NetlinkError naming the attribute (capped ack)', async () => {
    const kernel = new FakeKernel((m, k) => {
      // Point at the nested linkinfo.kind attribute: 16 (hdr) + 16 (ifinfomsg) + 8 (ifname "a") + 4 (linkinfo hdr).
      return k.error(m, 95, { message: 'Unknown device type', offset: 16 + 16 + 8 + 4 });
    });
    const conn = new Connection(kernel);
    const err = await conn.request(linkRequest({ ifname: 'a', linkinfo: { kind: 'nope' } })).catch((e) => e);
    expect(err).toBeInstanceOf(NetlinkError);
    expect(err.code).toBe('EOPNOTSUPP');
    expect(err.errno).toBe(95);
    expect(err.extack).toBe('Unknown device type');
    expect(err.attribute).toBe('linkinfo.kind');
    expect(err.request.typeName).toBe('RTM_NEWLINK');
    expect(err.message).toMatch(/RTM_NEWLINK failed: EOPNOTSUPP .*Unknown device type \(attribute linkinfo.kind\)/);
  });

  it('parses uncapped acks that echo the whole request before the TLVs', async () => {
    const kernel = new FakeKernel((m, k) => k.error(m, 34, { message: 'Attribute failed policy validation', offset: 32 }, { capped: false }));
    const conn = new Connection(kernel);
    const err = await conn.request(linkRequest({ ifname: 'x'.repeat(16) })).catch((e) => e);
    expect(err).toBeInstanceOf(NetlinkError);
    expect(err.code).toBe('ERANGE');
    expect(err.attribute).toBe('ifname');
    expect(err.extack).toBe('Attribute failed policy validation');
  });

  it('returns messages that precede the ack (GET answers, echoes)', async () => {
    const kernel = new FakeKernel((m, k) => [datagram(k.reply(m, RTM_NEWLINK, new Uint8Array(16)), k.ack(m))]);
    const conn = new Connection(kernel);
    const replies = await conn.request(getLink);
    expect(replies.map((r) => r.type)).toEqual([RTM_NEWLINK]);
  });

  it('times out when no reply comes, and ignores the late reply', async () => {
    let late: Uint8Array | undefined;
    const kernel = new FakeKernel((m, k) => {
      late = k.ack(m);
    });
    const conn = new Connection(kernel);
    const err = await conn.request(getLink, { timeoutMs: 20 }).catch((e) => e);
    expect(err).toBeInstanceOf(TimeoutError);
    kernel.inject(late!);
    await new Promise((r) => setImmediate(r));
    expect(conn.stats.unmatched).toBe(1);
    expect(kernel.active).toBe(false);
  });

  it('an AbortSignal cancels a pending request; an aborted signal sends nothing', async () => {
    const kernel = new FakeKernel(() => undefined);
    const conn = new Connection(kernel);
    const ctl = new AbortController();
    const pending = conn.request(getLink, { signal: ctl.signal });
    ctl.abort();
    await expect(pending).rejects.toBeInstanceOf(AbortError);
    const before = kernel.sent.length;
    await expect(conn.request(getLink, { signal: ctl.signal })).rejects.toBeInstanceOf(AbortError);
    expect(kernel.sent.length).toBe(before);
  });

  it('drops datagrams from non-kernel ports, even with a matching seq', async () => {
    let seq = 0;
    const kernel = new FakeKernel((m, k) => {
      seq = m.seq;
      // A forged error arrives first from port 4242, then the real ack.
      k.inject(k.error(m, 1), { port: 4242 });
      return k.ack(m);
    });
    const conn = new Connection(kernel);
    await expect(conn.request(getLink)).resolves.toEqual([]);
    expect(seq).not.toBe(0);
    expect(conn.stats.foreignDropped).toBe(1);
  });

  it('ENOBUFS fails every in-flight request as OutcomeUnknownError; the connection stays usable', async () => {
    let answer = false;
    const kernel = new FakeKernel((m, k) => (answer ? k.ack(m) : undefined));
    const conn = new Connection(kernel);
    const a = conn.request(linkRequest({ ifname: 'a' }));
    const b = conn.request(linkRequest({ ifname: 'b' }));
    kernel.overrun();
    await expect(a).rejects.toBeInstanceOf(OutcomeUnknownError);
    await expect(b).rejects.toBeInstanceOf(OutcomeUnknownError);
    answer = true;
    await expect(conn.request(getLink)).resolves.toEqual([]);
    expect(conn.stats.overruns).toBe(1);
  });

  it('close() fails what is pending and refuses new requests without sending', async () => {
    const kernel = new FakeKernel(() => undefined);
    const conn = new Connection(kernel);
    const p = conn.request(getLink);
    conn.close();
    await expect(p).rejects.toBeInstanceOf(AbortError);
    const sent = kernel.sent.length;
    await expect(conn.request(getLink)).rejects.toBeInstanceOf(AbortError);
    expect(kernel.sent.length).toBe(sent);
    expect(kernel.closed).toBe(true);
  });
});

describe('the in-flight window', () => {
  it('sends at most maxInFlight requests before answers come back; the rest wait their turn', async () => {
    const held: Array<() => void> = [];
    const kernel = new FakeKernel((m, k) => {
      held.push(() => k.inject(k.ack(m)));
    });
    const conn = new Connection(kernel, { maxInFlight: 2 });
    const all = Array.from({ length: 5 }, () => conn.request(getLink));
    await Promise.resolve(); // the two the window lets through leave together (outbox.ts)
    expect(kernel.received).toHaveLength(2);
    held.shift()!();
    await new Promise((r) => setImmediate(r));
    expect(kernel.received).toHaveLength(3);
    while (held.length) {
      held.shift()!();
      await new Promise((r) => setImmediate(r));
    }
    await Promise.all(all);
    expect(kernel.received).toHaveLength(5);
  });

  it('a queued request that times out or is aborted is never sent', async () => {
    const kernel = new FakeKernel(() => undefined);
    const conn = new Connection(kernel, { maxInFlight: 1 });
    const first = conn.request(getLink, { timeoutMs: 50 }).catch((e) => e);
    const ctl = new AbortController();
    const second = conn.request(getLink, { signal: ctl.signal }).catch((e) => e);
    const third = conn.request(getLink, { timeoutMs: 10 }).catch((e) => e);
    ctl.abort();
    expect(await second).toBeInstanceOf(AbortError);
    expect(await third).toBeInstanceOf(TimeoutError);
    expect(await first).toBeInstanceOf(TimeoutError);
    expect(kernel.sent).toHaveLength(1);
  });
});

describe('dumps', () => {
  const part = (k: FakeKernel, m: Parameters<FakeKernel['part']>[0], n: number, intr = false) =>
    k.part(m, RTM_NEWLINK, Uint8Array.of(0, 0, 0, 0, n, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0), intr ? NlmFlags.NLM_F_DUMP_INTR : 0);

  it('collects multipart messages across datagrams until NLMSG_DONE', async () => {
    const kernel = new FakeKernel((m, k) => [datagram(part(k, m, 1), part(k, m, 2)), datagram(part(k, m, 3), k.done(m))]);
    const conn = new Connection(kernel);
    const msgs = await conn.dump(getLink);
    expect(msgs.map((x) => x.payload[4])).toEqual([1, 2, 3]);
    expect(kernel.received[0]!.flags & NlmFlags.NLM_F_DUMP).toBe(NlmFlags.NLM_F_DUMP);
  });

  it('restarts a dump marked NLM_F_DUMP_INTR and returns the consistent result', async () => {
    let calls = 0;
    const kernel = new FakeKernel((m, k) => (++calls === 1 ? [datagram(part(k, m, 1, true), k.done(m))] : [datagram(part(k, m, 7), k.done(m))]));
    const conn = new Connection(kernel);
    const msgs = await conn.dump(getLink);
    expect(msgs.map((x) => x.payload[4])).toEqual([7]);
    expect(calls).toBe(2);
    expect(conn.stats.dumpRestarts).toBe(1);
  });

  it('gives a DumpInterruptedError with the partial data after bounded retries', async () => {
    let calls = 0;
    const kernel = new FakeKernel((m, k) => (calls++, [datagram(part(k, m, calls, true), k.done(m))]));
    const conn = new Connection(kernel);
    const err = await conn.dump(getLink, { retries: 2 }).catch((e) => e);
    expect(err).toBeInstanceOf(DumpInterruptedError);
    expect(err.attempts).toBe(3);
    expect(err.partial.map((x: { payload: Uint8Array }) => x.payload[4])).toEqual([3]);
  });

  it('runs one dump at a time per socket; the second waits for the first to finish', async () => {
    const order: string[] = [];
    const kernel = new FakeKernel((m, k) => {
      order.push(`start ${m.seq}`);
      return [datagram(part(k, m, 1)), datagram(k.done(m))];
    });
    const conn = new Connection(kernel);
    const [a, b] = await Promise.all([conn.dump(getLink), conn.dump(getLink)]);
    expect(a).toHaveLength(1);
    expect(b).toHaveLength(1);
    expect(order).toHaveLength(2);
    // The second dump was only sent after the first one's DONE was consumed.
    expect(kernel.sent.length).toBe(2);
  });

  it('an aborted dump is drained before the next dump starts; the connection stays clean', async () => {
    const replies: Array<() => void> = [];
    const kernel = new FakeKernel((m, k) => {
      replies.push(() => k.inject(datagram(part(k, m, 9), k.done(m))));
      if (replies.length > 1) return [datagram(part(k, m, 5), k.done(m))];
      return undefined;
    });
    const conn = new Connection(kernel);
    const ctl = new AbortController();
    const first = conn.dump(getLink, { signal: ctl.signal });
    const second = conn.dump(getLink);
    await new Promise((r) => setImmediate(r));
    ctl.abort();
    await expect(first).rejects.toBeInstanceOf(AbortError);
    expect(kernel.sent.length).toBe(1); // second dump not sent while the first still runs
    replies[0]!(); // the kernel finishes the abandoned dump
    const msgs = await second;
    expect(msgs.map((x) => x.payload[4])).toEqual([5]);
    expect(conn.stats.unmatched).toBe(0);
  });

  it('an error in place of the dump becomes a NetlinkError', async () => {
    const kernel = new FakeKernel((m, k) => k.error(m, 22, { message: 'Invalid header for link dump' }));
    const conn = new Connection(kernel);
    const err = await conn.dump(getLink).catch((e) => e);
    expect(err).toBeInstanceOf(NetlinkError);
    expect(err.code).toBe('EINVAL');
    expect(err.extack).toBe('Invalid header for link dump');
  });

  it('retries a dump the kernel refused with EBUSY', async () => {
    let calls = 0;
    const kernel = new FakeKernel((m, k) => (++calls === 1 ? k.error(m, 16) : [datagram(part(k, m, 4), k.done(m))]));
    const conn = new Connection(kernel);
    const msgs = await conn.dump(getLink);
    expect(msgs).toHaveLength(1);
    expect(calls).toBe(2);
  });
});

describe('batches', () => {
  it('sends all messages in one datagram and maps each reply back by seq', async () => {
    const kernel = new FakeKernel((m, k) => (m.type === 2 ? k.error(m, 2, { message: 'No such table' }) : m.flags & NlmFlags.NLM_F_ACK ? k.ack(m) : undefined));
    const conn = new Connection(kernel);
    const out = await conn.batch([
      { type: 0x10, payload: new Uint8Array(4) },
      { type: 1, flags: NlmFlags.NLM_F_ACK, payload: new Uint8Array(4) },
      { type: 2, flags: NlmFlags.NLM_F_ACK, payload: new Uint8Array(4), typeName: 'X' },
      { type: 0x11, payload: new Uint8Array(4) },
    ]);
    expect(kernel.sent).toHaveLength(1);
    expect(out.map((o) => o.status)).toEqual(['silent', 'acked', 'failed', 'silent']);
    const failed = out[2]!;
    expect(failed.status === 'failed' && failed.error.code).toBe('ENOENT');
    expect(new Set(out.map((o) => o.seq)).size).toBe(4);
  });
});

describe('events', () => {
  it('delivers multicast messages and reports overruns to subscribers', async () => {
    const kernel = new FakeKernel();
    const conn = new Connection(kernel);
    const events = conn.events();
    kernel.inject(encodeMessage({ type: RTM_NEWLINK, flags: 0, seq: 0 }, new Uint8Array(16)), { groups: 1 });
    const first = await events.next();
    expect(first.value).toMatchObject({ kind: 'message', groups: 1 });
    kernel.overrun();
    const second = await events.next();
    expect(second.value).toEqual({ kind: 'overrun' });
    const waiting = events.next();
    expect(kernel.active).toBe(true); // an awaited subscription keeps the process alive
    events.return();
    await expect(waiting).resolves.toEqual({ value: undefined, done: true });
    expect(kernel.active).toBe(false);
  });

  it('passes on the peer namespace id of events from other namespaces', async () => {
    const kernel = new FakeKernel();
    const conn = new Connection(kernel);
    const events = conn.events();
    kernel.inject(encodeMessage({ type: RTM_NEWLINK, flags: 0, seq: 0 }, new Uint8Array(16)), { groups: 1, nsid: 7 });
    expect((await events.next()).value).toMatchObject({ kind: 'message', nsid: 7 });
  });

  it('replaces a backlog beyond the high-water mark by one overrun marker', async () => {
    const kernel = new FakeKernel();
    const conn = new Connection(kernel);
    const events = conn.events({ highWaterMark: 3 });
    for (let i = 0; i < 5; i++) kernel.inject(encodeMessage({ type: RTM_NEWLINK, flags: 0, seq: 0 }, new Uint8Array(16)), { groups: 1 });
    await new Promise((r) => setImmediate(r));
    const kinds: string[] = [];
    for (let i = 0; i < 2; i++) kinds.push((await events.next()).value!.kind);
    expect(kinds).toEqual(['overrun', 'message']);
  });
});

describe('NLMSG types', () => {
  it('uses the uapi numbers', () => {
    expect(NlmsgType).toEqual({ NLMSG_NOOP: 1, NLMSG_ERROR: 2, NLMSG_DONE: 3, NLMSG_OVERRUN: 4 });
  });
});
