/**
 * How long the JS thread may go on reading replies before the event loop gets a turn.
 *
 * The kernel answers a request inside the sender's sendmsg, so a reply is read right after the
 * send and its promise settles in a microtask; the next request of a loop awaiting them one
 * after another is sent from that microtask, and so on — all in one turn of the event loop.
 * Left alone, `for (;;) await links.get('lo')` ran 3,227 requests in 300 ms while a 1 ms timer
 * set before it never fired. So every socket's reading shares one budget per turn: past it,
 * reading stops and what is queued stays in the socket, whose readiness (polled, level
 * triggered) brings it back on the next turn, after timers and other I/O have run.
 *
 * A time rather than a count: work that fits in it is untouched (a loop of 500 ms yields about
 * 50 times, a turn of the loop each), and a count right for 8 µs requests would be wrong for
 * replies that take a millisecond to decode.
 */

/** Milliseconds of reading per turn of the event loop. */
export const READ_TURN_BUDGET_MS = 10;
/**
 * Reads between looks at the clock (a power of two). A look costs what a request's other
 * bookkeeping does (Date.now: 0.1 µs; performance.now took 0.25 µs), and the budget needs no
 * finer grain than a few replies.
 */
export const READS_PER_CLOCK_LOOK = 8;

/** When the current turn's first read started (Date.now), or -1 between turns. */
let turnStartedAt = -1;
/** Reads this turn, and whether a look at the clock found the budget spent. */
let reads = 0;
let spent = false;

/**
 * Past the budget, whether the code sending and reading has gone through a microtask since:
 * NONE (not past it yet), QUEUED (a marker microtask is queued: still the same synchronous run
 * of JS), PASSED (the marker ran: a promise chain carries the work on).
 */
const enum Hop {
  NONE,
  QUEUED,
  PASSED,
}
let hop = Hop.NONE;

function endTurn(): void {
  turnStartedAt = -1;
  reads = 0;
  spent = false;
  hop = Hop.NONE;
}

function markerRan(): void {
  if (hop === Hop.QUEUED) hop = Hop.PASSED;
}

/**
 * Whether a read may go on in this turn of the event loop: `starting` for the first datagram
 * of a read (a flush after a send, or the socket's readiness), false for each next one. The
 * first call of a turn starts its clock; an immediate (run once the loop has handled this
 * turn's I/O) ends it. The clock is looked at every READS_PER_CLOCK_LOOK reads.
 *
 * Past the budget, a read stops between datagrams at once. A read's first datagram is still
 * read until the work has gone through a microtask: a synchronous loop of JS starting 20,000
 * requests (`Promise.all`) cannot be interrupted anyway, and leaving its replies unread only
 * made every request it started wait in memory (twice the time per request, in
 * bench/scripts/request-overhead.mjs); a loop awaiting one request after another goes through
 * a microtask per request, and that is where it yields.
 */
export function mayReadThisTurn(starting: boolean): boolean {
  if (turnStartedAt < 0) {
    turnStartedAt = Date.now();
    // Unref'd: marking turns must never keep a process alive.
    setImmediate(endTurn).unref();
    return true;
  }
  if (!spent) {
    if ((++reads & (READS_PER_CLOCK_LOOK - 1)) !== 0 || Date.now() - turnStartedAt < READ_TURN_BUDGET_MS) return true;
    spent = true;
  }
  if (!starting) return false;
  if (hop === Hop.NONE) {
    hop = Hop.QUEUED;
    queueMicrotask(markerRan);
  }
  return hop === Hop.QUEUED;
}
