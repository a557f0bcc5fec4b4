/**
 * Timing one phase of one contender module: the clock runs around the phase call only (the
 * module is imported before). For a topology teardown the clock stops only when the kernel
 * has really removed the links and the names (see settle.mjs), so a contender that returns
 * early while the kernel still works pays for it.
 */
import { NotMeasurable } from './contender.mjs';
import { waitTopologyGone } from './settle.mjs';

const firstLines = (err) => String(err?.stack ?? err).split('\n').slice(0, 4).join(' | ');

/** @returns {Promise<{ status: 'ok' | 'unsupported' | 'error', ms?: number, reason?: string }>} */
export async function measurePhase(mod, workload, phase, ctx) {
  const fn = mod.workloads?.[workload]?.[phase];
  if (typeof fn !== 'function') {
    const reason = mod.unsupported?.[`${workload}.${phase}`] ?? mod.unsupported?.[workload] ?? `${mod.name} has no ${workload}.${phase}`;
    return { status: 'unsupported', reason };
  }
  const t0 = performance.now();
  let outcome;
  try {
    outcome = (await fn(ctx)) ?? {};
  } catch (err) {
    if (err instanceof NotMeasurable || err?.name === 'NotMeasurable') return { status: 'unsupported', reason: err.message };
    return { status: 'error', reason: firstLines(err) };
  }
  const wallMs = performance.now() - t0;
  let ms = typeof outcome.ms === 'number' ? outcome.ms : wallMs;
  if (workload === 'topology' && phase === 'teardown') {
    try {
      const settleMs = await waitTopologyGone();
      return { status: 'ok', ...outcome, ms: ms + settleMs, wallMs, settleMs };
    } catch (err) {
      return { status: 'error', reason: firstLines(err) };
    }
  }
  return { status: 'ok', ...outcome, ms, wallMs };
}
