#!/usr/bin/env node
/**
 * Runs one phase of one contender in a fresh process and prints the outcome as the last line
 * (`BENCH_RESULT {json}`). Usage: worker.mjs CONTENDER_MODULE WORKLOAD PHASE CTX_JSON.
 * Used for contenders that do their work in-process (netns-ts), so each run starts cold, as a
 * script does; the module is imported before the clock starts (see measure.mjs).
 */
import { pathToFileURL } from 'node:url';
import { measurePhase } from './measure.mjs';

const RESULT_MARK = 'BENCH_RESULT ';
const [modulePath, workload, phase, ctxJson] = process.argv.slice(2);

let result;
try {
  const mod = await import(pathToFileURL(modulePath).href);
  result = await measurePhase(mod, workload, phase, JSON.parse(ctxJson ?? '{}'));
} catch (err) {
  result = { status: 'error', reason: String(err?.stack ?? err).split('\n').slice(0, 4).join(' | ') };
}
process.stdout.write(`\n${RESULT_MARK}${JSON.stringify(result)}\n`);
process.exit(0);
