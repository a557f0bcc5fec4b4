/**
 * Workload 3: N DNAT rules (and their table and chain) in one transaction, then listing them
 * back, then (where a contender has a way to prepare a rule once and add it with other values)
 * the same load from a prepared rule. The table is deleted before each run; the rules are checked after loading. A
 * contender that cannot load at this size still lists: the rules are then loaded with
 * `nft -f` first (not timed).
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { natRuleset } from '../contenders/ip-batch.mjs';
import { run as runCmd } from '../lib/proc.mjs';
import { rotate, runPhase } from '../lib/runner.mjs';
import { cleanNat, verifyNat } from '../lib/state.mjs';

export const name = 'nft';
export const defaultSizes = { full: [1, 100, 10_000], quick: [1, 100, 500] };

function loadWithNft(n) {
  const dir = mkdtempSync(join(tmpdir(), 'bench-nft-'));
  try {
    writeFileSync(join(dir, 'rules.nft'), natRuleset(n));
    runCmd('nft', ['-f', join(dir, 'rules.nft')]);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

export async function run({ sizes, reps, contenders, results, log }) {
  for (const n of sizes) {
    for (let rep = 0; rep < reps; rep++) {
      for (const c of rotate(contenders, rep)) {
        cleanNat();
        let loaded = false;
        if (!results.settled('nft', 'load', n, c)) {
          let load = await runPhase(c, 'nft', 'load', { n });
          if (load.status === 'ok') {
            const problems = verifyNat(n);
            if (problems.length) load = { status: 'error', reason: `wrong rules after load: ${problems.join('; ')}` };
          }
          results.add('nft', 'load', n, c, load);
          loaded = load.status === 'ok';
        }
        if (!results.settled('nft', 'list', n, c)) {
          if (!loaded) {
            cleanNat();
            loadWithNft(n);
          }
          let list = await runPhase(c, 'nft', 'list', { n });
          if (list.status === 'ok' && list.count !== n) list = { status: 'error', reason: `listed ${list.count} rules, want ${n}` };
          results.add('nft', 'list', n, c, list);
        }
        // The same load from a prepared rule (netns-ts's prepareRule; the floor's one way of
        // loading): only contenders that have one measure it.
        if (!results.settled('nft', 'loadPrepared', n, c)) {
          cleanNat();
          let load = await runPhase(c, 'nft', 'loadPrepared', { n });
          if (load.status === 'ok') {
            const problems = verifyNat(n);
            if (problems.length) load = { status: 'error', reason: `wrong rules after load: ${problems.join('; ')}` };
          }
          results.add('nft', 'loadPrepared', n, c, load);
        }
      }
      log(`nft ${n} rules: rep ${rep + 1}/${reps} done`);
    }
  }
  cleanNat();
}
