/**
 * The contender interface. A contender is an ES module in bench/contenders/ exporting:
 *
 * ```js
 * export const name = 'floor';                    // id used in results and --contenders
 * export const label = 'C floor (libmnl/libnftnl)';
 * export const description = 'what it does, in a sentence';
 * export async function available() { return { ok: true } }   // or { ok: false, reason }
 * export const workloads = {
 *   topology: { setup(ctx), teardown(ctx) },         // ctx: { n }
 *   dumps: { links(ctx), addresses(ctx), routes(ctx), neighbours(ctx) },  // ctx: { netns, links }
 *   nft: { load(ctx), list(ctx) },                   // ctx: { n }
 *   codec: { run(ctx) },                             // ctx: { messages }
 * };
 * export const unsupported = { dumps: 'why not', 'nft.list': 'why not' };  // shown in the table
 * ```
 *
 * A workload (or `workload.phase`) listed in `unsupported` gets a row saying "not measurable:
 * reason"; a workload in neither `workloads` nor `unsupported` gets no row at all.
 *
 * export const inProcess = true;   // only for contenders working inside the calling process
 *
 * The harness times each phase call (bench/lib/measure.mjs), after the module was imported.
 * An `inProcess` contender (netns-ts) is called in a fresh worker process each time
 * (bench/lib/worker.mjs), so it starts cold like a script; the others start and time their
 * own child processes (ip, nft, python, the floor) and are called directly. A phase resolves to a
 * {@link PhaseOutcome}: if the real work happened in a child process that timed itself (the
 * C floor, pyroute2), it returns that `ms` and the worker keeps it. A phase that cannot be
 * measured (yet) throws {@link NotMeasurable}; it is reported as such, never as a number.
 */

/**
 * @typedef {object} PhaseOutcome
 * @property {number} [ms] Time measured by the contender itself (else the worker's timer).
 * @property {'bulk' | 'one-by-one'} [mode] How a teardown deleted things.
 * @property {number} [count] Objects listed by a dump or list phase (checked by the harness).
 * @property {string} [note] Anything a reader of the table must know about this number.
 * @property {{ family: string, encodePerSec: number, decodePerSec: number }[]} [throughput]
 *   Codec workload only: messages per second per family.
 */

/** Thrown by a phase that cannot be measured; the reason goes into the table. */
export class NotMeasurable extends Error {
  /** @param {string} reason */
  constructor(reason) {
    super(reason);
    this.name = 'NotMeasurable';
  }
}

/** Workloads and their phases, in the order they run. */
export const WORKLOAD_PHASES = {
  topology: ['setup', 'teardown'],
  dumps: ['links', 'addresses', 'routes', 'neighbours'],
  nft: ['load', 'list'],
  codec: ['run'],
};
