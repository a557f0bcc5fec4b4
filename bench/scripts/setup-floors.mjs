#!/usr/bin/env node
// What the topology setup of N namespaces (default 1) costs from Node.js at the least, beside
// netns-ts and the C floor, in one process (not a test). Per setup, in turn (REPS rounds,
// default 60, after LIBRARY_WARM_UPS of netns-ts alone and WARM_UPS of each, below; each setup
// undone and the namespaces left to go first):
//
// - C floor: bench/floor's topology-setup N, its own time (process start excluded);
// - raw from Node: the same requests as the floor's (bench/floor/topology.c), in the same
//   datagrams (veths 64 to one, the four requests inside each namespace in one), written as
//   bytes with Buffer calls and sent straight through the binding, each answer read right
//   after its send (the kernel answers inside sendmsg), the namespace made by the binding's
//   netnsCreateConnected, the nf_tables batch the library's own bytes (captured once before
//   timing): no library logic at all, the least any Node.js library pays for this setup;
// - netns-ts: the bench's warm contender's setup (the typed clients).
//
// Printed: medians and their ratios to the floor, then the raw setup's phases (µs). The
// issue's per-operation target is 1.2× the C floor: the raw row says how much of that a
// Node.js process has left once it has sent the bytes.
//
// The floor's clock starts inside a process just started; the two in-process setups start
// right after a pause (the kernel destroying the last namespaces), so each is preceded by a
// process start too (../lib/wake.mjs): all three are timed from busy CPUs. To compare other
// conditions: NETNS_TS_BENCH_NO_WAKE=1 leaves that out, FLOOR_IDLE_MS=100 makes the floor sleep
// before its clock (bench/floor/topology.c), both together time all three after an idle pause.
//
// NATIVE_TIMES=1 also times every call into the binding during the two in-process setups (a
// wrapper around each native function, the same for both): the time inside the binding (the
// system calls and the kernel's work they do) per function, and what is left outside it — the
// JavaScript, its promises and its collections.
//
// LIBRARY_WARM_UPS=K runs K setups of netns-ts alone before the warm-ups (undone without the
// settling pause, which only timed runs need); the default, about 3,000 namespaces' worth
// (3,000 at N = 1, 300 at N = 10), is the bench's warm contender's warm-up since 30 November.
// Before, both stopped at 100 setups, and a setup of one namespace still got faster after that
// (its JavaScript, outside the binding, took 1.36 ms after 100 setups, 0.95 after 1,000 and 0.79
// after 3,000, one run each) as V8 went on optimising functions that run once per setup:
// LIBRARY_WARM_UPS=0 times it that way.
//
//   npx tsc -p tsconfig.build.json; make -C bench/floor
//   node bench/scripts/setup-floors.mjs [N]   (as root: it re-runs itself in the bench's sandbox, bench/lib/sandbox.mjs)
import { execFileSync } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { inSandbox, NETNS_DIR, reexecInSandbox } from '../lib/sandbox.mjs';
import { wakeLikeProcessStart } from '../lib/wake.mjs';

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
if (!inSandbox()) process.exit(reexecInSandbox(fileURLToPath(import.meta.url), process.argv.slice(2), root));
const { native } = await import(join(root, 'dist', 'native', 'binding.js'));
const plan = await import(join(root, 'bench', 'lib', 'plan.mjs'));
const contender = await import(join(root, 'bench', 'contenders', 'netns-ts.mjs'));
const { tearDownAndSettle, tearDownWithoutPause } = await import(join(root, 'bench', 'lib', 'settle.mjs'));
const { captureNftBatch, FLOOR_SETUP_PHASES, floorSetupFromNode } = await import(join(root, 'bench', 'lib', 'floor-requests.mjs'));
/** Per setup being timed: native function → [ms inside, calls] (NATIVE_TIMES=1). */
let nativeBucket;
if (process.env.NATIVE_TIMES === '1') {
  for (const [key, fn] of Object.entries(native)) {
    if (typeof fn !== 'function') continue;
    native[key] = function timedNative(...args) {
      if (!nativeBucket) return fn.apply(this, args);
      const t0 = performance.now();
      try {
        return fn.apply(this, args);
      } finally {
        const entry = (nativeBucket[key] ??= [0, 0]);
        entry[0] += performance.now() - t0;
        entry[1]++;
      }
    };
  }
}
const nativeTimes = { 'raw from Node': [], 'netns-ts': [] };
const N = Number(process.argv[2] ?? 1);
const REPS = Number(process.env.REPS ?? 60);
/** Setups of each, undone with the settling pause, before the timed ones (at most 100: each pause is 0.1 s and more). */
const WARM_UPS = Number(process.env.WARM_UPS ?? Math.min(100, Math.max(5, Math.ceil(3000 / N))));
/** Setups of netns-ts alone before those warm-ups: as bench/contenders/netns-ts-warm.mjs (see above). */
const LIBRARY_WARM_UPS = Number(process.env.LIBRARY_WARM_UPS ?? Math.ceil(3000 / N));
const floorBinary = join(root, 'bench', 'floor', 'floor');
const entries = plan.topologyEntries(N);

