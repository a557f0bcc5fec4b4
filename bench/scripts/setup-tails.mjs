#!/usr/bin/env node
// Warm topology setups one by one, timed as the bench's warm contender times them (not a
// test): K untimed setups of N namespaces (undone without the settling pause), a second's
// pause, then T timed setups, each after the settling pause and a process start
// (../lib/wake.mjs), each undone after. Printed: their mean, median, 10th and 90th percentiles
// and maximum, the heap, which setups had a garbage collection inside them (node:perf_hooks'
// `gc` entries; kinds 1 minor, 4 major, 8 incremental, 16 weak callbacks) and how long it took
// there, the slow ones (over 1.3× the median) and every time. It tells whether a mean is
// made by its tail, and whether the collector makes the tail.
//
// PAUSE=1 undoes the warm-up setups with the settling pause too (the bench's way before the
// evening of 30 November).
//
//   npx tsc -p tsconfig.build.json
//   node bench/scripts/setup-tails.mjs [N [K [T]]]   (defaults 1, ceil(3000 / N), 100; as root: it re-runs itself in the bench's sandbox)
import { dirname, join } from 'node:path';
import { PerformanceObserver } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import { inSandbox, reexecInSandbox } from '../lib/sandbox.mjs';

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
if (!inSandbox()) process.exit(reexecInSandbox(fileURLToPath(import.meta.url), process.argv.slice(2), root));
const contender = await import(join(root, 'bench', 'contenders', 'netns-ts.mjs'));
const { tearDownAndSettle, tearDownWithoutPause } = await import(join(root, 'bench', 'lib', 'settle.mjs'));
const { AFTER_WARM_UPS_MS } = await import(join(root, 'bench', 'lib', 'timed-setups.mjs'));
const { wakeLikeProcessStart } = await import(join(root, 'bench', 'lib', 'wake.mjs'));

const N = Number(process.argv[2] ?? 1);
const WARM_UPS = Number(process.argv[3] ?? Math.ceil(3000 / N));
const TIMED = Number(process.argv[4] ?? 100);

const collections = [];
new PerformanceObserver((list) => {
  for (const e of list.getEntries()) collections.push({ start: e.startTime, end: e.startTime + e.duration, kind: e.detail?.kind });
}).observe({ entryTypes: ['gc'] });
const heapMiB = () => (process.memoryUsage().heapUsed / 1048576).toFixed(1);
const setup = () => contender.workloads.topology.setup({ n: N });
const teardown = () => contender.workloads.topology.teardown({ n: N });
const pauseOnly = () => tearDownAndSettle(async () => {}, N);

for (let i = 0; i < WARM_UPS; i++) {
  await setup();
  await tearDownWithoutPause(teardown);
  if (process.env.PAUSE === '1') await pauseOnly();
}
await new Promise((settled) => setTimeout(settled, AFTER_WARM_UPS_MS));

const setups = [];
for (let i = 0; i < TIMED; i++) {
  await pauseOnly();
  wakeLikeProcessStart();
  const seen = collections.length;
  const t0 = performance.now();
  await setup();
  const t1 = performance.now();
  // The observer reports a collection a turn after it ended.
  await new Promise((turned) => setImmediate(turned));
  const inside = collections.slice(seen).filter((c) => c.start < t1 && c.end > t0);
  setups.push({
    ms: t1 - t0,
    gcMs: inside.reduce((sum, c) => sum + Math.min(c.end, t1) - Math.max(c.start, t0), 0),
    kinds: inside.map((c) => c.kind).join(','),
  });
  await teardown();
}
await pauseOnly();

const sorted = setups.map((s) => s.ms).sort((a, b) => a - b);
const at = (q) => sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * q))];
const median = sorted[sorted.length >> 1];
const mean = sorted.reduce((sum, ms) => sum + ms, 0) / sorted.length;
const f = (ms) => ms.toFixed(2);
console.log(`N = ${N}, ${TIMED} timed after ${WARM_UPS} warm-ups${process.env.PAUSE === '1' ? ' (each with the pause)' : ''}: mean ${f(mean)} ms, median ${f(median)}, p10 ${f(at(0.1))}, p90 ${f(at(0.9))}, max ${f(sorted[sorted.length - 1])}; heap ${heapMiB()} MiB`);
const collected = setups.filter((s) => s.gcMs > 0);
console.log(`with a collection inside: ${collected.length} of ${TIMED}${collected.length ? `: ${collected.map((s) => `${f(s.ms)} ms (${f(s.gcMs)} ms of kinds ${s.kinds})`).join(', ')}` : ''}`);
const slow = setups.filter((s) => s.ms > median * 1.3);
console.log(`over 1.3× the median: ${slow.length}${slow.length ? `: ${slow.map((s) => f(s.ms)).join(' ')}` : ''}`);
console.log(`every setup (ms): ${setups.map((s) => f(s.ms)).join(' ')}`);
