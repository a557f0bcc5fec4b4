/**
 * Contender "ip-batch": what a careful shell user does. One `ip -batch` file for everything
 * in the host namespace (namespaces, bridge, veths created with master, up and group in one
 * command each), one `ip -n NS -batch` per namespace (an ip process cannot switch namespace
 * per line), and one `nft -f` file for all rules (one transaction). Teardown is bulk: one
 * `nft delete table`, then one `ip -batch` that deletes the link group and the names.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as plan from '../lib/plan.mjs';
import { run } from '../lib/proc.mjs';

export const name = 'ip-batch';
export const label = 'ip -batch + nft -f';
export const description = 'ip -batch files (one per namespace plus one for the host) and one nft -f transaction';

export async function available() {
  return { ok: true };
}

/** Writes the files first (not timed), then times `steps` (each a [cmd, args, input?]). */
function timedSteps(files, steps) {
  const dir = mkdtempSync(join(tmpdir(), 'bench-ipbatch-'));
  try {
    const paths = Object.fromEntries(Object.entries(files).map(([k, text]) => {
      const p = join(dir, k);
      writeFileSync(p, text);
      return [k, p];
    }));
    const t0 = performance.now();
    for (const [cmd, args, input] of steps(paths)) run(cmd, args, input === undefined ? {} : { input });
    return performance.now() - t0;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

function hostBatch(n) {
  const lines = [`link add ${plan.BRIDGE} group ${plan.GROUP} up type bridge`, `addr add ${plan.BRIDGE_ADDR}/${plan.PREFIXLEN} dev ${plan.BRIDGE}`];
  for (const e of plan.topologyEntries(n)) {
    lines.push(
      `netns add ${e.netns}`,
      // The peer is not set up here: the kernel refuses IFF_UP on a veth peer in the
      // creating request (ENOTCONN: the pair is not linked yet when the peer would open),
      // so eth0 is set up from inside the namespace.
      `link add ${e.veth} group ${plan.GROUP} up master ${plan.BRIDGE} type veth peer name ${plan.PEER} netns ${e.netns}`,
    );
  }
  return lines.join('\n') + '\n';
}

function nsBatch(e) {
  return [
    'link set lo up',
    `link set ${plan.PEER} up`,
    `addr add ${e.address}/${plan.PREFIXLEN} dev ${plan.PEER}`,
    `route add default via ${plan.BRIDGE_ADDR}`,
    '',
  ].join('\n');
}

export function topologyRuleset(n) {
  const t = plan.TOPO_TABLE;
  const lines = [
    `add table ip ${t}`,
    `add chain ip ${t} pre { type nat hook prerouting priority ${plan.PRE_PRIORITY}; }`,
    `add chain ip ${t} post { type nat hook postrouting priority ${plan.POST_PRIORITY}; }`,
  ];
  for (const e of plan.topologyEntries(n)) {
    lines.push(`add rule ip ${t} post ip saddr ${e.address} masquerade`);
    lines.push(`add rule ip ${t} pre tcp dport ${e.port} dnat to ${e.address}:${plan.DNAT_TO_PORT}`);
  }
  return lines.join('\n') + '\n';
}

export function natRuleset(n) {
  const t = plan.NAT_TABLE;
  const lines = [`add table ip ${t}`, `add chain ip ${t} pre { type nat hook prerouting priority ${plan.PRE_PRIORITY}; }`];
  for (let i = 0; i < n; i++) lines.push(`add rule ip ${t} pre tcp dport ${plan.dnatPort(i)} dnat to ${plan.natAddr(i)}:${plan.DNAT_TO_PORT}`);
  return lines.join('\n') + '\n';
}

export const workloads = {
  topology: {
    setup: ({ n }) => {
      const entries = plan.topologyEntries(n);
      const ms = timedSteps({ 'host.batch': hostBatch(n), 'rules.nft': topologyRuleset(n) }, (p) => [
        ['ip', ['-batch', p['host.batch']]],
        ...entries.map((e) => ['ip', ['-n', e.netns, '-batch', '-'], nsBatch(e)]),
        ['nft', ['-f', p['rules.nft']]],
      ]);
      return { ms };
    },
    teardown: ({ n }) => {
      const lines = [`link del group ${plan.GROUP}`, ...plan.topologyEntries(n).map((e) => `netns del ${e.netns}`)];
      const ms = timedSteps({ 'down.batch': lines.join('\n') + '\n' }, (p) => [
        ['nft', ['delete', 'table', 'ip', plan.TOPO_TABLE]],
        ['ip', ['-batch', p['down.batch']]],
      ]);
      return { ms, mode: 'bulk' };
    },
  },
  nft: {
    load: ({ n }) => ({ ms: timedSteps({ 'rules.nft': natRuleset(n) }, (p) => [['nft', ['-f', p['rules.nft']]]]) }),
  },
};

export const unsupported = {
  'nft.list': 'listing is one nft -j process either way (see shell)',
  dumps: 'nothing to batch: a dump is one ip -j process either way (see shell)',
};
