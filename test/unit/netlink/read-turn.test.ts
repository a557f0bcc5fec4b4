/**
 * The read budget per turn of the event loop (read-turn.ts): reads go on until the turn has read
 * for READ_TURN_BUDGET_MS (the clock looked at every READS_PER_CLOCK_LOOK reads); past it a read
 * stops between datagrams, and a read's first datagram is refused once the work has gone
 * through a microtask; the next turn starts afresh.
 */
import { expect, it } from 'vitest';
import { mayReadThisTurn, READ_TURN_BUDGET_MS, READS_PER_CLOCK_LOOK } from '../../../src/netlink/read-turn.js';
import { spin } from '../../helpers/spin.js';

const nextTurn = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

/** Reads allowed, of `tries` next ones (`starting` as given), before the first refused. */
function allowedOf(tries: number, starting: boolean): number {
  let allowed = 0;
  while (allowed < tries && mayReadThisTurn(starting)) allowed++;
  return allowed;
}

it('lets reads go on within the budget, then stops them between datagrams within a look at the clock', async () => {
  await nextTurn();
  expect(mayReadThisTurn(true)).toBe(true);
  expect(allowedOf(5 * READS_PER_CLOCK_LOOK, false)).toBe(5 * READS_PER_CLOCK_LOOK);
  spin(READ_TURN_BUDGET_MS + 2);
  expect(allowedOf(5 * READS_PER_CLOCK_LOOK, false)).toBeLessThan(READS_PER_CLOCK_LOOK);
  // Once found spent, every next read between datagrams is refused.
  expect(allowedOf(5 * READS_PER_CLOCK_LOOK, false)).toBe(0);
});

it('past the budget, still starts reads in the same synchronous run, and refuses them after a microtask', async () => {
  await nextTurn();
  expect(mayReadThisTurn(true)).toBe(true);
  spin(READ_TURN_BUDGET_MS + 2);
  // A loop starting many requests at once: each one's first datagram is read.
  expect(allowedOf(100, true)).toBe(100);
  await Promise.resolve();
  await Promise.resolve();
  // A promise chain carries on: it yields here.
  expect(mayReadThisTurn(true)).toBe(false);
  expect(mayReadThisTurn(false)).toBe(false);
});

it('gives the next turn of the event loop a new budget', async () => {
  await nextTurn();
  expect(mayReadThisTurn(true)).toBe(true);
  spin(READ_TURN_BUDGET_MS + 2);
  expect(allowedOf(READS_PER_CLOCK_LOOK, false)).toBeLessThan(READS_PER_CLOCK_LOOK);
  await Promise.resolve();
  expect(mayReadThisTurn(true)).toBe(true); // the marker is queued by this call
  await Promise.resolve();
  expect(mayReadThisTurn(true)).toBe(false);
  await nextTurn();
  expect(mayReadThisTurn(true)).toBe(true);
  expect(allowedOf(5 * READS_PER_CLOCK_LOOK, false)).toBe(5 * READS_PER_CLOCK_LOOK);
});
