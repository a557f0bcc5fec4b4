/**
 * Requests started on a connection in one synchronous run of JavaScript leave together: one
 * datagram, one sendmsg, when that run ends (a microtask). A setup that starts ten veths with
 * Promise.all makes one system call where it made ten, as a libmnl program puts its requests
 * in one buffer. The kernel handles the messages of a datagram one after another exactly as if
 * each had come alone (netlink_rcv_skb: each is answered, an error in one does not stop the
 * next), and answers them inside that one sendmsg, so the replies are read right after it.
 *
 * What the kernel must see alone is not held here: a dump, and an nfnetlink batch (the kernel
 * reads a datagram that starts with BATCH_BEGIN as that one batch), send what is held first,
 * then themselves, so the order of a connection's requests is always the order they were made.
 */
import { NLMSG_HDRLEN } from './constants.js';
import { alignMessage, encodeMessage, writeHeaderAt } from './message.js';
import type { Pending } from './pending.js';

/**
 * Bytes held at most before they are sent without waiting for the run to end: far below the
 * socket's send buffer (a datagram over it fails with EMSGSIZE; 208 KiB by default), and
 * room for 64 veth requests (about 10 KiB), 64 being the connection's default window.
 */
export const OUTBOX_MAX_BYTES = 32 * 1024;

const PADDING = new Uint8Array(4);

/**
 * A promise settled once, whose `.then` queues the send at the end of the run: the same
 * microtask as queueMicrotask, without the AsyncResource that builds each time (about a dozen of
 * Node's functions a setup ran, and paid for cold after a pause: bench/scripts/setup-footprint.mjs).
 * sendScheduled never throws (a failed send fails its requests).
 */
const SETTLED = Promise.resolve();

export interface OutboxTarget {
  /** Whether `p` still waits for its reply (it may have timed out or been aborted since). */
  isLive(p: Pending): boolean;
  /** Send one datagram made of `parts`; throws as Transport.send does. */
  send(parts: Uint8Array[]): void;
  /** Sending failed: fail every request that was in the datagram. */
  failed(entries: readonly Pending[], err: unknown): void;
  /** A datagram of `messages` requests left (read their replies now). */
  sent(messages: number): void;
  /** Observes each message as it leaves (the CLI's --trace). */
  trace?: (message: Uint8Array) => void;
}

export class Outbox {
  private held: Pending[] = [];
  private spare: Pending[] = [];
  private bytes = 0;
  private scheduled = false;
  /** The datagram being sent, as parts (headers and bodies), kept for the next one. */
  private readonly parts: Uint8Array[] = [];
  private headerBytes = new Uint8Array(4 * NLMSG_HDRLEN);
  private headerData = new DataView(this.headerBytes.buffer);
  /** headerBytes as one view per message, made once. */
  private readonly headers: Uint8Array[] = [];

  /**
   * `maxMessages`: the connection's window. A datagram that holds it leaves at once, without
   * waiting for the run to end: its replies, read right after, free the window for the next
   * ones, so 500 veths started together leave as eight datagrams in the same run (as the C
   * floor sends 64 to a datagram) rather than 64 per run with other work in between.
   */
  constructor(
    private readonly target: OutboxTarget,
    private readonly maxMessages: number,
  ) {}

  /** Whether no request is held. */
  get isEmpty(): boolean {
    return this.held.length === 0;
  }

  /** Hold `p`'s request until the current run of JavaScript ends. */
  add(p: Pending): void {
    const size = alignMessage(NLMSG_HDRLEN + p.request.payload.length);
    if (this.bytes + size > OUTBOX_MAX_BYTES && this.held.length > 0) this.send();
    this.held.push(p);
    this.bytes += size;
    if (this.held.length >= this.maxMessages) {
      this.send();
      return;
    }
    if (!this.scheduled) {
      this.scheduled = true;
      SETTLED.then(this.sendScheduled);
    }
  }

  private readonly sendScheduled = (): void => {
    this.scheduled = false;
    this.send();
  };

  /** Send what is held now, in one datagram; false when nothing was sent. */
  send(): boolean {
    const held = this.held;
    if (held.length === 0) return false;
    // Swapped, not reallocated: a request answered inside the send may start the next ones.
    this.held = this.spare;
    this.spare = held;
    this.bytes = 0;
    const parts = this.parts;
    let count = 0;
    for (let i = 0; i < held.length; i++) {
      const p = held[i]!;
      // Timed out or aborted while held: never sent.
      if (!this.target.isLive(p)) continue;
      const payload = p.request.payload;
      const header = this.headerView(count);
      writeHeaderAt(this.headerData, count * NLMSG_HDRLEN, { type: p.request.type, flags: p.flags, seq: p.seq }, payload.length);
      count++;
      parts.push(header, payload);
      // Each message starts 4-aligned in a datagram (NLMSG_ALIGN); a body of any length may come.
      if (payload.length & 3) parts.push(PADDING.subarray(0, 4 - (payload.length & 3)));
      this.target.trace?.(encodeMessage({ type: p.request.type, flags: p.flags, seq: p.seq }, payload));
    }
    let failure: { error: unknown } | undefined;
    try {
      if (count > 0) this.target.send(parts);
    } catch (error) {
      failure = { error };
    }
    // Emptied before anything else runs: failing (or answering) a request can start others,
    // which may fill the next datagram and send it from here.
    const lost = failure ? held.filter((p) => this.target.isLive(p)) : undefined;
    parts.length = 0;
    held.length = 0;
    if (failure) {
      this.target.failed(lost!, failure.error);
      return false;
    }
    if (count === 0) return false;
    this.target.sent(count);
    return true;
  }

  /**
   * The i-th message's header bytes, rewritten for each datagram: the kernel has copied a
   * datagram before sendmsg returns, so the same few hundred bytes serve every one.
   */
  private headerView(i: number): Uint8Array {
    if (i < this.headers.length) return this.headers[i]!;
    if (this.headerBytes.length < (i + 1) * NLMSG_HDRLEN) {
      // Grown: the views are made afresh over the new bytes (headers already written in this
      // datagram stay in the old ones, which its parts still hold).
      this.headerBytes = new Uint8Array(2 * this.headerBytes.length);
      this.headerData = new DataView(this.headerBytes.buffer);
      for (let j = 0; j < this.headers.length; j++) this.headers[j] = this.headerBytes.subarray(j * NLMSG_HDRLEN, (j + 1) * NLMSG_HDRLEN);
    }
    this.headers.push(this.headerBytes.subarray(i * NLMSG_HDRLEN, (i + 1) * NLMSG_HDRLEN));
    return this.headers[i]!;
  }
}
