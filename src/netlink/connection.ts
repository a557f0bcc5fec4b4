/**
 * The request/response engine. It owns protocol hygiene so family code never has to:
 * unique sequence numbers, replies matched by sequence number from the kernel only (datagrams
 * from other ports are dropped and counted), acks and extended acks, multipart dumps (one at a
 * time per socket, queued; each run by dump-run.ts), timeouts, AbortSignal, ENOBUFS (every
 * in-flight request fails as OutcomeUnknownError), and multicast events with overrun reports.
 * Requests started in one run of JavaScript leave together, in one datagram (outbox.ts).
 */
import { checkConnectionOptions, checkTimeout } from './connect-options.js';
import { NLMSG_HDRLEN, NlmFlags, NlmsgType } from './constants.js';
import { decodeErrorBody } from './error-message.js';
import {
  AbortError,
  BatchOutcomeUnknownError,
  DecodeError,
  NetnsError,
  OutcomeUnknownError,
  TimeoutError,
  type RequestSummary,
} from './errors.js';
import { EventStream, type ConnectionEvent } from './event-stream.js';
import { encodeMessage, framedSize, parseDatagram, writeHeaderAt, writeMessageAt, type NetlinkMessage } from './message.js';
import { deliverBodies } from './body-delivery.js';
import { Deadlines } from './deadlines.js';
import { runDump } from './dump-run.js';
import { Outbox } from './outbox.js';
import { BatchEntry, type BatchRun, type Pending } from './pending.js';
import { PendingTable, type SeqBlock } from './pending-table.js';
import { netlinkErrorFrom } from './request-error.js';
import type {
  BatchOutcome,
  BodyDumpOptions,
  ConnectionOptions,
  ConnectionStats,
  DumpOptions,
  OutgoingMessage,
  RequestOptions,
  StreamingDumpOptions,
} from './request-options.js';
import type { Transport, TransportError } from './transport.js';

export type * from './request-options.js';

const DEFAULT_TIMEOUT_MS = 10_000;
const DEFAULT_DUMP_RETRIES = 5;
const DEFAULT_MAX_IN_FLIGHT = 64;
/** Every connection's request timeouts (one timer per duration, see deadlines.ts). */
const deadlines = new Deadlines();

/** What a request whose sendmsg failed rejects with. */
function sendingFailed(summary: RequestSummary, err: unknown): NetnsError {
  const e = err as TransportError;
  return new NetnsError(`sending ${summary.typeName ?? `type ${summary.type}`} failed: ${e.code ?? ''} ${e.message}`.trim());
}


export class Connection {
  readonly transport: Transport;
  readonly stats: ConnectionStats = { foreignDropped: 0, unmatched: 0, malformed: 0, overruns: 0, dumpRestarts: 0 };
  private readonly pending = new PendingTable();
  private readonly streams = new Set<EventStream>();
  private seq = (Math.random() * 0x7fffffff) >>> 0;
  private dumpQueue: Promise<void> = Promise.resolve();
  private inFlight = 0;
  private readonly waiting: Pending[] = [];
  private readonly maxInFlight: number;
  private closed = false;
  /** @internal The default request timeout (dump-run.ts reads it too). */
  readonly timeoutMs: number;
  private readonly dumpRetries: number;
  private readonly describeType: (type: number) => string | undefined;
  private readonly trace: ConnectionOptions['trace'];
  /** The nlmsghdr of the message being sent (see sendMessage), and a view of its bytes. */
  private readonly headerBytes = new Uint8Array(NLMSG_HDRLEN);
  private readonly header = new DataView(this.headerBytes.buffer);
  /** A datagram is being delivered (onDatagram); see start(). */
  private delivering = false;
  /** Requests started in this run of JavaScript, sent together when it ends (outbox.ts). */
  private readonly outbox: Outbox;

  constructor(transport: Transport, options: ConnectionOptions = {}) {
    checkConnectionOptions(options);
    this.transport = transport;
    this.timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
    this.dumpRetries = options.dumpRetries ?? DEFAULT_DUMP_RETRIES;
    this.maxInFlight = options.maxInFlight ?? DEFAULT_MAX_IN_FLIGHT;
    this.describeType = options.describeType ?? (() => undefined);
    this.trace = options.trace;
    this.outbox = new Outbox({
      isLive: (p) => this.pending.get(p.seq) === p,
      send: (parts) => transport.send(parts),
      failed: (entries, err) => {
        for (const p of entries) p.fail(sendingFailed(p.summary, err));
      },
      sent: (messages) => {
        this.readQueued(messages);
        this.updateActive();
      },
      ...(options.trace ? { trace: (m: Uint8Array) => options.trace!('send', m, transport.port, 0) } : {}),
    }, this.maxInFlight);
    transport.start({
      datagram: (data, port, groups, nsid) => this.onDatagram(data, port, groups, nsid),
      error: (err) => this.onTransportError(err),
    });
  }

