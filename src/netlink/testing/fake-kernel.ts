/**
 * A scripted kernel for unit tests (also exported for users' own tests). It implements the
 * Transport seam at the datagram level, so framing, sequence matching, multipart and error
 * parsing all run exactly as against the real kernel.
 *
 *   const kernel = new FakeKernel((msg, k) => k.ack(msg));
 *   const conn = new Connection(kernel);
 */
import { NlmFlags, NlmsgType } from '../constants.js';
import { encodeDoneBody, encodeErrorBody, type Extack } from '../error-message.js';
import { encodeMessage, parseDatagram, type NetlinkMessage } from '../message.js';
import type { Transport, TransportError, TransportHandler } from '../transport.js';
import { Writer } from '../writer.js';

/** What a handler returns: datagrams to deliver (each a byte array), in order. */
export type FakeHandler = (msg: NetlinkMessage, kernel: FakeKernel) => Uint8Array | Uint8Array[] | void;

interface Queued {
  data: Uint8Array;
  port: number;
  groups: number;
  nsid?: number;
  /** Instead of a datagram: a receive error reported at this point of the queue. */
  error?: TransportError;
}

export class FakeKernel implements Transport {
  readonly port: number;
  /** Every datagram the code under test sent: a spy for "nothing was sent" assertions. */
  readonly sent: Uint8Array[] = [];
  /** Every message the code under test sent, parsed. */
  readonly received: NetlinkMessage[] = [];
  active = false;
  closed = false;
  readonly memberships = new Set<number>();
  private handler: TransportHandler | undefined;
  private readonly queue: Queued[] = [];
  private scheduled = false;

  constructor(private readonly respond: FakeHandler = (m, k) => k.ack(m), port = 0x4e5453) {
    this.port = port;
  }

  send(parts: readonly Uint8Array[]): void {
    if (this.closed) throw Object.assign(new Error('closed'), { code: 'EBADF' });
    let len = 0;
    for (const p of parts) len += p.length;
    const data = new Uint8Array(len);
    let at = 0;
    for (const p of parts) {
      data.set(p, at);
      at += p.length;
    }
    this.sent.push(data);
    for (const msg of parseDatagram(data)) {
      this.received.push(msg);
      const out = this.respond(msg, this);
      if (!out) continue;
      for (const d of Array.isArray(out) ? out : [out]) this.enqueue({ data: d, port: 0, groups: 0 });
    }
  }

  start(handler: TransportHandler): void {
    this.handler = handler;
  }

  /** Deliver everything queued now. */
  flush(): void {
    while (this.queue.length && this.handler && !this.closed) {
      const q = this.queue.shift()!;
      if (q.error) this.handler.error(q.error);
      else this.handler.datagram(q.data, q.port, q.groups, q.nsid);
    }
  }

  setActive(active: boolean): void {
    this.active = active;
  }

  /** Last sizes asked for (the fake has no real buffers). */
  bufferSizes: { send?: number; receive?: number } = {};

  setBufferSizes(sizes: { send?: number; receive?: number }): void {
    this.bufferSizes = { ...this.bufferSizes, ...sizes };
  }

  get listening(): boolean {
    return this.memberships.size > 0;
  }

  addMembership(group: number): void {
    this.memberships.add(group);
  }

  dropMembership(group: number): void {
    this.memberships.delete(group);
  }

  close(): void {
    this.closed = true;
  }

  /** Queue a datagram for delivery on a later tick, as from `port` (0 = kernel) to `groups`. */
  inject(data: Uint8Array, options: { port?: number; groups?: number; nsid?: number } = {}): void {
    this.enqueue({ data, port: options.port ?? 0, groups: options.groups ?? 0, ...(options.nsid !== undefined ? { nsid: options.nsid } : {}) });
  }

  /** Report ENOBUFS, as the socket does after dropping datagrams; pending replies are lost. */
  overrun(dropQueued = true): void {
    if (dropQueued) this.queue.length = 0;
    const err = enobufs();
    setImmediate(() => this.handler?.error(err));
  }

  /**
   * Lose every datagram queued so far and queue ENOBUFS in their place, as the socket reports
   * an overrun: the next read fails with it, and datagrams queued afterwards are read after
   * it (e.g. from a response handler: the replies before this point were dropped).
   */
  overrunQueued(): void {
    this.queue.length = 0;
    this.enqueue({ data: new Uint8Array(0), port: 0, groups: 0, error: enobufs() });
  }

  /** Queue a read that fails with `code` (as recvmsg failing for another reason than an overrun). */
  readFails(code = 'EIO'): void {
    this.enqueue({ data: new Uint8Array(0), port: 0, groups: 0, error: Object.assign(new Error(`read failed (${code})`), { code }) });
  }

  /** A message in reply to `req` (same seq, addressed to our port). */
  reply(req: NetlinkMessage, type: number, payload: Uint8Array, flags = 0): Uint8Array {
    return encodeMessage({ type, flags, seq: req.seq, pid: this.port }, payload);
  }

  /** A positive ack. */
  ack(req: NetlinkMessage): Uint8Array {
    return this.error(req, 0);
  }

  /** An NLMSG_ERROR with `errno` (positive or negative) and optional extack, capped by default. */
  error(req: NetlinkMessage, errno: number, extack?: Extack, options: { capped?: boolean } = {}): Uint8Array {
    const capped = options.capped ?? true;
    let flags = capped ? NlmFlags.NLM_F_CAPPED : 0;
    if (extack) flags |= NlmFlags.NLM_F_ACK_TLVS;
    const w = new Writer();
    encodeErrorBody(
      w,
      {
        error: -Math.abs(errno),
        request: { len: req.payload.length + 16, type: req.type, flags: req.flags, seq: req.seq, pid: req.pid },
        ...(capped ? {} : { requestPayload: req.payload }),
        ...(extack ? { extack } : {}),
      },
      flags,
    );
    return this.reply(req, NlmsgType.NLMSG_ERROR, w.finish().slice(), flags);
  }

  /** NLMSG_DONE ending a dump (error 0 unless given). */
  done(req: NetlinkMessage, error = 0, extack?: Extack): Uint8Array {
    const w = new Writer();
    encodeDoneBody(w, { error, ...(extack ? { extack } : {}) });
    return this.reply(req, NlmsgType.NLMSG_DONE, w.finish().slice(), NlmFlags.NLM_F_MULTI | (extack ? NlmFlags.NLM_F_ACK_TLVS : 0));
  }

  /** One multipart dump part. */
  part(req: NetlinkMessage, type: number, payload: Uint8Array, extraFlags = 0): Uint8Array {
    return this.reply(req, type, payload, NlmFlags.NLM_F_MULTI | extraFlags);
  }

  private enqueue(q: Queued): void {
    this.queue.push(q);
    if (this.scheduled) return;
    this.scheduled = true;
    setImmediate(() => {
      this.scheduled = false;
      this.flush();
    });
  }
}

function enobufs(): TransportError {
  return Object.assign(new Error('No buffer space available'), { code: 'ENOBUFS', errno: 105 });
}

/** Concatenate messages into one datagram. */
export function datagram(...messages: Uint8Array[]): Uint8Array {
  let len = 0;
  for (const m of messages) len += m.length;
  const out = new Uint8Array(len);
  let at = 0;
  for (const m of messages) {
    out.set(m, at);
    at += m.length;
  }
  return out;
}
