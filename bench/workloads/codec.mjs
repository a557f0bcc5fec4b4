/**
 * Workload 4: codec throughput (messages per second encoded and decoded, per family), for the
 * contenders that have a codec.run phase (netns-ts only): no kernel involved.
 */
import { runPhase } from '../lib/runner.mjs';

export const name = 'codec';
export const defaultSizes = { full: [100_000], quick: [20_000] };

export async function run({ sizes, reps, contenders, results, log }) {
  for (const messages of sizes) {
    for (let rep = 0; rep < reps; rep++) {
      for (const c of contenders) {
        if (results.settled('codec', 'run', messages, c)) continue;
        results.add('codec', 'run', messages, c, await runPhase(c, 'codec', 'run', { messages }));
      }
      log(`codec ${messages} messages: rep ${rep + 1}/${reps} done`);
    }
  }
}
