/**
 * Workload 2: dumps of a namespace holding many links, addresses, routes and neighbours,
 * listed and decoded to typed objects. The fixture is built once per size (not timed) and
 * only read by the contenders. A contender that lists fewer objects than the fixture holds
 * is reported as an error.
 */
import * as plan from '../lib/plan.mjs';
import { rotate, runPhase } from '../lib/runner.mjs';
import { buildDumpFixture, destroyDumpFixture } from '../lib/state.mjs';

export const name = 'dumps';
export const defaultSizes = { full: [100, 1000], quick: [1000] };
const PHASES = ['links', 'addresses', 'routes', 'neighbours'];

export async function run({ sizes, reps, contenders, results, log }) {
  for (const links of sizes) {
    const t0 = performance.now();
    const expected = buildDumpFixture(links);
    log(`dumps: fixture with ${links} links and ${links * 10} routes built in ${(performance.now() - t0).toFixed(0)} ms`);
    for (let rep = 0; rep < reps; rep++) {
      for (const c of rotate(contenders, rep)) {
        for (const phase of PHASES) {
          if (results.settled('dumps', phase, links, c)) continue;
          let r = await runPhase(c, 'dumps', phase, { netns: plan.DUMP_NETNS, links });
          if (r.status === 'ok' && !(r.count >= expected[phase])) r = { status: 'error', reason: `listed ${r.count} ${phase}, the fixture has at least ${expected[phase]}` };
          results.add('dumps', phase, links, c, r);
        }
      }
      log(`dumps ${links} links: rep ${rep + 1}/${reps} done`);
    }
  }
  destroyDumpFixture();
}
