/**
 * Starting an in-process timed run from the same state as the C floor's. The floor times
 * itself from inside a process that has just been started, so its clock starts on CPUs busy
 * with that start; a setup timed in a warm Node.js process starts right after a pause (the
 * kernel given time to destroy the last namespaces), on CPUs that have been idle for 100 ms or
 * more, and on this VM the first few hundred microseconds after an idle period run slower.
 * Measured with the floor itself (made to sleep 100 ms before its clock starts: FLOOR_IDLE_MS,
 * bench/floor/topology.c), N = 1, medians of 28: 2.41 ms against 2.14 ms;
 * `bench/scripts/setup-floors.mjs` says the same of the floor's requests sent as bytes from
 * Node (1.21× and 1.25× the floor after a pause, 1.08× and 1.10× after a process start). So
 * before a timed in-process setup the runner starts a process too — the same thing that
 * happens before the floor's clock — and both are timed from busy CPUs.
 * NETNS_TS_BENCH_NO_WAKE=1 leaves it out (to compare).
 */
import { spawnSync } from 'node:child_process';

const enabled = process.env.NETNS_TS_BENCH_NO_WAKE !== '1';

/** Start (and wait for) a trivial process, as the floor's clock is preceded by its own start. */
export function wakeLikeProcessStart() {
  if (enabled) spawnSync('/bin/true', { stdio: 'ignore' });
}
