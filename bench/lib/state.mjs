/**
 * State outside the clock: putting the sandbox back to clean before each run, checking that a
 * contender really built what it claims (so doing nothing never wins), and the fixture
 * namespace of the dump workload. All with ip and nft, never timed.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync } from 'node:fs';
import { FLOOR_BINARY } from '../contenders/floor.mjs';
import * as plan from './plan.mjs';
import { run } from './proc.mjs';
import { NETNS_DIR } from './sandbox.mjs';
import { waitTopologyGone } from './settle.mjs';

const quiet = (cmd, args, input) => spawnSync(cmd, args, { stdio: [input === undefined ? 'ignore' : 'pipe', 'ignore', 'ignore'], input });
const json = (cmd, args) => JSON.parse(run(cmd, args));

/** Bench namespace names in /run/netns. */
export function benchNetns(prefix = 'bench-ns-') {
  if (!existsSync(NETNS_DIR)) return [];
  return readdirSync(NETNS_DIR).filter((n) => n.startsWith(prefix));
}

/** Removes whatever a topology run left (also after a failed run), and waits until gone. */
export async function cleanTopology() {
  quiet('nft', ['delete', 'table', 'ip', plan.TOPO_TABLE]);
  quiet('ip', ['link', 'del', 'group', String(plan.GROUP)]);
  const links = readdirSync('/sys/class/net').filter((l) => l === plan.BRIDGE || /^bv\d+$/.test(l));
  const names = benchNetns();
  const batch = [...links.map((l) => `link del ${l}`), ...names.map((n) => `netns del ${n}`)];
  if (batch.length > 0) quiet('ip', ['-force', '-batch', '-'], batch.join('\n') + '\n');
  await waitTopologyGone();
}

/** What is wrong with the topology of size n, as a list of problems (empty = all good). */
export function verifyTopology(n) {
  const problems = [];
  const names = benchNetns();
  if (names.length !== n) problems.push(`${names.length} namespaces, want ${n}`);
  const links = json('ip', ['-j', 'link', 'show']);
  const ports = links.filter((l) => /^bv\d+$/.test(l.ifname) && l.master === plan.BRIDGE && l.flags.includes('UP'));
  if (ports.length !== n) problems.push(`${ports.length} veths up on ${plan.BRIDGE}, want ${n}`);
  const samples = [...new Set([0, n >> 1, n - 1])];
  for (const i of samples) {
    const ns = plan.nsName(i);
    const inner = json('ip', ['-n', ns, '-j', 'addr', 'show']);
    const lo = inner.find((l) => l.ifname === 'lo');
    const peer = inner.find((l) => l.ifname === plan.PEER);
    if (!lo?.flags.includes('UP')) problems.push(`${ns}: lo is not up`);
    if (!peer?.flags.includes('UP')) problems.push(`${ns}: ${plan.PEER} is not up`);
    if (!peer?.addr_info?.some((a) => a.local === plan.topoAddr(i) && a.prefixlen === plan.PREFIXLEN)) problems.push(`${ns}: no ${plan.topoAddr(i)}/${plan.PREFIXLEN}`);
    const routes = json('ip', ['-n', ns, '-j', 'route', 'show', 'default']);
    if (!routes.some((r) => r.gateway === plan.BRIDGE_ADDR)) problems.push(`${ns}: no default route via ${plan.BRIDGE_ADDR}`);
  }
  const rules = json('nft', ['-j', 'list', 'table', 'ip', plan.TOPO_TABLE]).nftables.filter((o) => o.rule);
  const masq = rules.filter((r) => r.rule.chain === 'post' && r.rule.expr.some((e) => 'masquerade' in e)).length;
  const dnat = rules.filter((r) => r.rule.chain === 'pre' && r.rule.expr.some((e) => 'dnat' in e)).length;
  if (masq !== n || dnat !== n) problems.push(`${masq} masquerade and ${dnat} dnat rules, want ${n} each`);
  return problems;
}

export function cleanNat() {
  quiet('nft', ['delete', 'table', 'ip', plan.NAT_TABLE]);
}

/** Up to this many rules, every rule is checked through `nft -j`; above, the count only. */
const FULL_CHECK_MAX_RULES = 1000;

/** Problems with the DNAT table of workload 3 after loading n rules. */
export function verifyNat(n) {
  if (n > FULL_CHECK_MAX_RULES && existsSync(FLOOR_BINARY)) {
    const { count } = JSON.parse(run(FLOOR_BINARY, ['nft-list']));
    return count === n ? [] : [`${count} rules in ${plan.NAT_TABLE}, want ${n}`];
  }
  const rules = json('nft', ['-j', 'list', 'table', 'ip', plan.NAT_TABLE]).nftables.filter((o) => o.rule);
  const dnat = rules.filter((r) => r.rule.expr.some((e) => e.dnat?.addr && e.dnat.port === plan.DNAT_TO_PORT));
  return dnat.length === n && rules.length === n ? [] : [`${rules.length} rules (${dnat.length} dnat to port ${plan.DNAT_TO_PORT}), want ${n}`];
}

/** Routes per link in the dump fixture. */
export const ROUTES_PER_LINK = 10;

/**
 * The dump fixture: namespace bench-dump with `links` veth ends (pairs, both ends inside, up),
 * one IPv4 address and one permanent neighbour per link, and ROUTES_PER_LINK routes per link.
 * IPv6 is off in it so no address changes state (DAD) while contenders dump.
 */
export function buildDumpFixture(requested) {
  // Links come in veth pairs: an odd size gets one more link.
  const links = requested + (requested % 2);
  destroyDumpFixture();
  run('ip', ['netns', 'add', plan.DUMP_NETNS]);
  run('ip', ['netns', 'exec', plan.DUMP_NETNS, 'sysctl', '-qw', 'net.ipv6.conf.all.disable_ipv6=1', 'net.ipv6.conf.default.disable_ipv6=1']);
  const dev = (k) => `d${k}`;
  const ip4 = (a, k) => `10.${a}.${(k >> 8) & 255}.${k & 255}`;
  const lines = ['link set lo up'];
  for (let k = 0; k < links; k += 2) lines.push(`link add ${dev(k)} type veth peer name ${dev(k + 1)}`);
  for (let k = 0; k < links; k++) {
    const mac = `02:00:00:00:${((k >> 8) & 255).toString(16).padStart(2, '0')}:${(k & 255).toString(16).padStart(2, '0')}`;
    lines.push(`link set ${dev(k)} up`, `addr add ${ip4(100, k)}/32 dev ${dev(k)}`, `neigh add ${ip4(150, k)} lladdr ${mac} dev ${dev(k)} nud permanent`);
  }
  for (let r = 0; r < links * ROUTES_PER_LINK; r++) {
    lines.push(`route add 10.${64 + (r >> 16)}.${(r >> 8) & 255}.${r & 255}/32 dev ${dev(r % links)}`);
  }
  run('ip', ['-n', plan.DUMP_NETNS, '-batch', '-'], { input: lines.join('\n') + '\n' });
  return { links: links + 1, addresses: links + 1, routes: links * ROUTES_PER_LINK, neighbours: links };
}

export function destroyDumpFixture() {
  quiet('ip', ['netns', 'del', plan.DUMP_NETNS]);
}
