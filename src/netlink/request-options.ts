/**
 * What a caller hands a Connection (connection.ts) — a message, the options of a request, of a
 * dump and of the connection itself — and what it reports back: a batch's outcomes, counters.
 */
import type { NetlinkError } from './errors.js';
import type { NetlinkMessage } from './message.js';
import type { AttributeSpan } from './writer.js';

/** A message to send; the connection fills in sequence number, port and NLM_F_REQUEST. */
export interface OutgoingMessage {
  type: number;
  /** Flags on top of NLM_F_REQUEST (and NLM_F_ACK, which `request` adds). */
  flags?: number;
  /** Everything after the nlmsghdr. */
  payload: Uint8Array;
  /** Where attributes were written (from a body writer), to name the one the kernel rejects. */
  spans?: readonly AttributeSpan[];
  /** Name for errors and traces, e.g. `RTM_NEWLINK`. */
  typeName?: string;
}

export interface RequestOptions {
  /** Milliseconds to wait for the reply; default from the connection (10 s). */
  timeoutMs?: number;
  signal?: AbortSignal;
}

export interface DumpOptions extends RequestOptions {
  /** How many times an NLM_F_DUMP_INTR dump is restarted before DumpInterruptedError. */
  retries?: number;
}

/** A dump whose replies are handed over as they arrive instead of collected. */
export interface StreamingDumpOptions extends DumpOptions {
  /**
   * Called with each reply message (not NLMSG_DONE) as its datagram arrives, so replies can be
   * decoded while the kernel builds the next part and the raw bytes become garbage early. An
   * exception fails the dump (the rest of it is read and dropped).
   */
  onMessage(message: NetlinkMessage): void;
  /**
   * Called before an interrupted dump (NLM_F_DUMP_INTR) starts over: forget what `onMessage`
   * was given so far. Without it an interrupted streaming dump fails with DumpInterruptedError.
   */
  onRestart?(): void;
}

/**
 * A dump whose replies are handed over as bytes, without a NetlinkMessage each: the way for
 * listings of thousands (framing 11,000 route messages into objects cost as much as the
 * kernel took to dump them). Every reply but NLMSG_DONE goes to `onBody` as it arrives.
 */
export interface BodyDumpOptions extends DumpOptions {
  /**
   * One reply: its body is `bytes[start, end)`, `start` also being its offset in the datagram
   * (for error positions); `type` and `flags` are its nlmsghdr's. `bytes` is the whole datagram,
   * never written to again (views of it may be kept). An exception fails the dump (the rest of
   * it is read and dropped).
   */
  onBody(bytes: Uint8Array, start: number, end: number, type: number, flags: number): void;
  /** As {@link StreamingDumpOptions.onRestart}: forget what `onBody` was given so far. */
  onRestart?(): void;
}

/** The outcome of one message of a batch sent with Connection.batch. */
export type BatchOutcome =
  | { status: 'acked'; seq: number; messages: NetlinkMessage[] }
  | { status: 'failed'; seq: number; error: NetlinkError; messages: NetlinkMessage[] }
  /** The kernel sent nothing back for this message (it was not asked to ack, or was skipped). */
  | { status: 'silent'; seq: number; messages: NetlinkMessage[] };

export interface ConnectionOptions {
  timeoutMs?: number;
  /**
   * Requests (not dumps, which the kernel paces) sent but not yet answered, at most; more
   * wait their turn. The kernel answers as soon as a request arrives, so without a window a
   * burst of requests queues more replies than the receive buffer holds and they are lost
   * (ENOBUFS). It also bounds how many requests share a datagram (outbox.ts), whose replies
   * are all queued before the first is read. Default 64.
   */
  maxInFlight?: number;
  dumpRetries?: number;
  /** Names message types for errors and traces. */
  describeType?: (type: number) => string | undefined;
  /** Observes every datagram sent and received (the CLI's --trace). */
  trace?: (direction: 'send' | 'receive', data: Uint8Array, senderPort: number, groups: number) => void;
}

/** Counters of what the connection dropped or could not place. */
export interface ConnectionStats {
  /** Datagrams from a port other than the kernel's (forged or misdirected). */
  foreignDropped: number;
  /** Unicast messages matching no pending request (late replies after a timeout or abort). */
  unmatched: number;
  /** Datagrams that did not frame correctly. */
  malformed: number;
  /** ENOBUFS reports from the socket. */
  overruns: number;
  /** Dumps restarted because of NLM_F_DUMP_INTR. */
  dumpRestarts: number;
}