  /** Our netlink port id. */
  get port(): number {
    return this.transport.port;
  }

  get isClosed(): boolean {
    return this.closed;
  }

  /**
   * @internal Nothing in flight, held, waiting for the window or listened for with events():
   * what the socket receives next is the kernel's answer to what is sent next (and, if it
   * belongs to groups, events: see Transport.listening). NftClient.apply asks it.
   */
  get isIdle(): boolean {
    return this.pending.isEmpty && this.waiting.length === 0 && this.streams.size === 0 && this.outbox.isEmpty;
  }

  /**
   * Send one request and wait for its ack (NLM_F_ACK is added); it leaves with the others made
   * in this run of JavaScript, when the run ends (outbox.ts). Resolves with the messages
   * that came before the ack (a GET's answer, or NLM_F_ECHO copies); rejects with
   * NetlinkError, TimeoutError, OutcomeUnknownError or AbortError.
   */
  request(msg: OutgoingMessage, options: RequestOptions = {}): Promise<NetlinkMessage[]> {
    return new Promise((resolve, reject) => {
      const flags = (msg.flags ?? 0) | NlmFlags.NLM_F_REQUEST | NlmFlags.NLM_F_ACK;
      this.start(msg, flags, false, options, reject, (p, m) => {
        if (m.type === NlmsgType.NLMSG_ERROR) {
          const body = decodeErrorBody(m.payload, m.flags);
          p.cleanup();
          if (body.error === 0) resolve(p.messages);
          else reject(netlinkErrorFrom(body, p.summary, p.request.spans));
        } else if (m.type !== NlmsgType.NLMSG_NOOP) {
          p.messages.push(m);
        }
      });
    });
  }

  /**
   * Run a dump (NLM_F_DUMP is added) and collect every message. Dumps on one socket run one at
   * a time (the kernel allows one); others wait their turn. Interrupted dumps are restarted.
   */
  dump(msg: OutgoingMessage, options?: DumpOptions): Promise<NetlinkMessage[]>;
  /**
   * Run a dump and hand each reply to `options.onMessage` as it arrives (see
   * {@link StreamingDumpOptions}); resolves with an empty array once the dump is complete.
   */
  dump(msg: OutgoingMessage, options: StreamingDumpOptions): Promise<NetlinkMessage[]>;
  /**
   * Run a dump and hand each reply's bytes to `options.onBody` as they arrive (see
   * {@link BodyDumpOptions}); resolves with an empty array once the dump is complete.
   */
  dump(msg: OutgoingMessage, options: BodyDumpOptions): Promise<NetlinkMessage[]>;
  dump(msg: OutgoingMessage, options: DumpOptions | StreamingDumpOptions | BodyDumpOptions = {}): Promise<NetlinkMessage[]> {
    const retries = options.retries ?? this.dumpRetries;
    let settle!: { resolve: (v: NetlinkMessage[]) => void; reject: (e: unknown) => void };
    const result = new Promise<NetlinkMessage[]>((resolve, reject) => (settle = { resolve, reject }));
    const run = this.dumpQueue.then(() => runDump(this, msg, options, retries, settle));
    this.dumpQueue = run.catch(() => undefined);
    return result;
  }

