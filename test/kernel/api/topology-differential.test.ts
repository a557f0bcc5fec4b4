import { execFileSync } from 'node:child_process';
import { afterAll, expect, it } from 'vitest';
import { apply, destroy } from '../../../src/api/topology/apply.js';
import { natTableName } from '../../../src/api/topology/marks.js';
import type { Topology } from '../../../src/api/topology/schema.js';
import { describeKernel, randomName } from '../sandbox.js';

// The tutorial done twice in sibling namespace sets: once by a person's script of `ip` and `nft`
// commands, once by netns-ts applying the equivalent topology. The kernel state must match.
const s = randomName('').slice(1, 5);
const names = (side: 'a' | 'b') => ({ host: `h${side}${s}`, red: `r${side}${s}`, blue: `b${side}${s}` });
const A = names('a');
const B = names('b');
const TABLE = natTableName(`diff${s}`);

const run = (...argv: string[]) => execFileSync(argv[0]!, argv.slice(1), { encoding: 'utf8' });
const ip = (ns: string, ...args: string[]) => run('ip', '-n', ns, ...args);

function scriptByHand(): void {
  for (const ns of [A.host, A.red, A.blue]) run('ip', 'netns', 'add', ns);
  for (const ns of [A.host, A.red, A.blue]) ip(ns, 'link', 'set', 'lo', 'up');
  ip(A.host, 'link', 'add', 'v-net-0', 'type', 'bridge');
  ip(A.host, 'addr', 'add', '192.168.15.5/24', 'dev', 'v-net-0');
  ip(A.host, 'link', 'set', 'v-net-0', 'up');
  for (const [ns, name, addr] of [[A.red, 'veth-red', '192.168.15.1/24'], [A.blue, 'veth-blue', '192.168.15.2/24']] as const) {
    ip(A.host, 'link', 'add', `${name}-br`, 'type', 'veth', 'peer', 'name', name, 'netns', ns);
    ip(A.host, 'link', 'set', `${name}-br`, 'master', 'v-net-0');
    ip(A.host, 'link', 'set', `${name}-br`, 'up');
    ip(ns, 'addr', 'add', addr, 'dev', name);
    ip(ns, 'link', 'set', name, 'up');
    ip(ns, 'route', 'add', 'default', 'via', '192.168.15.5');
  }
  run('ip', 'netns', 'exec', A.host, 'sysctl', '-qw', 'net.ipv4.ip_forward=1');
  const rules = `table inet ${TABLE} {
  chain prerouting { type nat hook prerouting priority dstnat; policy accept;
    meta nfproto ipv4 fib daddr type local meta l4proto tcp tcp dport 8080 counter dnat ip to 192.168.15.2:80
  }
  chain output { type nat hook output priority -100; policy accept;
    meta nfproto ipv4 fib daddr type local meta l4proto tcp tcp dport 8080 counter dnat ip to 192.168.15.2:80
  }
  chain postrouting { type nat hook postrouting priority srcnat; policy accept;
    meta nfproto ipv4 ct status dnat ip saddr 192.168.15.0/24 ip daddr 192.168.15.0/24 counter masquerade
    meta nfproto ipv4 ip saddr 192.168.15.0/24 ip daddr != 192.168.15.0/24 counter masquerade
  }
}`;
  execFileSync('ip', ['netns', 'exec', A.host, 'nft', '-f', '-'], { input: rules });
}

const topology: Topology = {
  name: `diff${s}`,
  host: B.host,
  createHost: true,
  forwarding: 'global',
  bridges: [{ name: 'v-net-0', addresses: ['192.168.15.5/24'] }],
  namespaces: [
    { name: B.red, interfaces: [{ name: 'veth-red', bridge: 'v-net-0', addresses: ['192.168.15.1/24'] }], gateway: '192.168.15.5' },
    { name: B.blue, interfaces: [{ name: 'veth-blue', bridge: 'v-net-0', addresses: ['192.168.15.2/24'] }], gateway: '192.168.15.5' },
  ],
  nat: { masquerade: [{ source: '192.168.15.0/24' }], forwards: [{ protocol: 'tcp', port: 8080, to: '192.168.15.2:80' }] },
};

/** What legitimately differs: kernel-assigned numbers, random MACs, timers, netns-ts's ownership marks, and operstate (it settles asynchronously after a port comes up; the admin state is still compared through `flags`). */
const VOLATILE = new Set(['operstate', 'ifindex', 'address', 'broadcast', 'link_index', 'link_netnsid', 'master', 'stats64', 'stats', 'valid_life_time', 'preferred_life_time', 'group', 'ifalias', 'handle', 'comment', 'hello_timer', 'tcn_timer', 'topology_change_timer', 'gc_timer', 'forward_delay_timer', 'hold_timer', 'message_age_timer', 'bridge_id', 'root_id', 'id', 'no', 'designated_root', 'designated_bridge', 'designated_port', 'port_id', 'port_no', 'root_port', 'designated_cost', 'addrgenmode', 'inet6_addr_gen_mode', 'perm_address']);
function normalise(value: unknown, side: { host: string; red: string; blue: string }): unknown {
  if (Array.isArray(value)) return value.map((v) => normalise(v, side));
  if (value && typeof value === 'object') {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) {
      if (VOLATILE.has(k)) continue;
      // A counter's values are traffic, not configuration (a stray packet may have matched).
      out[k] = k === 'counter' && v && typeof v === 'object' ? { packets: 'N', bytes: 'N' } : normalise(v, side);
    }
    return out;
  }
  if (typeof value === 'string') return value.replaceAll(side.host, 'HOST').replaceAll(side.red, 'RED').replaceAll(side.blue, 'BLUE');
  return value;
}
const json = (side: typeof A, ns: string, ...args: string[]) => normalise(JSON.parse(ip(ns, '-j', '-d', ...args)), side);
const ipv6LinkLocal = (addrs: unknown) =>
  (addrs as Array<{ addr_info: Array<{ scope: string }> }>).map((a) => ({ ...a, addr_info: a.addr_info.filter((i) => i.scope !== 'link') }));

describeKernel('topology apply vs the same steps by hand with ip and nft', () => {
  afterAll(async () => {
    await destroy(topology.name).catch(() => undefined);
    for (const ns of [A.host, A.red, A.blue]) execFileSync('ip', ['netns', 'del', ns], { stdio: 'ignore' });
  });

  it('leaves the same links, addresses, routes, sysctl and nf_tables ruleset', async () => {
    scriptByHand();
    await apply(topology);
    for (const [a, b] of [[A.red, B.red], [A.blue, B.blue], [A.host, B.host]] as const) {
      expect(json(B, b, 'link', 'show'), `links of ${b}`).toEqual(json(A, a, 'link', 'show'));
      expect(ipv6LinkLocal(json(B, b, 'addr', 'show')), `addresses of ${b}`).toEqual(ipv6LinkLocal(json(A, a, 'addr', 'show')));
      expect(json(B, b, 'route', 'show', 'table', 'all'), `routes of ${b}`).toEqual(json(A, a, 'route', 'show', 'table', 'all'));
    }
    const fwd = (ns: string) => run('ip', 'netns', 'exec', ns, 'sysctl', '-n', 'net.ipv4.ip_forward').trim();
    expect(fwd(B.host)).toBe(fwd(A.host));
    const ruleset = (side: typeof A) => normalise(JSON.parse(run('ip', 'netns', 'exec', side.host, 'nft', '-j', 'list', 'ruleset')), side);
    expect(ruleset(B)).toEqual(ruleset(A));
  }, 60_000);
});
