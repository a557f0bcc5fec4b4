#!/usr/bin/env node
// What a distinct function costs when it runs cold (not a test; no privileges, no network
// state): K generated functions, each with its own code and its own object shape, are run
// hot (WARM_UPS times, default 2,000, so V8 has compiled them as it has a warm setup's code),
// then, REPS times per K (default 15), the program sleeps GAP_MS (default 100 ms, the bench's
// pause between setups) and runs them once more, timed:
//
// - distinct: the K functions, one call each;
// - larger: K functions with five times the body each (is it the function or its size?);
// - one function: a single one of them called K times (the same calls, one function's code).
//
// Printed: the median time of each and the time per function. setup-footprint.mjs counts the
// distinct functions a warm setup runs; this says what each costs after the bench's pause on
// this host, independently of the library.
//
//   node bench/scripts/cold-functions.mjs
import { setTimeout as sleep } from 'node:timers/promises';

const REPS = Number(process.env.REPS ?? 15);
const WARM_UPS = Number(process.env.WARM_UPS ?? 2000);
const GAP_MS = Number(process.env.GAP_MS ?? 100);
const SIZES = [30, 100, 300];

/**
 * K functions as one generated module (ordinary module functions, not eval'd closures): the
 * i-th reads and writes fields of its own name on the object it is given, `statements` times.
 */
async function generated(k, statements, tag) {
  const body = (i) =>
    Array.from({ length: statements }, (_, s) => `  o.f${i}_${s} = ((o.f${i}_${s} | 0) + ${i + s}) & 0xffff;`).join('\n');
  const source = Array.from({ length: k }, (_, i) => `export function f${i}(o) {\n${body(i)}\n  return o.f${i}_0;\n}`).join('\n');
  const module = await import(`data:text/javascript;base64,${Buffer.from(`// ${tag}\n${source}`).toString('base64')}`);
  // Each function gets objects of its own shape, as each of a setup's functions has its own.
  return Array.from({ length: k }, (_, i) => ({ fn: module[`f${i}`], object: {} }));
}

function runAll(calls) {
  let sum = 0;
  for (let i = 0; i < calls.length; i++) sum += calls[i].fn(calls[i].object);
  return sum;
}

const median = (values) => [...values].sort((a, b) => a - b)[values.length >> 1];

console.log(`K distinct functions run once after ${GAP_MS} ms asleep (medians of ${REPS}, after ${WARM_UPS} warm runs)`);
for (const k of SIZES) {
  const distinct = await generated(k, 1, `distinct ${k}`);
  const larger = await generated(k, 5, `larger ${k}`);
  const single = (await generated(1, 1, `single ${k}`))[0];
  const oneFunction = Array.from({ length: k }, () => single);
  const cases = { distinct, larger, 'one function': oneFunction };
  for (const calls of Object.values(cases)) for (let i = 0; i < WARM_UPS; i++) runAll(calls);
  const times = Object.fromEntries(Object.keys(cases).map((name) => [name, []]));
  for (let rep = 0; rep < REPS; rep++) {
    for (const [name, calls] of Object.entries(cases)) {
      await sleep(GAP_MS);
      const started = performance.now();
      runAll(calls);
      times[name].push((performance.now() - started) * 1000);
    }
  }
  const line = Object.entries(times).map(([name, t]) => `${name} ${median(t).toFixed(0)} µs (${(median(t) / k).toFixed(2)} per call)`);
  console.log(`  K = ${String(k).padStart(3)}: ${line.join(', ')}`);
}