  /**
   * Send several messages in one datagram (as nfnetlink batches require) and report what
   * the kernel answered to each. Messages are sent with exactly the flags given plus
   * NLM_F_REQUEST. Since the kernel processes a datagram before sendmsg returns, replies are
   * read right after sending; a message nothing answered is reported `silent`. If the socket
   * overran (ENOBUFS) meanwhile, what is still queued is read all the same, and the batch fails
   * with a {@link BatchOutcomeUnknownError} carrying the outcomes that did arrive.
   */
  batch(msgs: readonly OutgoingMessage[], options: RequestOptions = {}): Promise<BatchOutcome[]> {
    if (msgs.length === 0) return Promise.resolve([]);
    return new Promise((resolve, reject) => {
      if (this.closed) return reject(new AbortError('connection closed'));
      if (options.signal?.aborted) return reject(new AbortError('request aborted before it was sent'));
      const run: BatchRun = { overran: false, error: undefined };
      const outcomes: (BatchOutcome | undefined)[] = new Array(msgs.length).fill(undefined);
      const datagram = new Uint8Array(framedSize(msgs.map((m) => m.payload.length)));
      const view = new DataView(datagram.buffer);
      // One handler for every entry (an entry knows its index): a closure per message was a
      // tenth of what a 10,000-rule batch allocated.
      const onMessage = (entry: Pending, m: NetlinkMessage): void => {
        const p = entry as BatchEntry;
        if (m.type === NlmsgType.NLMSG_ERROR) {
          const body = decodeErrorBody(m.payload, m.flags);
          outcomes[p.index] = body.error === 0
            ? { status: 'acked', seq: p.seq, messages: p.messages }
            : { status: 'failed', seq: p.seq, error: netlinkErrorFrom(body, p.summary, p.request.spans), messages: p.messages };
          this.forget(p);
        } else if (m.type !== NlmsgType.NLMSG_NOOP) {
          p.messages.push(m);
        }
      };
      // The messages take consecutive sequence numbers; an entry is made for one only when a
      // reply names it (pending-table.ts).
      const flagsOf = (i: number): number => (msgs[i]!.flags ?? 0) | NlmFlags.NLM_F_REQUEST;
      const first = this.pending.freeBlock((this.seq + 1) >>> 0, msgs.length);
      this.seq = first + msgs.length - 1;
      const block: SeqBlock = {
        first,
        count: msgs.length,
        run,
        made: new Array(msgs.length),
        make: (i) => new BatchEntry(this, first + i, msgs[i]!, flagsOf(i), run, i, onMessage),
      };
      this.pending.addBlock(block);
      let at = 0;
      for (let i = 0; i < msgs.length; i++) {
        const msg = msgs[i]!;
        at = writeMessageAt(view, datagram, at, { type: msg.type, flags: flagsOf(i), seq: first + i }, msg.payload);
      }
      const summary = (): RequestSummary => this.summarize(msgs[0]!, first, flagsOf(0));
      const finish = (): void => {
        this.pending.removeBlock(block);
        this.updateActive();
      };
      this.updateActive();
      this.outbox.send();
      if (!this.sendDatagram(datagram, summary(), (err) => (run.error ??= err))) {
        finish();
        return reject(run.error);
      }
      const settle = (): void => {
        finish();
        if (run.error !== undefined) return reject(run.error);
        if (run.overran) {
          return reject(new BatchOutcomeUnknownError(summary(), 'the socket receive buffer overran (ENOBUFS) and replies to the batch were lost', outcomes));
        }
        resolve(outcomes.map((o, i) => o ?? { status: 'silent', seq: first + i, messages: block.made[i]?.messages ?? [] }));
      };
      // Every reply is queued by now; once all of it is delivered, what is missing got none.
      try {
        this.whenDrained(settle);
      } catch (err) {
        run.error ??= err;
        settle();
      }
    });
  }

  /** @internal Drop a batch entry from the pending table (replies to it are unmatched from now on). */
  forget(p: Pending): void {
    this.pending.drop(p);
  }

  /** Multicast events (and unsolicited unicast notifications) as an async iterable. */
  events(options: { highWaterMark?: number } = {}): EventStream {
    const stream = new EventStream(options.highWaterMark ?? 100_000, {
      waiting: () => this.updateActive(),
      closed: (s) => {
        this.streams.delete(s);
        this.updateActive();
      },
    });
    this.streams.add(stream);
    return stream;
  }

  /** Fail everything in flight, end event streams, close the socket. */
  close(): void {
    if (this.closed) return;
    // What was started before close() still leaves, and its replies are read (the outbox's
    // `sent`), as when each request was sent at once: a request made then closed over is not
    // silently dropped.
    this.outbox.send();
    this.closed = true;
    for (const p of this.pending.entries()) p.fail(new AbortError('connection closed'));
    for (const run of this.pending.runs()) run.error ??= new AbortError('connection closed');
    for (const s of [...this.streams]) s.end();
    this.pending.clear();
    this.transport.close();
  }

  /** @internal What a request is called in errors. */
  summarize(msg: OutgoingMessage, seq: number, flags: number): RequestSummary {
    const typeName = msg.typeName ?? this.describeType(msg.type);
    return typeName ? { type: msg.type, flags, seq, typeName } : { type: msg.type, flags, seq };
  }

