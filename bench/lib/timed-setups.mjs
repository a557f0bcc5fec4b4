/**
 * How many topology setups one run of a contender times, and how they are combined. The warm
 * contender and the C floor both time the same number of setups per run and report their mean
 * (each setup undone, and the kernel left to settle, before the next), so the two sides of the
 * per-operation ratio are the same statistic. Until the evening of 30 November the floor timed
 * one setup per run while the warm contender reported the mean of ten, which kept the floor's
 * slow setups out of its median of five and every one of netns-ts's in: over the twelve full
 * runs of 30 November up to 15:52, the floor's 60 single setups at N = 1 had a median of
 * 2.05 ms and a mean of 2.19, and 13 of them took 2.5–3.1 ms.
 */

/**
 * Setups timed per run: 10 at N = 1 and 10, 3 at N = 100 and 500. One setup per run made the
 * small sizes' medians of five jump (the warm contender's five runs at N = 1 took 4.7, 3.1,
 * 3.7, 5.9 and 6.0 ms in the full run of 07:49 on 30 November), and at N = 500 the warm
 * contender's single setups took 1,011–1,622 ms in the full run of 17:23 (the floor's 776–964)
 * where the same setups in a process of their own took 751–1,141 ms a quarter of an hour later.
 */
export function timedSetupCount(n) {
  return Math.max(3, Math.round(Math.min(100, Math.ceil(3000 / n)) / 10));
}

/**
 * After warm-up setups undone without the settling pause (settle.mjs, tearDownWithoutPause),
 * the kernel may still be finishing the work of thousands of namespaces destroyed in a row:
 * the first timed setup waits this long as well.
 */
export const AFTER_WARM_UPS_MS = 1000;

/**
 * Run `timedRun` (which returns `{ ms, … }`) `count` times, `undo` between two runs (not after
 * the last): the last run's outcome with `ms` the mean and `samples` every run's `ms`.
 */
export async function meanOfTimedRuns(count, timedRun, undo) {
  const samples = [];
  let outcome = {};
  for (let i = 0; i < count; i++) {
    if (i > 0) await undo();
    outcome = await timedRun();
    samples.push(outcome.ms);
  }
  return { ...outcome, ms: samples.reduce((sum, ms) => sum + ms, 0) / samples.length, samples };
}