const rawPhases = [];
function rawSetup(batch) {
  wakeLikeProcessStart();
  const inside = (nativeBucket = {});
  const t = [performance.now()];
  floorSetupFromNode(native, entries, batch, NETNS_DIR, () => t.push(performance.now()));
  nativeBucket = undefined;
  nativeTimes['raw from Node'].push({ inside, total: t[t.length - 1] - t[0] });
  rawPhases.push(t.slice(1).map((x, i) => x - t[i]));
  return t[t.length - 1] - t[0];
}

async function librarySetup() {
  wakeLikeProcessStart();
  const inside = (nativeBucket = {});
  const t0 = performance.now();
  await contender.workloads.topology.setup({ n: N });
  const total = performance.now() - t0;
  nativeBucket = undefined;
  nativeTimes['netns-ts'].push({ inside, total });
  return total;
}

const floorSetup = () => JSON.parse(execFileSync(floorBinary, ['topology-setup', String(N)], { encoding: 'utf8' })).ms;

/** The contender's bulk teardown, then the kernel given time to destroy the namespace (as the bench waits). */
const undo = () => tearDownAndSettle(() => contender.workloads.topology.teardown({ n: N }), N);

const batch = await captureNftBatch(native, () => contender.workloads.topology.setup({ n: N }));
await undo();
// The library's code keeps tiering up long after the bench's warm-up (see LIBRARY_WARM_UPS
// above): these setups are undone without the pause, which only timed runs need.
for (let i = 0; i < LIBRARY_WARM_UPS; i++) {
  await contender.workloads.topology.setup({ n: N });
  await tearDownWithoutPause(() => contender.workloads.topology.teardown({ n: N }));
}
for (let i = 0; i < WARM_UPS; i++) {
  rawSetup(batch);
  await undo();
  await librarySetup();
  await undo();
}
rawPhases.length = 0;
for (const list of Object.values(nativeTimes)) list.length = 0;
const rows = { 'C floor': [], 'raw from Node': [], 'netns-ts': [] };
for (let i = 0; i < REPS; i++) {
  rows['C floor'].push(floorSetup());
  await undo();
  rows['raw from Node'].push(rawSetup(batch));
  await undo();
  rows['netns-ts'].push(await librarySetup());
  await undo();
}
const median = (values) => [...values].sort((a, b) => a - b)[values.length >> 1];
const floorMs = median(rows['C floor']);
const conditions = `${process.env.NETNS_TS_BENCH_NO_WAKE === '1' ? 'no process start before the in-process setups' : 'a process start before each in-process setup'}${Number(process.env.FLOOR_IDLE_MS) > 0 ? `, the floor idle ${process.env.FLOOR_IDLE_MS} ms before its clock` : ''}`;
console.log(`topology setup, N = ${N} (medians of ${REPS}, after ${WARM_UPS} warm-ups of each${LIBRARY_WARM_UPS > 0 ? ` and ${LIBRARY_WARM_UPS} of netns-ts before them` : ''}; ${conditions})`);
for (const [label, values] of Object.entries(rows)) console.log(`  ${label.padEnd(14)} ${median(values).toFixed(2).padStart(6)} ms  ${(median(values) / floorMs).toFixed(2)}× floor`);
console.log(`  raw from Node, by phase (µs): ${FLOOR_SETUP_PHASES.map((p, i) => `${p} ${(median(rawPhases.map((r) => r[i])) * 1000).toFixed(0)}`).join(', ')}`);
if (process.env.NATIVE_TIMES === '1') {
  for (const [label, list] of Object.entries(nativeTimes)) {
    const insideMs = (b) => Object.values(b.inside).reduce((sum, [ms]) => sum + ms, 0);
    const names = [...new Set(list.flatMap((b) => Object.keys(b.inside)))];
    const perFunction = names.map((k) => `${k} ${(median(list.map((b) => b.inside[k]?.[0] ?? 0)) * 1000).toFixed(0)} (${median(list.map((b) => b.inside[k]?.[1] ?? 0))} calls)`);
    console.log(`  ${label}: inside the binding ${(median(list.map(insideMs)) * 1000).toFixed(0)} µs, outside it ${(median(list.map((b) => b.total - insideMs(b))) * 1000).toFixed(0)} µs (medians); ${perFunction.join(', ')}`);
  }
}