  private nextSeq(): number {
    do {
      this.seq = (this.seq + 1) >>> 0;
    } while (this.seq === 0 || this.pending.has(this.seq));
    return this.seq;
  }

  /** Register a pending entry (timeout, abort) without sending. Returns undefined if refused. */
  private register(
    msg: OutgoingMessage,
    flags: number,
    isDump: boolean,
    options: RequestOptions,
    reject: (err: unknown) => void,
    onMessage: Pending['onMessage'],
  ): Pending | undefined {
    if (this.closed) {
      reject(new AbortError('connection closed'));
      return undefined;
    }
    if (options.signal?.aborted) {
      reject(new AbortError('request aborted before it was sent'));
      return undefined;
    }
    if (options.timeoutMs !== undefined) {
      try {
        checkTimeout(options.timeoutMs);
      } catch (err) {
        reject(err);
        return undefined;
      }
    }
    const seq = this.nextSeq();
    const summary = this.summarize(msg, seq, flags);
    const timeoutMs = options.timeoutMs ?? this.timeoutMs;
    const deadline = deadlines.add(timeoutMs, () => p.fail(new TimeoutError(summary, timeoutMs)));
    const onAbort = (): void => p.fail(new AbortError(`${summary.typeName ?? `type ${summary.type}`} aborted`));
    const p: Pending = {
      seq,
      flags,
      summary,
      request: msg,
      messages: [],
      interrupted: false,
      isDump,
      draining: false,
      sent: false,
      // Declared now, set later (dumps that take bytes, requests queued behind the window):
      // every entry keeps one shape, so the code reading entries stays monomorphic.
      send: undefined,
      onMessage,
      onBody: undefined,
      fail: (err) => {
        p.cleanup();
        reject(err);
      },
      cleanup: () => {
        deadline.cancel();
        options.signal?.removeEventListener('abort', onAbort);
        this.pending.drop(p);
        this.releaseSlot(p);
        this.updateActive();
      },
    };
    options.signal?.addEventListener('abort', onAbort, { once: true });
    this.pending.set(seq, p);
    return p;
  }

  /** @internal Register a request and send it, or queue it behind the window (dump-run.ts starts dumps with it). */
  start(
    msg: OutgoingMessage,
    flags: number,
    isDump: boolean,
    options: RequestOptions,
    reject: (err: unknown) => void,
    onMessage: Pending['onMessage'],
  ): Pending | undefined {
    const p = this.register(msg, flags, isDump, options, reject, onMessage);
    if (!p) return undefined;
    if (isDump) {
      this.outbox.send();
      const sent = this.sendMessage(msg, flags, p.seq, p.summary, (err) => p.fail(err as Error));
      this.updateActive();
      return sent ? p : undefined;
    }
    p.send = () => {
      p.send = undefined;
      p.sent = true;
      this.inFlight++;
      this.outbox.add(p);
    };
    // Only a request still unanswered keeps the process alive: one waiting for the window
    // now; one in the outbox once it has left and its answer was not there to read (`sent`
    // above) — until then the run of JavaScript it leaves at the end of is still going.
    if (this.inFlight < this.maxInFlight) p.send();
    else {
      this.waiting.push(p);
      this.updateActive();
    }
    return p;
  }

  /**
   * Read what the kernel has answered already (see Transport.flush; `answers` to a datagram
   * just sent) now rather than on the next turn of the event loop (unless this turn has read
   * for long: read-turn.ts). Not from inside a delivery (a streaming dump's onMessage may send
   * a request): reading there would hand over what comes after the datagram being delivered
   * before the rest of it; the read in progress reads it. @internal (dump-run.ts reads with it)
   */
  readQueued(answers = 1): void {
    if (!this.delivering) this.transport.flush(answers);
  }

  /** Run `then` once everything queued now is delivered (see Transport.whenDrained). */
  private whenDrained(then: () => void): void {
    if (this.transport.whenDrained) this.transport.whenDrained(then);
    else {
      this.transport.flush();
      then();
    }
  }

  /** A request completed (or gave up): free its window slot, or drop it from the queue. */
  private releaseSlot(p: Pending): void {
    if (p.sent) {
      p.sent = false;
      this.inFlight--;
      while (this.inFlight < this.maxInFlight && this.waiting.length > 0) this.waiting.shift()!.send?.();
    } else if (p.send) {
      p.send = undefined;
      const i = this.waiting.indexOf(p);
      if (i >= 0) this.waiting.splice(i, 1);
    }
  }

