/**
 * `netns-ts demo`: the tutorial's network, built properly in namespaces of its own and proven
 * with real traffic. `red` and `blue` hang off bridge `v-net-0` inside `demo-host` (standing in
 * for the host, with NAT), and `demo-world` stands in for the outside world behind its uplink.
 * The real host's network is never touched. Everything is removed at the end unless `--keep`.
 */

import type { Connection } from '../netlink/connection.js';
import { connectInNetns } from '../netns/connect.js';
import { Addresses } from '../route/addresses.js';
import { Links } from '../route/links.js';
import { Routes } from '../route/routes.js';
import { apply, destroy } from './topology/apply.js';
import type { Topology } from './topology/schema.js';
import { deleteNetns, listNetns } from '../netns/netns.js';
import { probeTcp, startProbeServer, type ProbeServer } from './probe.js';

const HOST = 'demo-host';
const WORLD = 'demo-world';
const UPLINK_HOST = '10.99.0.2';
const UPLINK_WORLD = '10.99.0.1';

export const demoTopology: Topology = {
  name: 'demo',
  host: HOST,
  createHost: true,
  forwarding: 'global', // demo-host is a throwaway namespace: its global ip_forward is the simplest
  bridges: [{ name: 'v-net-0', addresses: ['192.168.15.5/24'] }],
  namespaces: [
    { name: 'red', interfaces: [{ name: 'veth-red', bridge: 'v-net-0', addresses: ['192.168.15.1/24'] }], gateway: '192.168.15.5' },
    { name: 'blue', interfaces: [{ name: 'veth-blue', bridge: 'v-net-0', addresses: ['192.168.15.2/24'] }], gateway: '192.168.15.5' },
  ],
  nat: {
    masquerade: [{ source: '192.168.15.0/24' }],
    forwards: [{ protocol: 'tcp', port: 8080, to: '192.168.15.2:80' }],
  },
};

/** The outside world: a namespace behind demo-host's uplink (built with the low-level clients). */
async function buildWorld(): Promise<void> {
  const host = connectInNetns(HOST);
  let world: Connection | undefined;
  try {
    world = connectInNetns(WORLD, { create: true });
    await new Links(host).createVeth({ name: 'eth0', up: true, peer: { name: 'eth0', netns: WORLD, up: true } });
    await new Addresses(host).add({ dev: 'eth0', address: `${UPLINK_HOST}/24` });
    await new Routes(host).add({ to: 'default', via: UPLINK_WORLD });
    await new Addresses(world).add({ dev: 'eth0', address: `${UPLINK_WORLD}/24` });
    await new Links(world).set('lo', { up: true });
  } finally {
    host.close();
    world?.close();
  }
}

interface Check {
  what: string;
  ok: boolean;
  detail: string;
  ms: number;
}

async function check(checks: Check[], what: string, run: () => Promise<{ ok: boolean; detail: string }>): Promise<void> {
  const t = performance.now();
  const r = await run().catch((e: unknown) => ({ ok: false, detail: e instanceof Error ? e.message : String(e) }));
  checks.push({ what, ...r, ms: performance.now() - t });
}

/** Remove what an earlier `demo --keep` left. */
export async function cleanDemo(): Promise<string[]> {
  const removed = (await destroy('demo')).removed;
  if (listNetns().includes(WORLD)) {
    deleteNetns(WORLD);
    removed.push(`ip netns del ${WORLD}`);
  }
  return removed;
}

export const DEMO_USAGE = 'usage: netns-ts demo [--keep | --clean]   (--keep: leave it for inspection; --clean: remove a kept one)';
const DEMO_OPTIONS = ['--keep', '--clean'];

/** Exit status 2 (a command line that cannot run), as the CLI uses it. */
const USAGE_STATUS = 2;

export async function runDemo(args: readonly string[], out: (line: string) => void): Promise<number> {
  if (args.includes('--help') || args.includes('-h')) {
    out(DEMO_USAGE);
    return 0;
  }
  const unknown = args.filter((a) => !DEMO_OPTIONS.includes(a));
  if (unknown.length > 0 || args.length > 1) {
    out(`demo: ${unknown.length > 0 ? `unknown argument ${unknown.join(' ')}` : '--keep and --clean cannot go together'}`);
    out(DEMO_USAGE);
    return USAGE_STATUS;
  }
  const keep = args.includes('--keep');
  if (args.includes('--clean')) {
    for (const line of await cleanDemo()) out(line);
    return 0;
  }
  const taken = [HOST, WORLD, 'red', 'blue'].filter((n) => listNetns().includes(n));
  if (taken.length > 0) {
    out(`demo: namespace(s) ${taken.join(', ')} already exist. Remove them (\`netns-ts demo --clean\` for a kept demo) and retry.`);
    return 1;
  }
  const servers: ProbeServer[] = [];
  const checks: Check[] = [];
  let failed = false;
  try {
    out('building: red and blue on bridge v-net-0 inside demo-host (NAT, port 8080 -> blue:80), demo-world outside');
    const t0 = performance.now();
    const applied = await apply(demoTopology);
    await buildWorld();
    out(`built in ${(performance.now() - t0).toFixed(1)} ms (${applied.applied.length} steps):`);
    for (const s of applied.applied) out(`  ${s}`);

    servers.push(await startProbeServer('blue', 80), await startProbeServer(WORLD, 7000), await startProbeServer('red', 7001));
    await check(checks, 'red -> blue over the bridge', () => probeTcp('blue', 'red', '192.168.15.2', 80, '192.168.15.1'));
    await check(checks, 'blue -> red over the bridge', () => probeTcp('red', 'blue', '192.168.15.1', 7001, '192.168.15.2'));
    await check(checks, 'host -> red (bridge address)', () => probeTcp('red', HOST, '192.168.15.1', 7001, '192.168.15.5'));
    await check(checks, 'red -> outside world, masqueraded', () => probeTcp(WORLD, 'red', UPLINK_WORLD, 7000, UPLINK_HOST));
    await check(checks, 'outside -> host:8080 -> blue:80 (port forward)', () => probeTcp('blue', WORLD, UPLINK_HOST, 8080, UPLINK_WORLD));
    await check(checks, 'host itself -> host:8080 -> blue:80', () => probeTcp('blue', HOST, UPLINK_HOST, 8080, UPLINK_HOST));
    await check(checks, 'red -> host:8080 -> blue:80 (hairpin)', () => probeTcp('blue', 'red', '192.168.15.5', 8080, '192.168.15.5'));
    for (const c of checks) out(`${c.ok ? 'ok  ' : 'FAIL'} ${c.what}: ${c.detail} (${c.ms.toFixed(1)} ms)`);
    failed = checks.some((c) => !c.ok);
  } finally {
    for (const s of servers) await s.stop();
    if (!keep) {
      const t = performance.now();
      const removed = await cleanDemo();
      out(`removed in ${(performance.now() - t).toFixed(1)} ms: ${removed.join('; ')}`);
    } else {
      out('kept: inspect with `ip netns list`, `ip -n demo-host addr`, `ip netns exec demo-host nft list ruleset`; remove with `netns-ts demo --clean`');
    }
  }
  out(failed ? 'demo: some checks FAILED' : 'demo: all checks passed');
  return failed ? 1 : 0;
}

