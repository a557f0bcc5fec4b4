/**
 * Contender "shell": a shell script that runs one `ip` or `nft` process per command, the way
 * the tutorial does (with `ip -n NS` rather than `ip netns exec NS ip`, which would cost an
 * extra process per command). Teardown deletes one link and one namespace at a time, as a
 * tutorial script does. The script is generated first (not timed), then `sh` runs it (timed,
 * including every process start).
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { NotMeasurable } from '../lib/contender.mjs';
import * as plan from '../lib/plan.mjs';
import { run } from '../lib/proc.mjs';

export const name = 'shell';
export const label = 'shell: one ip/nft process per command';
export const description = 'a sh script, one ip or nft process per command (tutorial style)';

/** One process per rule costs ~5 ms a rule: past this many, a run only proves that again. */
const MAX_RULES_ONE_BY_ONE = 100;

export async function available() {
  return { ok: true };
}

function runScript(lines) {
  const dir = mkdtempSync(join(tmpdir(), 'bench-shell-'));
  const file = join(dir, 'script.sh');
  writeFileSync(file, ['set -e', ...lines, ''].join('\n'));
  try {
    const t0 = performance.now();
    run('sh', [file]);
    return performance.now() - t0;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

function setupLines(n) {
  const t = plan.TOPO_TABLE;
  const lines = [
    `ip link add ${plan.BRIDGE} type bridge`,
    `ip addr add ${plan.BRIDGE_ADDR}/${plan.PREFIXLEN} dev ${plan.BRIDGE}`,
    `ip link set ${plan.BRIDGE} up`,
    `nft add table ip ${t}`,
    `nft add chain ip ${t} pre '{ type nat hook prerouting priority ${plan.PRE_PRIORITY}; }'`,
    `nft add chain ip ${t} post '{ type nat hook postrouting priority ${plan.POST_PRIORITY}; }'`,
  ];
  for (const e of plan.topologyEntries(n)) {
    lines.push(
      `ip netns add ${e.netns}`,
      `ip link add ${e.veth} type veth peer name ${plan.PEER} netns ${e.netns}`,
      `ip link set ${e.veth} master ${plan.BRIDGE}`,
      `ip link set ${e.veth} up`,
      `ip -n ${e.netns} addr add ${e.address}/${plan.PREFIXLEN} dev ${plan.PEER}`,
      `ip -n ${e.netns} link set lo up`,
      `ip -n ${e.netns} link set ${plan.PEER} up`,
      `ip -n ${e.netns} route add default via ${plan.BRIDGE_ADDR}`,
      `nft add rule ip ${t} post ip saddr ${e.address} masquerade`,
      `nft add rule ip ${t} pre tcp dport ${e.port} dnat to ${e.address}:${plan.DNAT_TO_PORT}`,
    );
  }
  return lines;
}

function teardownLines(n) {
  const lines = [`nft delete table ip ${plan.TOPO_TABLE}`];
  for (const e of plan.topologyEntries(n)) lines.push(`ip link del ${e.veth}`, `ip netns del ${e.netns}`);
  lines.push(`ip link del ${plan.BRIDGE}`);
  return lines;
}

/** `ip -j` output parsed to objects: what a script consuming it pays. */
function ipJson(args) {
  return JSON.parse(run('ip', ['-n', plan.DUMP_NETNS, '-j', ...args]));
}

export const workloads = {
  topology: {
    setup: ({ n }) => ({ ms: runScript(setupLines(n)) }),
    teardown: ({ n }) => ({ ms: runScript(teardownLines(n)), mode: 'one-by-one' }),
  },
  dumps: {
    links: () => ({ count: ipJson(['link', 'show']).length }),
    // `ip addr show` dumps links too, to print addresses under their link: that is its cost.
    addresses: () => ({ count: ipJson(['addr', 'show']).reduce((s, l) => s + (l.addr_info?.length ?? 0), 0) }),
    routes: () => ({ count: ipJson(['-4', 'route', 'show', 'table', 'all']).length }),
    neighbours: () => ({ count: ipJson(['neigh', 'show', 'nud', 'all']).length }),
  },
  nft: {
    load: ({ n }) => {
      if (n > MAX_RULES_ONE_BY_ONE) throw new NotMeasurable(`one nft process per rule is measured up to ${MAX_RULES_ONE_BY_ONE} rules (see ip-batch for one nft -f transaction)`);
      const t = plan.NAT_TABLE;
      const lines = [`nft add table ip ${t}`, `nft add chain ip ${t} pre '{ type nat hook prerouting priority ${plan.PRE_PRIORITY}; }'`];
      for (let i = 0; i < n; i++) lines.push(`nft add rule ip ${t} pre tcp dport ${plan.dnatPort(i)} dnat to ${plan.natAddr(i)}:${plan.DNAT_TO_PORT}`);
      return { ms: runScript(lines), note: 'one transaction per rule, not one in all' };
    },
    list: () => {
      const out = JSON.parse(run('nft', ['-j', 'list', 'table', 'ip', plan.NAT_TABLE]));
      return { count: out.nftables.filter((o) => o.rule).length };
    },
  },
};

