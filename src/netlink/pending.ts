/**
 * What the connection keeps per request in flight (connection.ts), and the lighter entry it
 * keeps per message of a batch.
 */
import type { OutgoingMessage } from './connection.js';
import type { RequestSummary } from './errors.js';
import type { NetlinkMessage } from './message.js';

export interface Pending {
  seq: number;
  /** The flags the request was sent with. */
  flags: number;
  summary: RequestSummary;
  /** The request as given; its spans (maybe computed on read) name attributes in errors. */
  request: OutgoingMessage;
  messages: NetlinkMessage[];
  /** Dump: NLM_F_DUMP_INTR was seen. */
  interrupted: boolean;
  isDump: boolean;
  /** The caller has gone (abort/timeout); swallow the rest of a dump until it ends. */
  draining: boolean;
  /** The request has left (it counts against the in-flight window until it completes). */
  sent: boolean;
  /** Sends the request (deferred while the in-flight window is full). */
  send?: () => void;
  /** Set for the messages of a batch (see Connection.batch). */
  batch?: BatchRun;
  onMessage(p: Pending, m: NetlinkMessage): void;
  /** Set for a dump that takes its replies as bytes (Connection.deliverBodies). */
  onBody?(p: Pending, bytes: Uint8Array, start: number, end: number, type: number, flags: number): void;
  fail(err: Error): void;
  cleanup(): void;
}

/** What happened to a batch while its replies were read. */
export interface BatchRun {
  /** ENOBUFS: some replies were lost. */
  overran: boolean;
  /** Sending or receiving failed, or the connection closed. */
  error: unknown;
}

/**
 * The pending entry of one message of a batch: matched by sequence number like any request,
 * but without a timer or abort listener of its own — a batch is sent and read in one go, so
 * nothing can time out or be aborted in between (and 10,000 timers would cost more than the
 * batch). Its summary, wanted only for an error, is made when first asked for. ENOBUFS marks
 * the batch instead of failing the entry (see onTransportError).
 */
export class BatchEntry implements Pending {
  readonly messages: NetlinkMessage[] = [];
  interrupted = false;
  readonly isDump = false;
  draining = false;
  sent = false;
  private made: RequestSummary | undefined;
  constructor(
    private readonly connection: BatchOwner,
    readonly seq: number,
    readonly request: OutgoingMessage,
    readonly flags: number,
    readonly batch: BatchRun,
    /** The message's place in its batch. */
    readonly index: number,
    readonly onMessage: Pending['onMessage'],
  ) {}

  get summary(): RequestSummary {
    return (this.made ??= this.connection.summarize(this.request, this.seq, this.flags));
  }

  fail(err: Error): void {
    this.batch.error ??= err;
  }

  cleanup(): void {
    this.connection.forget(this);
  }
}

/** What a batch entry needs of its connection. */
export interface BatchOwner {
  /** What a request is called in errors. */
  summarize(msg: OutgoingMessage, seq: number, flags: number): RequestSummary;
  /** Drop an entry from the pending table (replies to it are unmatched from then on). */
  forget(p: Pending): void;
}
