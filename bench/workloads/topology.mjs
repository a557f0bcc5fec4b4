/**
 * Workload 1: the tutorial topology at scale. Before each run the sandbox is cleaned; after
 * setup the harness checks the state (namespaces, veths on the bridge, address, lo and link
 * up, default route in sampled namespaces, one masquerade and one DNAT rule per namespace);
 * after teardown it checks nothing is left.
 */
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import * as plan from '../lib/plan.mjs';
import { rotate, runPhase } from '../lib/runner.mjs';
import { settlePause } from '../lib/settle.mjs';
import { benchNetns, cleanTopology, verifyTopology } from '../lib/state.mjs';

export const name = 'topology';
export const defaultSizes = { full: [1, 10, 100, 500], quick: [1, 10, 30] };


function leftovers() {
  const problems = [];
  if (benchNetns().length) problems.push(`${benchNetns().length} namespaces left`);
  if (existsSync(`/sys/class/net/${plan.BRIDGE}`)) problems.push(`${plan.BRIDGE} left`);
  if (spawnSync('nft', ['list', 'table', 'ip', plan.TOPO_TABLE], { stdio: 'ignore' }).status === 0) problems.push(`nft table ${plan.TOPO_TABLE} left`);
  return problems;
}

export async function run({ sizes, reps, contenders, results, log }) {
  for (const n of sizes) {
    for (let rep = 0; rep < reps; rep++) {
      for (const c of rotate(contenders, rep)) {
        if (results.settled('topology', 'setup', n, c)) continue;
        await cleanTopology();
        let setup = await runPhase(c, 'topology', 'setup', { n });
        if (setup.status === 'ok') {
          const problems = verifyTopology(n);
          if (problems.length) setup = { status: 'error', reason: `wrong state after setup: ${problems.join('; ')}` };
        }
        results.add('topology', 'setup', n, c, setup);
        log(`topology setup N=${n} rep ${rep + 1}/${reps} ${c.name}: ${setup.status === 'ok' ? `${setup.ms.toFixed(1)} ms` : setup.status}`);
        if (setup.status !== 'ok') {
          results.add('topology', 'teardown', n, c, { status: setup.status, reason: setup.status === 'unsupported' ? setup.reason : 'setup failed' });
          continue;
        }
        let teardown = await runPhase(c, 'topology', 'teardown', { n });
        if (teardown.status === 'ok') {
          const problems = leftovers();
          if (problems.length) teardown = { status: 'error', reason: `teardown left: ${problems.join('; ')}` };
        }
        results.add('topology', 'teardown', n, c, teardown);
        log(`topology teardown N=${n} rep ${rep + 1}/${reps} ${c.name}: ${teardown.status === 'ok' ? `${teardown.ms.toFixed(1)} ms (${teardown.mode ?? '?'})` : teardown.status}`);
        await settlePause(n);
      }
    }
  }
  await cleanTopology();
}
