/**
 * Waiting for the kernel to finish a teardown. Deleting a namespace name returns at once
 * while the kernel destroys the namespace (and the veth peers in it, which takes their host
 * ends with them) later, in a work queue. A teardown counts as done only when the host side
 * shows no bench link and no bench namespace name is left.
 */
import { readdirSync } from 'node:fs';
import { BRIDGE } from './plan.mjs';

const POLL_MS = 1;
const GIVE_UP_MS = 120_000;

function leftovers() {
  const links = readdirSync('/sys/class/net').filter((l) => l === BRIDGE || /^bv\d+$/.test(l));
  let names = [];
  try {
    names = readdirSync('/run/netns').filter((n) => n.startsWith('bench-ns-'));
  } catch {
    /* no /run/netns: nothing left */
  }
  return links.length + names.length;
}

/** Milliseconds spent waiting until no topology object is visible any more. */
export async function waitTopologyGone() {
  const t0 = performance.now();
  while (leftovers() > 0) {
    if (performance.now() - t0 > GIVE_UP_MS) throw new Error('topology objects still present two minutes after teardown');
    await new Promise((r) => setTimeout(r, POLL_MS));
  }
  return performance.now() - t0;
}

/**
 * The pause between topology runs: the names are gone once waitTopologyGone returns, but the
 * kernel still destroys the namespaces in a work queue, more of them the larger N.
 */
export const settlePause = (n) => new Promise((settled) => setTimeout(settled, 100 + 2 * n));

/**
 * Undo a topology of `n` namespaces between runs: `teardown()` (a contender's), then wait
 * until the kernel has removed everything and give it the pause above.
 */
export async function tearDownAndSettle(teardown, n) {
  await teardown();
  await waitTopologyGone();
  await settlePause(n);
}

/**
 * Undo a warm-up setup: `teardown()`, then wait until the kernel has removed what is visible,
 * without the settling pause (only a timed setup needs the kernel to have finished its last
 * teardown; 3,000 warm-ups with the pause would take minutes).
 */
export async function tearDownWithoutPause(teardown) {
  await teardown();
  await waitTopologyGone();
}
