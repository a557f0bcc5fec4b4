#!/usr/bin/env node
// How much JavaScript one warm topology setup of N namespaces (default 1) runs (not a test):
// the distinct functions it calls, counted by V8's precise coverage (call counts), for the
// bench's warm contender (the library's typed clients) and for the floor's requests sent as
// bytes from Node (bench/lib/floor-requests.mjs, as setup-floors.mjs sends them). Each is
// warmed up (WARM_UPS setups, default 30), then REPS setups (default 5) are counted one by
// one; printed: the medians by origin (the library's dist/, code it generated with
// new Function, Node's own modules, the bench's scripts) and the library files with the most.
//
// Why count functions: after a pause of 100 ms or more (the bench's, between setups) the code
// a setup runs is no longer in the CPU's caches (bench/scripts/cold-gap.mjs), and each
// distinct function costs its first run microseconds, whatever it does. Set against the time
// each setup spends outside the binding (setup-floors.mjs with NATIVE_TIMES=1) this gives the
// cost per function.
//
//   npx tsc -p tsconfig.build.json
//   node bench/scripts/setup-footprint.mjs [N]   (as root: it re-runs itself in the bench's sandbox, bench/lib/sandbox.mjs)
import { Session } from 'node:inspector/promises';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { inSandbox, NETNS_DIR, reexecInSandbox } from '../lib/sandbox.mjs';

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
if (!inSandbox()) process.exit(reexecInSandbox(fileURLToPath(import.meta.url), process.argv.slice(2), root));
const { native } = await import(join(root, 'dist', 'native', 'binding.js'));
const plan = await import(join(root, 'bench', 'lib', 'plan.mjs'));
const contender = await import(join(root, 'bench', 'contenders', 'netns-ts.mjs'));
const { tearDownAndSettle } = await import(join(root, 'bench', 'lib', 'settle.mjs'));
const { captureNftBatch, floorSetupFromNode } = await import(join(root, 'bench', 'lib', 'floor-requests.mjs'));
const N = Number(process.argv[2] ?? 1);
const WARM_UPS = Number(process.env.WARM_UPS ?? 30);
const REPS = Number(process.env.REPS ?? 5);
const entries = plan.topologyEntries(N);

const undo = () => tearDownAndSettle(() => contender.workloads.topology.teardown({ n: N }), N);

const batch = await captureNftBatch(native, () => contender.workloads.topology.setup({ n: N }));
await undo();
const setups = {
  'netns-ts': () => contender.workloads.topology.setup({ n: N }),
  'raw from Node': () => floorSetupFromNode(native, entries, batch, NETNS_DIR),
};

/** Where a script comes from, for the counts. */
function origin(url) {
  if (url.startsWith(`file://${root}/dist/`)) return 'library';
  if (url === '') return 'generated';
  if (url.startsWith('node:')) return 'node';
  if (url.startsWith(`file://${root}/bench/`)) return 'bench';
  return 'other';
}
const ORIGINS = ['library', 'generated', 'node', 'bench', 'other'];

const session = new Session();
session.connect();
await session.post('Profiler.enable');
await session.post('Profiler.startPreciseCoverage', { callCount: true, detailed: false });
const median = (values) => [...values].sort((a, b) => a - b)[values.length >> 1];
console.log(`distinct functions run by one warm topology setup, N = ${N} (medians of ${REPS}, after ${WARM_UPS} warm-ups)`);
for (const [label, setup] of Object.entries(setups)) {
  for (let i = 0; i < WARM_UPS; i++) {
    await setup();
    await undo();
  }
  const counts = [];
  const libraryFiles = new Map();
  for (let i = 0; i < REPS; i++) {
    await session.post('Profiler.takePreciseCoverage'); // resets the counts
    await setup();
    const { result } = await session.post('Profiler.takePreciseCoverage');
    await undo();
    const count = Object.fromEntries(ORIGINS.map((o) => [o, 0]));
    for (const script of result) {
      const from = origin(script.url);
      // A script's own top level is listed as a function; only functions called in this setup count.
      const called = script.functions.filter((f) => f.ranges[0].count > 0 && !(f.functionName === '' && f.ranges[0].startOffset === 0)).length;
      count[from] += called;
      if (from === 'library' && called > 0) {
        const file = script.url.slice(`file://${root}/dist/`.length);
        libraryFiles.set(file, [...(libraryFiles.get(file) ?? []), called]);
      }
    }
    counts.push(count);
  }
  const total = median(counts.map((c) => ORIGINS.reduce((sum, o) => sum + c[o], 0)));
  console.log(`  ${label.padEnd(14)} ${String(total).padStart(4)} functions: ${ORIGINS.map((o) => `${o} ${median(counts.map((c) => c[o]))}`).join(', ')}`);
  if (libraryFiles.size > 0) {
    const top = [...libraryFiles].map(([file, n]) => [file, median(n)]).sort((a, b) => b[1] - a[1]).slice(0, 12);
    console.log(`    most in: ${top.map(([file, n]) => `${file} ${n}`).join(', ')}`);
  }
}
session.disconnect();
