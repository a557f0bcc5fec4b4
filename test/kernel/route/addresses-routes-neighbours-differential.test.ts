/**
 * Differential test: the tutorial's address, route and neighbour steps (network-namespaces.md,
 * plus what users of `ip` do next: IPv6, metrics, multipath, blackholes, static ARP entries)
 * run once with `ip` and once with netns-ts, in two sibling namespaces. Both must end up with
 * the same `ip -j -d addr`, `ip -j -d route show table all` and `ip -j -d neigh` output,
 * normalised only for what differs between any two namespaces (ifindex, MAC addresses and the
 * IPv6 link-local addresses derived from them).
 */
import { afterAll, beforeAll, expect, it } from 'vitest';
import { connectInNetns } from '../../../src/netns/connect.js';
import { createNetns, deleteNetns } from '../../../src/netns/netns.js';
import { sysctlWrite } from '../../../src/netns/sysctl.js';
import type { Connection } from '../../../src/netlink/connection.js';
import { Addresses } from '../../../src/route/addresses.js';
import { Neighbours } from '../../../src/route/neighbours.js';
import { Routes } from '../../../src/route/routes.js';
import { describeKernel, guardThreadNetns, randomName, sh } from '../sandbox.js';
import { waitForIpv6 } from './route-sandbox.js';

/** The steps, once as ip arguments and once as netns-ts calls. */
interface Step {
  ip: string[];
  ts(c: { addresses: Addresses; routes: Routes; neighbours: Neighbours }): Promise<void>;
}

const STEPS: Step[] = [
  // ip -n red addr add 192.168.15.1 dev veth-red (no length: /32)
  { ip: ['addr', 'add', '192.168.15.1', 'dev', 'veth-red'], ts: (c) => c.addresses.add({ dev: 'veth-red', address: '192.168.15.1' }) },
  // ip addr add 192.168.15.5/24 dev v-net-0 (here with the broadcast ip computes for `+`)
  { ip: ['addr', 'add', '192.168.15.5/24', 'broadcast', '+', 'dev', 'veth-blue'], ts: (c) => c.addresses.add({ dev: 'veth-blue', address: '192.168.15.5/24', broadcast: '+' }) },
  { ip: ['addr', 'add', '192.168.15.6/24', 'label', 'veth-blue:2', 'dev', 'veth-blue'], ts: (c) => c.addresses.add({ dev: 'veth-blue', address: '192.168.15.6/24', label: 'veth-blue:2' }) },
  { ip: ['addr', 'add', '2001:db8::1/64', 'dev', 'veth-blue', 'nodad'], ts: (c) => c.addresses.add({ dev: 'veth-blue', address: '2001:db8::1/64', flags: ['nodad'] }) },
  { ip: ['route', 'add', 'default', 'via', '192.168.15.2'], ts: (c) => c.routes.add({ to: 'default', via: '192.168.15.2' }) },
  { ip: ['route', 'add', '10.0.0.0/8', 'via', '192.168.15.3', 'metric', '10'], ts: (c) => c.routes.add({ to: '10.0.0.0/8', via: '192.168.15.3', metric: 10 }) },
  { ip: ['route', 'add', 'blackhole', '10.20.0.0/16'], ts: (c) => c.routes.add({ to: '10.20.0.0/16', type: 'blackhole' }) },
  { ip: ['route', 'add', 'unreachable', '10.30.0.0/16', 'table', '100'], ts: (c) => c.routes.add({ to: '10.30.0.0/16', type: 'unreachable', table: 100 }) },
  {
    ip: ['route', 'add', '10.50.0.0/16', 'nexthop', 'via', '192.168.15.2', 'dev', 'veth-blue', 'weight', '3', 'nexthop', 'via', '192.168.15.3', 'dev', 'veth-blue'],
    ts: (c) => c.routes.add({ to: '10.50.0.0/16', nexthops: [{ via: '192.168.15.2', dev: 'veth-blue', weight: 3 }, { via: '192.168.15.3', dev: 'veth-blue' }] }),
  },
  { ip: ['route', 'add', '10.60.0.0/16', 'via', '192.168.15.2', 'mtu', 'lock', '1400', 'advmss', '1360'], ts: (c) => c.routes.add({ to: '10.60.0.0/16', via: '192.168.15.2', metrics: { mtu: 1400, advmss: 1360, lock: ['mtu'] } }) },
  { ip: ['route', 'add', '2001:db8:1::/48', 'via', '2001:db8::2', 'dev', 'veth-blue'], ts: (c) => c.routes.add({ to: '2001:db8:1::/48', via: '2001:db8::2', dev: 'veth-blue' }) },
  { ip: ['route', 'replace', '10.0.0.0/8', 'via', '192.168.15.4', 'metric', '10'], ts: (c) => c.routes.replace({ to: '10.0.0.0/8', via: '192.168.15.4', metric: 10 }) },
  // The tutorial's `arp` table, made static.
  { ip: ['neigh', 'add', '192.168.15.2', 'lladdr', '02:00:00:00:00:02', 'dev', 'veth-blue'], ts: (c) => c.neighbours.add({ dev: 'veth-blue', address: '192.168.15.2', lladdr: '02:00:00:00:00:02' }) },
  {
    ip: ['neigh', 'add', '192.168.15.3', 'lladdr', '02:00:00:00:00:03', 'dev', 'veth-blue', 'nud', 'stale'],
    ts: (c) => c.neighbours.add({ dev: 'veth-blue', address: '192.168.15.3', lladdr: '02:00:00:00:00:03', state: 'stale' }),
  },
  { ip: ['neigh', 'add', 'proxy', '192.168.15.9', 'dev', 'veth-red'], ts: (c) => c.neighbours.add({ dev: 'veth-red', address: '192.168.15.9', proxy: true }) },
  { ip: ['neigh', 'change', '192.168.15.3', 'lladdr', '02:00:00:00:00:33', 'dev', 'veth-blue', 'nud', 'reachable'], ts: (c) => c.neighbours.change({ dev: 'veth-blue', address: '192.168.15.3', lladdr: '02:00:00:00:00:33', state: 'reachable' }) },
  { ip: ['addr', 'del', '192.168.15.6/24', 'dev', 'veth-blue'], ts: (c) => c.addresses.delete({ dev: 'veth-blue', address: '192.168.15.6/24' }) },
  { ip: ['route', 'del', '10.20.0.0/16'], ts: (c) => c.routes.delete({ to: '10.20.0.0/16' }) },
];

