#!/usr/bin/env node
// Two builds of the library, A and B, timing the bench's warm topology setup of N namespaces
// (default 1) in turns in one process (not a test): per round one setup of each, the order
// swapped every round, each undone and the kernel left to settle as the bench does, after
// WARM_UPS rounds (default 20). Printed: the median setup of each, B/A, the median of the
// paired differences (B − A, same round) and in how many rounds B was the faster.
//
// Why one process: separate bench runs of two builds, alternated, drift with this VM's noise
// by more than a change of a few percent (a whole run's medians moved 10% between pairs);
// setups in turns share every condition but the code.
//
//   node bench/scripts/setup-ab.mjs A_DIR B_DIR [N]   (as root: it re-runs itself in the bench's sandbox)
//
// A_DIR and B_DIR are checkouts with dist/ and build/ built (e.g. a `git worktree` of the
// commit before a change, `npx tsc -p tsconfig.build.json` and the native build copied or
// rebuilt there). REPS rounds (default 60); NETNS_TS_BENCH_NO_WAKE=1 leaves out the process
// start before each setup (bench/lib/wake.mjs).
//
// Both builds run this checkout's contender (bench/contenders/netns-ts.mjs), so only the
// library differs. OWN_CONTENDER=1 runs each checkout's own contender on this checkout's
// library instead, to compare two versions of the contender's setup (an order of requests).
// Calibration: with A and B the same code, 80 rounds once gave a median difference of
// −143 µs (B faster in 47), 200 rounds −5 µs (103 of 200) at N = 1.
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { inSandbox, reexecInSandbox } from '../lib/sandbox.mjs';

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
if (!inSandbox()) process.exit(reexecInSandbox(fileURLToPath(import.meta.url), process.argv.slice(2), root));
const [dirA, dirB] = process.argv.slice(2, 4);
if (!dirA || !dirB) {
  console.error('usage: node bench/scripts/setup-ab.mjs A_DIR B_DIR [N]');
  process.exit(2);
}
const N = Number(process.argv[4] ?? 1);
const REPS = Number(process.env.REPS ?? 60);
const WARM_UPS = Number(process.env.WARM_UPS ?? 20);
const { tearDownAndSettle } = await import(join(root, 'bench', 'lib', 'settle.mjs'));
const { wakeLikeProcessStart } = await import(join(root, 'bench', 'lib', 'wake.mjs'));

const ownContender = process.env.OWN_CONTENDER === '1';

/**
 * The warm contender on the build in `dir` (or, OWN_CONTENDER=1, `dir`'s contender on this
 * checkout's build): a module instance of its own (the URL's query), reading its entry when loaded.
 */
async function contenderOn(dir, tag) {
  process.env.NETNS_TS_BENCH_ENTRY = join(ownContender ? root : resolve(dir), 'dist', 'index.js');
  const contender = join(ownContender ? resolve(dir) : root, 'bench', 'contenders', 'netns-ts.mjs');
  return import(`${pathToFileURL(contender).href}?build=${tag}`);
}
const builds = { A: await contenderOn(dirA, 'A'), B: await contenderOn(dirB, 'B') };

async function timedSetup(which) {
  const { topology } = builds[which].workloads;
  wakeLikeProcessStart();
  const started = performance.now();
  await topology.setup({ n: N });
  const ms = performance.now() - started;
  await tearDownAndSettle(() => topology.teardown({ n: N }), N);
  return ms;
}

for (let i = 0; i < WARM_UPS; i++) for (const which of ['A', 'B']) await timedSetup(which);
const times = { A: [], B: [] };
for (let i = 0; i < REPS; i++) for (const which of i % 2 ? ['A', 'B'] : ['B', 'A']) times[which].push(await timedSetup(which));

const median = (values) => [...values].sort((a, b) => a - b)[values.length >> 1];
const differences = times.A.map((a, i) => times.B[i] - a);
const [a, b] = [median(times.A), median(times.B)];
console.log(`warm topology setup, N = ${N}, ${REPS} rounds after ${WARM_UPS}: A ${a.toFixed(3)} ms (${dirA}), B ${b.toFixed(3)} ms (${dirB})`);
console.log(`  B/A ${(b / a).toFixed(3)}, median of B − A ${(median(differences) * 1000).toFixed(0)} µs, B faster in ${differences.filter((d) => d < 0).length} of ${REPS} rounds`);
