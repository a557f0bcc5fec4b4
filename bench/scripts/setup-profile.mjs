#!/usr/bin/env node
// Where the JavaScript of a warm topology setup goes (not a test): the bench's warm
// contender's setup of N namespaces (default 1), after WARM_UPS setups (default 100), profiled
// REPS times (default 60) with V8's sampling profiler started and stopped around each setup
// only (the inspector, 20 µs between samples), each preceded by a process start as in the
// bench (../lib/wake.mjs). Printed per setup: the self time of the library's own functions
// (dist/) in all, then the TOP functions (default 30) by self time. Native calls show under
// the name V8 gives the binding's functions; the profiler's own stop shows as `dispatch`.
//
//   npx tsc -p tsconfig.build.json
//   node bench/scripts/setup-profile.mjs [N]   (as root: it re-runs itself in the bench's sandbox, bench/lib/sandbox.mjs)
import { Session } from 'node:inspector/promises';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { inSandbox, reexecInSandbox } from '../lib/sandbox.mjs';
import { wakeLikeProcessStart } from '../lib/wake.mjs';

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
if (!inSandbox()) process.exit(reexecInSandbox(fileURLToPath(import.meta.url), process.argv.slice(2), root));
const contender = await import(join(root, 'bench', 'contenders', 'netns-ts.mjs'));
const { tearDownAndSettle } = await import(join(root, 'bench', 'lib', 'settle.mjs'));
const N = Number(process.argv[2] ?? 1);
const WARM_UPS = Number(process.env.WARM_UPS ?? 100);
const REPS = Number(process.env.REPS ?? 60);
const TOP = Number(process.env.TOP ?? 30);

const undo = () => tearDownAndSettle(() => contender.workloads.topology.teardown({ n: N }), N);

for (let i = 0; i < WARM_UPS; i++) {
  await contender.workloads.topology.setup({ n: N });
  await undo();
}
const session = new Session();
session.connect();
await session.post('Profiler.enable');
await session.post('Profiler.setSamplingInterval', { interval: 20 });
/** "function file:line" → µs of self time over all profiled setups. */
const self = new Map();
const times = [];
for (let i = 0; i < REPS; i++) {
  wakeLikeProcessStart();
  await session.post('Profiler.start');
  const t0 = performance.now();
  await contender.workloads.topology.setup({ n: N });
  times.push(performance.now() - t0);
  const { profile } = await session.post('Profiler.stop');
  const sampled = new Map();
  profile.samples.forEach((id, j) => sampled.set(id, (sampled.get(id) ?? 0) + (profile.timeDeltas[j] ?? 0)));
  for (const node of profile.nodes) {
    const { functionName, url, lineNumber } = node.callFrame;
    const key = `${functionName || '(anonymous)'} ${url.replace(`file://${root}/`, '')}:${lineNumber + 1}`;
    self.set(key, (self.get(key) ?? 0) + (sampled.get(node.id) ?? 0));
  }
  await undo();
}
session.disconnect();
times.sort((a, b) => a - b);
const perSetup = (us) => `${(us / REPS).toFixed(0).padStart(6)} µs`;
const library = [...self].filter(([key]) => key.includes(' dist/')).reduce((sum, [, us]) => sum + us, 0);
console.log(`topology setup, N = ${N}: median ${times[REPS >> 1].toFixed(2)} ms while profiled (${REPS} setups after ${WARM_UPS} warm-ups)`);
console.log(`${perSetup(library)}  the library's own functions (dist/), self time per setup`);
for (const [key, us] of [...self].sort((a, b) => b[1] - a[1]).slice(0, TOP)) console.log(`${perSetup(us)}  ${key}`);
