/**
 * Request timeouts without a timer per request. A request answered in microseconds would
 * otherwise pay for a setTimeout and a clearTimeout (Node keeps timers in a priority queue:
 * about a microsecond for the pair, as much as the kernel takes to answer).
 *
 * Entries of one duration are kept in the order they were added, which is also the order they
 * expire in, so each duration needs one queue and one timer, armed for the oldest entry. A
 * cancelled entry is only marked; the queue drops marked entries from its head as they reach
 * it, so requests completing in order (the usual case) leave nothing behind. The timer is not
 * re-armed when the oldest entry is cancelled: when it fires it expires what is due and is
 * armed again for what is left, so a steady stream of requests costs one timer per duration
 * and period. The clock is performance.now(), which no wall-clock change moves. Timers are
 * unref'd: whoever waits keeps the process alive by other means (the connection's socket, see
 * Transport.setActive).
 */
import { performance } from 'node:perf_hooks';

/** A registered deadline: `cancel()` before it passes and `expire` is never called. */
export interface Deadline {
  cancel(): void;
}

const NOTHING = (): void => {};

class Entry implements Deadline {
  done = false;
  constructor(
    readonly at: number,
    public expire: () => void,
  ) {}

  cancel(): void {
    this.done = true;
    // A cancelled entry may wait in its queue until the timer fires: it must not keep what its
    // expiry would have touched (a finished dump's replies and objects) alive that long.
    this.expire = NOTHING;
  }
}

class Queue {
  private entries: Entry[] = [];
  private head = 0;
  private timer: ReturnType<typeof setTimeout> | undefined;

  constructor(
    private readonly ms: number,
    private readonly idle: () => void,
  ) {}

  add(expire: () => void): Entry {
    const entry = new Entry(performance.now() + this.ms, expire);
    this.dropDoneHead();
    this.entries.push(entry);
    if (this.timer === undefined) this.arm(this.ms);
    return entry;
  }

  private dropDoneHead(): void {
    const entries = this.entries;
    while (this.head < entries.length && entries[this.head]!.done) this.head++;
    // Compact once the dead prefix is as long as the rest (amortised O(1) per entry).
    if (this.head > 0 && this.head * 2 >= entries.length) {
      this.entries = entries.slice(this.head);
      this.head = 0;
    }
  }

  private arm(ms: number): void {
    this.timer = setTimeout(() => this.fire(), Math.max(0, ms));
    this.timer.unref?.();
  }

  private fire(): void {
    this.timer = undefined;
    const now = performance.now();
    const due: Entry[] = [];
    const entries = this.entries;
    while (this.head < entries.length && (entries[this.head]!.done || entries[this.head]!.at <= now)) {
      const entry = entries[this.head++]!;
      if (!entry.done) {
        entry.done = true;
        due.push(entry);
      }
    }
    this.dropDoneHead();
    if (this.head < this.entries.length) this.arm(this.entries[this.head]!.at - now);
    else this.idle();
    // Expire last: an expiry may add entries (a retry) or cancel others.
    for (const entry of due) entry.expire();
  }
}

/** Deadlines of any duration, one queue per duration. */
export class Deadlines {
  private readonly queues = new Map<number, Queue>();

  /** Call `expire` in `ms` milliseconds unless cancelled first. */
  add(ms: number, expire: () => void): Deadline {
    let queue = this.queues.get(ms);
    if (queue === undefined) {
      queue = new Queue(ms, () => this.queues.delete(ms));
      this.queues.set(ms, queue);
    }
    return queue.add(expire);
  }
}
