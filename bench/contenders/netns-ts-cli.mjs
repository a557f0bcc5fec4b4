/**
 * Contender "netns-ts-cli": the `netns-ts` command's batch mode, for workload 1 (issue 8 asks
 * for it beside the library). Like `ip -batch`, the whole process is timed, start-up included.
 *
 * `netns-ts -batch FILE` reads one command per line in the tools' own syntax, prefixed by the
 * tool (`ip …`, `ip -n NS …`, `nft …`), and runs them all in one process. If the built CLI's
 * `--help` does not mention `-batch` (an old dist/), every phase reports "not measurable".
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { NotMeasurable } from '../lib/contender.mjs';
import * as plan from '../lib/plan.mjs';
import { run } from '../lib/proc.mjs';

export const name = 'netns-ts-cli';
export const label = 'netns-ts CLI (batch mode)';
export const description = 'the netns-ts command running one batch file (ip and nft commands) in one process';

const CLI = join(dirname(fileURLToPath(import.meta.url)), '..', '..', 'dist', 'cli', 'main.js');

function hasBatchMode() {
  if (!existsSync(CLI)) return false;
  const help = spawnSync(process.execPath, [CLI, '--help'], { encoding: 'utf8' });
  return /-batch\b/.test(`${help.stdout}${help.stderr}`);
}

export async function available() {
  return existsSync(CLI) ? { ok: true } : { ok: false, reason: 'dist/cli/main.js is not built (npm run build)' };
}

function runBatch(lines) {
  if (!hasBatchMode()) throw new NotMeasurable('the netns-ts CLI has no batch mode yet');
  const dir = mkdtempSync(join(tmpdir(), 'bench-cli-'));
  const file = join(dir, 'topology.batch');
  writeFileSync(file, lines.join('\n') + '\n');
  try {
    const t0 = performance.now();
    run(process.execPath, [CLI, '-batch', file]);
    return performance.now() - t0;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

function setupLines(n) {
  const t = plan.TOPO_TABLE;
  const lines = [
    `ip link add ${plan.BRIDGE} group ${plan.GROUP} up type bridge`,
    `ip addr add ${plan.BRIDGE_ADDR}/${plan.PREFIXLEN} dev ${plan.BRIDGE}`,
    `nft add table ip ${t}`,
    `nft add chain ip ${t} pre { type nat hook prerouting priority ${plan.PRE_PRIORITY}; }`,
    `nft add chain ip ${t} post { type nat hook postrouting priority ${plan.POST_PRIORITY}; }`,
  ];
  for (const e of plan.topologyEntries(n)) {
    lines.push(
      `ip netns add ${e.netns}`,
      `ip link add ${e.veth} group ${plan.GROUP} up master ${plan.BRIDGE} type veth peer name ${plan.PEER} netns ${e.netns}`,
      `ip -n ${e.netns} link set lo up`,
      `ip -n ${e.netns} link set ${plan.PEER} up`,
      `ip -n ${e.netns} addr add ${e.address}/${plan.PREFIXLEN} dev ${plan.PEER}`,
      `ip -n ${e.netns} route add default via ${plan.BRIDGE_ADDR}`,
      `nft add rule ip ${t} post ip saddr ${e.address} masquerade`,
      `nft add rule ip ${t} pre tcp dport ${e.port} dnat to ${e.address}:${plan.DNAT_TO_PORT}`,
    );
  }
  return lines;
}

export const workloads = {
  topology: {
    setup: ({ n }) => ({ ms: runBatch(setupLines(n)) }),
    teardown: ({ n }) => ({
      ms: runBatch([`nft delete table ip ${plan.TOPO_TABLE}`, `ip link del group ${plan.GROUP}`, ...plan.topologyEntries(n).map((e) => `ip netns del ${e.netns}`)]),
      mode: 'bulk',
    }),
  },
};
