/**
 * Running one phase of one contender, and collecting results. A contender whose work happens
 * in this very process (`inProcess = true`: netns-ts) runs in a fresh worker process each
 * time, so it starts cold like a script and no run inherits another's JIT or heap. The others
 * already do their work in child processes that they start and time (ip, nft, python, the
 * floor), so their phase functions are called here directly.
 */
import { spawnSync } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { measurePhase } from './measure.mjs';

const WORKER = join(dirname(fileURLToPath(import.meta.url)), 'worker.mjs');
const RESULT_MARK = 'BENCH_RESULT ';
/** A phase that takes longer than this is reported as an error (a hung contender). */
const PHASE_TIMEOUT_MS = 15 * 60 * 1000;

function runInWorker(contender, workload, phase, ctx) {
  const r = spawnSync(process.execPath, [WORKER, contender.modulePath, workload, phase, JSON.stringify(ctx)], {
    encoding: 'utf8',
    maxBuffer: 64 * 1024 * 1024,
    timeout: PHASE_TIMEOUT_MS,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const line = (r.stdout ?? '').split('\n').reverse().find((l) => l.startsWith(RESULT_MARK));
  if (!line) {
    const why = r.error ? r.error.message : `worker exited ${r.status ?? r.signal}`;
    return { status: 'error', reason: `${why}: ${(r.stderr ?? '').trim().split('\n').slice(-3).join(' | ')}` };
  }
  return JSON.parse(line.slice(RESULT_MARK.length));
}

/**
 * @param {{ name: string, modulePath: string, inProcess?: boolean }} contender
 * @returns {Promise<{ status: 'ok' | 'unsupported' | 'error', ms?: number, reason?: string, [k: string]: unknown }>}
 */
export async function runPhase(contender, workload, phase, ctx) {
  if (contender.inProcess) return runInWorker(contender, workload, phase, ctx);
  const mod = await import(pathToFileURL(contender.modulePath).href);
  return measurePhase(mod, workload, phase, ctx);
}

/** Every measurement of the run, grouped by point (workload, phase, size) and contender. */
export class Results {
  points = [];

  entry(workload, phase, size, contender) {
    let point = this.points.find((p) => p.workload === workload && p.phase === phase && p.size === size);
    if (!point) {
      point = { workload, phase, size, entries: [] };
      this.points.push(point);
    }
    let entry = point.entries.find((e) => e.contender === contender.name);
    if (!entry) {
      entry = { contender: contender.name, label: contender.label, status: 'ok', runs: [] };
      point.entries.push(entry);
    }
    return entry;
  }

  /** Whether further repetitions of this point are pointless (unsupported, or it failed). */
  settled(workload, phase, size, contender) {
    return this.entry(workload, phase, size, contender).status !== 'ok';
  }

  add(workload, phase, size, contender, result) {
    const entry = this.entry(workload, phase, size, contender);
    if (result.status !== 'ok') {
      entry.status = result.status;
      entry.reason = result.reason;
      return;
    }
    const { status: _s, mode, note, count, ...run } = result;
    entry.runs.push({ ...run, ...(count === undefined ? {} : { count }) });
    if (mode) entry.mode = mode;
    if (note) entry.note = note;
    if (count !== undefined) entry.count = count;
  }
}

/** The contenders in a different order for each repetition, so no one always runs first. */
export function rotate(list, by) {
  if (list.length === 0) return list;
  const k = by % list.length;
  return [...list.slice(k), ...list.slice(0, k)];
}