  /**
   * Send one message: its nlmsghdr, written into the connection's own header buffer, and the
   * payload as they are, in one sendmsg (the kernel copies both before it returns).
   */
  private sendMessage(msg: OutgoingMessage, flags: number, seq: number, summary: RequestSummary, fail: (err: unknown) => void): boolean {
    writeHeaderAt(this.header, 0, { type: msg.type, flags, seq }, msg.payload.length);
    try {
      this.trace?.('send', encodeMessage({ type: msg.type, flags, seq }, msg.payload), this.transport.port, 0);
      this.transport.send([this.headerBytes, msg.payload]);
      return true;
    } catch (err) {
      fail(sendingFailed(summary, err));
      return false;
    }
  }

  private sendDatagram(data: Uint8Array, summary: RequestSummary, fail: (err: unknown) => void): boolean {
    try {
      this.trace?.('send', data, this.transport.port, 0);
      this.transport.send([data]);
      return true;
    } catch (err) {
      fail(sendingFailed(summary, err));
      return false;
    }
  }

  private onDatagram(data: Uint8Array, senderPort: number, groups: number, nsid: number | undefined): void {
    const nested = this.delivering;
    this.delivering = true;
    try {
      this.deliver(data, senderPort, groups, nsid);
    } finally {
      this.delivering = nested;
    }
  }

  private deliver(data: Uint8Array, senderPort: number, groups: number, nsid: number | undefined): void {
    this.trace?.('receive', data, senderPort, groups);
    if (senderPort !== 0) {
      this.stats.foreignDropped++;
      return;
    }
    if (groups === 0 && deliverBodies(data, this.pending, this.stats)) return;
    let messages: NetlinkMessage[];
    try {
      messages = parseDatagram(data);
    } catch (err) {
      if (!(err instanceof DecodeError)) throw err;
      this.stats.malformed++;
      return;
    }
    for (const m of messages) {
      const p = groups === 0 || this.isEchoReply(m) ? this.pending.get(m.seq) : undefined;
      if (p) {
        try {
          p.onMessage(p, m);
        } catch (err) {
          // A reply that does not decode fails its own request, never the connection.
          p.fail(err as Error);
        }
      } else if (groups !== 0 || m.seq === 0) {
        const event: ConnectionEvent = nsid === undefined ? { kind: 'message', message: m, groups } : { kind: 'message', message: m, groups, nsid };
        for (const s of this.streams) s.push(event);
      } else {
        this.stats.unmatched++;
      }
    }
  }


  /**
   * Kernel quirk: an NLM_F_ECHO copy is sent by nlmsg_notify(), which multicasts the skb before
   * unicasting it to the requester, so the echo arrives marked with the notification group
   * (e.g. NFNLGRP_NFTABLES for nf_tables, RTNLGRP_* for rtnetlink). It is still a reply: the
   * request asked for it, and it carries the request's sequence number and our port.
   */
  private isEchoReply(m: NetlinkMessage): boolean {
    const p = this.pending.get(m.seq);
    return p !== undefined && (p.flags & NlmFlags.NLM_F_ECHO) !== 0 && m.pid === this.transport.port;
  }

  private onTransportError(err: TransportError): void {
    if (err.code === 'ENOBUFS') {
      this.stats.overruns++;
      // A batch keeps reading what is still queued (its commit confirmation may be there).
      for (const run of this.pending.runs()) run.overran = true;
      for (const p of this.pending.entries()) {
        if (!p.batch && !p.draining) p.fail(new OutcomeUnknownError(p.summary, 'the socket receive buffer overran (ENOBUFS) and replies were lost'));
      }
      for (const s of this.streams) s.push({ kind: 'overrun' });
      return;
    }
    const failed = (): NetnsError => new NetnsError(`receive failed: ${err.code ?? ''} ${err.message}`.trim());
    for (const p of this.pending.entries()) p.fail(failed());
    for (const run of this.pending.runs()) run.error ??= failed();
    for (const s of this.streams) s.push({ kind: 'error', error: err });
  }

  private updateActive(): void {
    if (this.closed) return;
    let active = !this.pending.isEmpty;
    if (!active) for (const s of this.streams) if (s.isWaiting) active = true;
    this.transport.setActive(active);
  }
}

export type { ConnectionEvent };
