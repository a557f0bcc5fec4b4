#!/usr/bin/env node
// What making the namespaces off the JS thread saves a setup (not a test): the bench's warm
// topology setup of N namespaces (default 1) two ways, in turns in one process, the order
// swapped every round, each undone and the kernel left to settle as the bench does, after
// WARM_UPS rounds (default 20) and with a process start before each (bench/lib/wake.mjs):
//
// - one after another: each namespace made where the setup reaches it (connectInNetns with
//   `create`: the JS thread waits for the kernel, as the C floor does);
// - overlapped: every namespace started first on libuv's pool threads (connectInNetnsAsync),
//   the host's bridge, its address and the rules made meanwhile — the bench's contender
//   (bench/contenders/netns-ts.mjs).
//
// Both then go through the same phases: every veth, then inside every namespace.
//
// Printed: the median setup of each, their ratio, the median paired difference and in how
// many rounds the overlapped setup was the faster.
//
//   npx tsc -p tsconfig.build.json
//   node bench/scripts/setup-overlap.mjs [N]   (as root: it re-runs itself in the bench's sandbox)
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { inSandbox, reexecInSandbox } from '../lib/sandbox.mjs';

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
if (!inSandbox()) process.exit(reexecInSandbox(fileURLToPath(import.meta.url), process.argv.slice(2), root));
const contender = await import(join(root, 'bench', 'contenders', 'netns-ts.mjs'));
const { tearDownAndSettle } = await import(join(root, 'bench', 'lib', 'settle.mjs'));
const { wakeLikeProcessStart } = await import(join(root, 'bench', 'lib', 'wake.mjs'));

const N = Number(process.argv[2] ?? 1);
const REPS = Number(process.env.REPS ?? 60);
const WARM_UPS = Number(process.env.WARM_UPS ?? 20);
const ways = { 'one after another': true, overlapped: false };

async function timedSetup(way) {
  wakeLikeProcessStart();
  const started = performance.now();
  await contender.topologySetup({ n: N, sequential: ways[way] });
  const ms = performance.now() - started;
  await tearDownAndSettle(() => contender.workloads.topology.teardown({ n: N }), N);
  return ms;
}

const names = Object.keys(ways);
for (let i = 0; i < WARM_UPS; i++) for (const way of names) await timedSetup(way);
const times = Object.fromEntries(names.map((way) => [way, []]));
for (let i = 0; i < REPS; i++) for (const way of i % 2 ? names : [...names].reverse()) times[way].push(await timedSetup(way));

const median = (values) => [...values].sort((a, b) => a - b)[values.length >> 1];
const [before, after] = names.map((way) => median(times[way]));
const differences = times.overlapped.map((ms, i) => ms - times['one after another'][i]);
console.log(`warm topology setup, N = ${N}, ${REPS} rounds after ${WARM_UPS}: one after another ${before.toFixed(3)} ms, overlapped ${after.toFixed(3)} ms`);
console.log(`  overlapped/one after another ${(after / before).toFixed(3)}, median paired difference ${(median(differences) * 1000).toFixed(0)} µs, overlapped faster in ${differences.filter((d) => d < 0).length} of ${REPS} rounds`);
