/**
 * Events from a netlink socket as an async iterable. Besides messages it reports `overrun`
 * when the kernel dropped events (ENOBUFS) or the consumer fell behind the high-water mark:
 * the subscriber's view is stale and must be resynced (re-dump the state).
 */
import type { NetlinkMessage } from './message.js';

export type ConnectionEvent =
  /** `nsid`: the peer namespace an event came from, on NETLINK_LISTEN_ALL_NSID sockets. */
  | { kind: 'message'; message: NetlinkMessage; groups: number; nsid?: number }
  | { kind: 'overrun' }
  | { kind: 'error'; error: Error };

export class EventStream implements AsyncIterableIterator<ConnectionEvent> {
  private readonly queue: ConnectionEvent[] = [];
  private waiter: ((r: IteratorResult<ConnectionEvent>) => void) | undefined;
  private ended = false;
  private overrunQueued = false;

  constructor(
    private readonly highWaterMark: number,
    private readonly hooks: { waiting(): void; closed(s: EventStream): void },
  ) {}

  /** True while a consumer awaits the next event (the process is kept alive then). */
  get isWaiting(): boolean {
    return this.waiter !== undefined;
  }

  push(event: ConnectionEvent): void {
    if (this.ended) return;
    if (this.waiter) {
      const w = this.waiter;
      this.waiter = undefined;
      w({ value: event, done: false });
      this.hooks.waiting();
      return;
    }
    if (event.kind === 'overrun' || this.queue.length >= this.highWaterMark) {
      // Lost events: one overrun marker replaces the backlog, since a resync follows anyway.
      if (event.kind === 'message') this.queue.length = 0;
      if (!this.overrunQueued) {
        this.queue.push({ kind: 'overrun' });
        this.overrunQueued = true;
      }
      return;
    }
    this.queue.push(event);
  }

  next(): Promise<IteratorResult<ConnectionEvent>> {
    const event = this.queue.shift();
    if (event) {
      if (event.kind === 'overrun') this.overrunQueued = false;
      return Promise.resolve({ value: event, done: false });
    }
    if (this.ended) return Promise.resolve({ value: undefined, done: true });
    return new Promise((resolve) => {
      this.waiter = resolve;
      this.hooks.waiting();
    });
  }

  /** Stop receiving (also called by `break` in a for-await loop). */
  return(): Promise<IteratorResult<ConnectionEvent>> {
    this.end();
    return Promise.resolve({ value: undefined, done: true });
  }

  end(): void {
    if (this.ended) return;
    this.ended = true;
    this.queue.length = 0;
    const w = this.waiter;
    this.waiter = undefined;
    w?.({ value: undefined, done: true });
    this.hooks.closed(this);
  }

  [Symbol.asyncIterator](): this {
    return this;
  }
}