const MAC = /\b[0-9a-f]{2}(:[0-9a-f]{2}){5}\b/g;
const LINK_LOCAL = /fe80::[0-9a-f:]+/g;

/**
 * `ip -n NS -j -d …` with what legitimately differs between two namespaces masked. Entries are
 * sorted when `unordered`: route and neighbour dumps come in hash order, and the hashes of
 * link-local addresses differ with the MACs.
 */
function normalised(unordered: boolean, ns: string, ...args: string[]): unknown {
  const text = sh('ip', ['-n', ns, '-j', '-d', ...args])
    .replace(/"(ifindex|link_index)":\d+,?/g, '')
    .replace(MAC, (m) => (m === 'ff:ff:ff:ff:ff:ff' || m.startsWith('02:00:00:00:00:') ? m : 'MAC'))
    .replace(LINK_LOCAL, (m) => (m === 'fe80::' ? m : 'fe80::LL'));
  const entries = JSON.parse(text || '[]') as unknown[];
  return unordered ? entries.map((e) => JSON.stringify(e)).sort().map((e) => JSON.parse(e) as unknown) : entries;
}

describeKernel('differential: the tutorial steps with ip and with netns-ts give the same ip -j -d view', () => {
  guardThreadNetns();
  const withIp = randomName('dip');
  const withTs = randomName('dts');
  let conn: Connection;

  beforeAll(async () => {
    for (const ns of [withIp, withTs]) {
      createNetns(ns);
      // No DAD: link-local addresses must not be "tentative" on one side only.
      sysctlWrite(ns, 'net/ipv6/conf/default/accept_dad', 0);
      sh('ip', ['-n', ns, 'link', 'set', 'lo', 'up']);
      sh('ip', ['-n', ns, 'link', 'add', 'veth-red', 'type', 'veth', 'peer', 'name', 'veth-blue']);
      sh('ip', ['-n', ns, 'link', 'set', 'veth-red', 'up']);
      sh('ip', ['-n', ns, 'link', 'set', 'veth-blue', 'up']);
    }
    for (const ns of [withIp, withTs]) await waitForIpv6(ns, ['veth-red', 'veth-blue']);
    conn = connectInNetns(withTs);
  });
  afterAll(() => {
    conn?.close();
    deleteNetns(withIp);
    deleteNetns(withTs);
  });

  it('runs every step both ways', async () => {
    const clients = { addresses: new Addresses(conn), routes: new Routes(conn), neighbours: new Neighbours(conn) };
    for (const step of STEPS) {
      sh('ip', ['-n', withIp, ...step.ip]);
      await step.ts(clients);
    }
  });

  for (const [what, unordered, args] of [
    ['addresses', false, ['addr', 'show']],
    ['routes (every table)', true, ['route', 'show', 'table', 'all']],
    ['IPv4 neighbours (the arp table)', true, ['-4', 'neigh', 'show', 'nud', 'all']],
    ['proxy entries', true, ['neigh', 'show', 'proxy']],
  ] as const) {
    it(`same ${what}`, () => {
      const theirs = normalised(unordered, withIp, ...args);
      expect(JSON.stringify(theirs).length).toBeGreaterThan(2);
      expect(normalised(unordered, withTs, ...args)).toEqual(theirs);
    });
  }
});
