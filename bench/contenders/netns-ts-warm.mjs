/**
 * Contender "netns-ts-warm": the same phases as "netns-ts" (./netns-ts.mjs), measured in a
 * process that has already run them. The cold contender shows what a script pays on its first
 * call (V8 still interprets and compiles the library's code then); this one shows the
 * per-operation cost of a long-running process — a daemon, a container runtime, a test
 * harness — which is what "per-operation overhead" means once the code is compiled.
 *
 * Each phase first runs the same work untimed (leaving the state as it found it) until V8 has
 * compiled what it runs, then times more runs and returns their time as `ms`. A load of
 * 10,000 rules runs its hot code 10,000 times per run, so WARM_UPS runs do; a small setup
 * runs much of its code once per run, so setups warm up for longer (setupWarmUps); a dump of 1,000
 * objects takes a millisecond and is still speeding up after ten (measured: 40 → 2 ms over
 * the first 20 listings of 1,000 addresses), and a listing of 1,103 routes was still settling
 * between its 30th and 40th run (means per ten runs: 1.3, 2.2, then 0.5–0.7 ms; with 30
 * warm-ups the timed runs were exactly those), so dumps and listings get LISTING_WARM_UPS:
 * - topology setup: setup, teardown, wait until the kernel has removed everything (no pause),
 *   then a pause, then the timed setups (as many as the floor times: ../lib/timed-setups.mjs;
 *   each undone and the kernel left to settle before the next, each after a process start:
 *   ../lib/wake.mjs), `ms` their mean;
 * - nft load: load, delete the table, then the timed load;
 * - dumps and nft list: LISTING_TIMED runs timed back to back, `ms` their mean. One run of a
 *   100-object dump takes a fraction of a millisecond, and whether a collection or a finishing
 *   compile job lands in it swung single runs from 0.5 to 3.6 ms; the mean over several runs
 *   is the steady cost per listing, collections included.
 * Teardown is not measured warm: it is one bulk request per kind of object, already within
 * 1.0–1.4× of the C floor cold (see the netns-ts rows).
 */
import { NotMeasurable } from '../lib/contender.mjs';
import { settlePause, tearDownAndSettle, tearDownWithoutPause } from '../lib/settle.mjs';
import { AFTER_WARM_UPS_MS, meanOfTimedRuns, timedSetupCount } from '../lib/timed-setups.mjs';
import { wakeLikeProcessStart } from '../lib/wake.mjs';
import * as cold from './netns-ts.mjs';

export const name = 'netns-ts-warm';
export const label = 'netns-ts (warm process)';
export const description = 'this library (dist/), timed on a repeat of the same phase in one process (JIT-compiled code)';
export const inProcess = true;
export const available = cold.available;

/** Untimed runs before the timed one: enough for V8 to compile the hot paths. */
const WARM_UPS = 5;
/**
 * Untimed setups before the timed ones: about 3,000 namespaces' worth at every N (3,000 setups
 * at N = 1, 300 at N = 10, 30 at N = 100, at least WARM_UPS). A setup runs its per-namespace
 * code N times and its per-setup code once, and V8 goes on compiling that code long after the
 * first hundred setups: at N = 100 it was still compiling functions (TurboFan, on threads that
 * share the two vCPUs with the kernel's work) in 28 of 30 setups (`node --trace-opt`: 3–14
 * functions per setup over the first twenty, 0–6 over the last ten), and at N = 1 4–8 per 100
 * setups between the 100th and the 1,000th; a setup of one namespace took 1.33–1.50× the floor
 * after 100 setups and 1.07–1.15× after 3,000 more (bench/scripts/setup-floors.mjs, 30 November).
 * Until then this was capped at 100 setups, each followed by the settling pause, which 3,000
 * would have made 7 minutes per run; warm-ups are now undone without the pause (only a timed
 * setup needs the kernel to have finished its last teardown), about 10 ms each at N = 1.
 * NETNS_TS_BENCH_WARM_UPS overrides the count (to compare with a shorter warm-up).
 */
function setupWarmUps(n) {
  const fixed = Number(process.env.NETNS_TS_BENCH_WARM_UPS);
  return fixed > 0 ? fixed : Math.max(WARM_UPS, Math.ceil(3000 / n));
}
/** The same for dumps and listings, which are short (see above), and how many are timed. */
const LISTING_WARM_UPS = 100;
const LISTING_TIMED = 10;

async function timed(fn) {
  const t0 = performance.now();
  const outcome = (await fn()) ?? {};
  return { ...outcome, ms: performance.now() - t0 };
}

/**
 * Warm up with `run` followed by `warmUndo` (restoring the state), then time `run` `timedRuns`
 * times (undone by `undo` in between, not after the last): `ms` is their mean
 * (../lib/timed-setups.mjs). `beforeTimed` runs once between the two; `wake` right before each
 * clock starts (see ../lib/wake.mjs).
 */
async function warmThenTime(run, undo, { warmUps = WARM_UPS, warmUndo = undo, beforeTimed = async () => {}, wake = () => {}, timedRuns = 1 } = {}) {
  for (let i = 0; i < warmUps; i++) {
    await run();
    await warmUndo();
  }
  await beforeTimed();
  return meanOfTimedRuns(
    timedRuns,
    () => {
      wake();
      return timed(run);
    },
    undo,
  );
}

/** Warm up with `run`, then time LISTING_TIMED runs of it: their mean. */
async function repeatThenTime(run) {
  for (let i = 0; i < LISTING_WARM_UPS; i++) await run();
  let outcome = {};
  const t0 = performance.now();
  for (let i = 0; i < LISTING_TIMED; i++) outcome = (await run()) ?? {};
  return { ...outcome, ms: (performance.now() - t0) / LISTING_TIMED };
}

export const workloads = {
  topology: {
    setup: (ctx) =>
      warmThenTime(
        () => cold.workloads.topology.setup(ctx),
        () => tearDownAndSettle(() => cold.workloads.topology.teardown(ctx), ctx.n),
        {
          warmUps: setupWarmUps(ctx.n),
          warmUndo: () => tearDownWithoutPause(() => cold.workloads.topology.teardown(ctx)),
          beforeTimed: async () => {
            await settlePause(ctx.n);
            await new Promise((settled) => setTimeout(settled, AFTER_WARM_UPS_MS));
          },
          // Each timed setup follows a pause (the kernel destroying namespaces): start from busy CPUs, as the floor's clock does.
          wake: wakeLikeProcessStart,
          timedRuns: timedSetupCount(ctx.n),
        },
      ),
    teardown: () => {
      throw new NotMeasurable('not measured warm: one bulk request per kind of object (see the netns-ts row)');
    },
  },
  dumps: Object.fromEntries(Object.entries(cold.workloads.dumps).map(([phase, fn]) => [phase, (ctx) => repeatThenTime(() => fn(ctx))])),
  nft: {
    load: (ctx) => warmThenTime(() => cold.workloads.nft.load(ctx), cold.deleteNatTable),
    loadPrepared: (ctx) => warmThenTime(() => cold.workloads.nft.loadPrepared(ctx), cold.deleteNatTable),
    list: (ctx) => repeatThenTime(() => cold.workloads.nft.list(ctx)),
  },
};
