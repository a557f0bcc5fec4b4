/**
 * Differential: the same namespace state, shown by `netns-ts ip -j …` and by `ip -j …`, must be
 * the same JSON (keys and values). The state is built with netns-ts commands, so this also
 * checks that they do what ip's do. Normalised only where the difference is inherent:
 * - lifetimes count down between the two runs (allowed to differ by a second or two);
 * - `ip link show up` prints `{}` for every link it filters out (an iproute2 6.1 quirk);
 * - `ip netns list` is in directory order, netns-ts sorts names;
 * - `-d`: bridge timers (`gc_timer`, `forward_delay_timer` …) tick between the two runs
 *   (allowed to differ by up to a second).
 */
import { afterAll, beforeAll, expect, it } from 'vitest';
import { run } from '../../../src/cli/run.js';
import { sysctlWrite } from '../../../src/netns/sysctl.js';
import { describeKernel, randomName } from '../sandbox.js';
import { cli, cliOk, ip } from './cli.js';

const FOREVER = 4294967295;
const LIFETIME_SLACK = 2;
const TIMER_SLACK = 1;

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };

/** Lifetimes that count down: equal within LIFETIME_SLACK of the reference (ip's) value. */
function alignLifetimes(ours: Json, theirs: Json): void {
  if (Array.isArray(ours) && Array.isArray(theirs)) ours.forEach((x, i) => alignLifetimes(x, theirs[i] ?? null));
  else if (ours && theirs && typeof ours === 'object' && typeof theirs === 'object' && !Array.isArray(ours) && !Array.isArray(theirs)) {
    for (const key of Object.keys(ours)) {
      const a = ours[key];
      const b = theirs[key];
      if ((key === 'valid_life_time' || key === 'preferred_life_time') && typeof a === 'number' && typeof b === 'number' && a !== FOREVER && Math.abs(a - b) <= LIFETIME_SLACK) ours[key] = b;
      else if (key.endsWith('_timer') && typeof a === 'number' && typeof b === 'number' && Math.abs(a - b) <= TIMER_SLACK) ours[key] = b;
      else alignLifetimes(a ?? null, b ?? null);
    }
  }
}

interface Compare {
  normalise?: (ip: Json) => Json;
  /** Sort both arrays by this key first. */
  sortBy?: string;
}

/** netns-ts and ip on the same arguments; retried once in case state moved between the runs. */
async function same(args: string[], o: Compare = {}): Promise<Json> {
  let last: { ours: Json; theirs: Json } | undefined;
  for (let attempt = 0; attempt < 3; attempt++) {
    const ours = JSON.parse(await cliOk('ip', ...args)) as Json;
    let theirs = JSON.parse(ip(...args)) as Json;
    if (o.normalise) theirs = o.normalise(theirs);
    alignLifetimes(ours, theirs);
    if (o.sortBy !== undefined) {
      const key = o.sortBy;
      const by = (a: Json, b: Json) => String((a as Record<string, Json>)[key]).localeCompare(String((b as Record<string, Json>)[key]));
      (ours as Json[]).sort(by);
      (theirs as Json[]).sort(by);
    }
    if (JSON.stringify(ours) === JSON.stringify(theirs)) return ours;
    last = { ours, theirs };
  }
  expect(last!.ours).toEqual(last!.theirs);
  return last!.ours;
}

describeKernel('netns-ts ip -j … shows what ip -j … shows', () => {
  const ns = randomName('cli');
  const peer = randomName('clip');
  const n = ['-n', ns];

  beforeAll(async () => {
    await cliOk('ip', 'netns', 'add', ns);
    await cliOk('ip', 'netns', 'add', peer);
    // Duplicate address detection would change IPv6 flags (tentative) between the two runs.
    for (const key of ['net/ipv6/conf/all/accept_dad', 'net/ipv6/conf/default/accept_dad']) sysctlWrite(ns, key, '0');
    const batch = [
      'link set lo up',
      `netns set ${peer} 5`,
      'link add br0 type bridge',
      'link add v0 type veth peer name v0p',
      'link set v0p master br0 up',
      'link set v0 up alias "hello world"',
      'link set br0 up',
      `link add vp type veth peer name vp-in netns ${peer}`,
      'link add mv0 link br0 type macvlan mode bridge',
      'link add vx0 type vxlan id 42 dstport 4789 remote 10.9.9.9 local 10.0.0.1 dev br0',
      'link add ifb0 type ifb',
      'link add g1 group 7 txqueuelen 50 mtu 1400 type veth peer name g1p',
      'addr add 10.0.0.1/24 brd + dev v0',
      'addr add 10.0.0.5/24 dev v0 label v0:1',
      'addr add 10.0.0.7 peer 10.0.1.99/32 dev v0',
      'addr add 2001:db8::1/64 dev v0 nodad',
      'addr add 10.2.0.1/24 dev g1 valid_lft 100 preferred_lft 50 noprefixroute metric 7',
      'addr add 2001:db8:1::5/64 dev g1 valid_lft 100 preferred_lft 0 home mngtmpaddr',
      'route add default via 10.0.0.254',
      'route add 10.1.0.0/16 via 10.0.0.2 metric 5',
      'route add 10.3.0.0/16 dev v0 table 100',
      'route add blackhole 10.26.0.0/16',
      'route add unreachable 10.27.0.0/16',
      'route add 10.34.0.0/16 nexthop via 10.0.0.2 weight 1 nexthop via 10.0.0.3 weight 2',
      'route add 10.40.0.0/16 via 10.0.0.2 mtu 1400 advmss 1300',
      'route add 10.41.0.0/16 via 10.0.0.2 mtu lock 1400',
      'route add 10.42.0.0/16 via 10.0.0.2 proto static src 10.0.0.1',
      'route add 2001:db8:9::/48 via 2001:db8::2 metric 10',
      'neigh add 10.0.0.9 lladdr 02:00:00:00:00:09 dev v0',
      'neigh add 10.0.0.10 lladdr 02:00:00:00:00:0a dev v0 nud stale',
      'neigh add proxy 10.0.0.11 dev v0',
      'neigh add 2001:db8::9 lladdr 02:00:00:00:00:19 dev v0 router',
    ];
    // Built as a batch read from "stdin", in the namespace given before it (-n applies to every line).
    const err: string[] = [];
    const status = await run(['-n', ns], { out: () => undefined, err: (l) => err.push(l) }, { stdinText: () => batch.join('\n') });
    expect(err).toEqual([]);
    expect(status).toBe(0);
  });

  afterAll(async () => {
    await cli('ip', 'netns', 'del', ns);
    await cli('ip', 'netns', 'del', peer);
  });

  it('ip -j link show (all kinds, master, alias, peer in another namespace, group, txqlen)', async () => {
    const links = (await same([...n, '-j', 'link', 'show'])) as Array<Record<string, Json>>;
    expect(links.map((l) => l.ifname)).toEqual(expect.arrayContaining(['lo', 'br0', 'v0', 'v0p', 'vp', 'mv0', 'vx0', 'ifb0', 'g1', 'g1p']));
    expect(links.find((l) => l.ifname === 'vp')).toMatchObject({ link_netnsid: 5 });
  });

  it('ip -j link show with filters: dev, master, type, up', async () => {
    await same([...n, '-j', 'link', 'show', 'dev', 'v0']);
    expect(await same([...n, '-j', 'link', 'show', 'master', 'br0'])).toHaveLength(1);
    await same([...n, '-j', 'link', 'show', 'type', 'veth']);
    await same([...n, '-j', 'link', 'show', 'up'], { normalise: (v) => (v as Json[]).filter((x) => Object.keys(x as object).length > 0) });
  });

  it('ip -j -d link show (details: kinds, bridge and port settings, queues, limits)', async () => {
    const links = (await same([...n, '-j', '-d', 'link', 'show'])) as Array<Record<string, Json>>;
    expect(links.find((l) => l.ifname === 'br0')).toMatchObject({ linkinfo: { info_kind: 'bridge', info_data: { stp_state: 0, forward_delay: 1500 } } });
    expect(links.find((l) => l.ifname === 'v0p')).toMatchObject({ linkinfo: { info_slave_kind: 'bridge', info_slave_data: { learning: true } } });
    expect(links.find((l) => l.ifname === 'vx0')).toMatchObject({ linkinfo: { info_kind: 'vxlan', info_data: { id: 42, remote: '10.9.9.9', port: 4789 } } });
    expect(links.find((l) => l.ifname === 'mv0')).toMatchObject({ linkinfo: { info_kind: 'macvlan', info_data: { mode: 'bridge' } } });
  });

  it('ip -j -s link show (statistics of an idle link)', async () => {
    const [g1] = (await same([...n, '-j', '-s', 'link', 'show', 'dev', 'g1'])) as Array<Record<string, Json>>;
    expect(g1).toHaveProperty('stats64.rx.bytes');
  });

  it('ip -j -p prints the same text as ip -j -p', async () => {
    expect(await cliOk('ip', ...n, '-j', '-p', 'link', 'show', 'dev', 'v0')).toBe(ip(...n, '-j', '-p', 'link', 'show', 'dev', 'v0').trimEnd());
    expect(await cliOk('ip', ...n, '-j', '-p', 'addr', 'show', 'dev', 'v0')).toBe(ip(...n, '-j', '-p', 'addr', 'show', 'dev', 'v0').trimEnd());
  });

  it('ip -j addr show (secondary, peer, broadcast, label, flags, lifetimes), and -4/-6', async () => {
    const all = (await same([...n, '-j', 'addr', 'show'])) as Array<{ ifname: string; addr_info: Array<Record<string, Json>> }>;
    const g1 = all.find((l) => l.ifname === 'g1')!;
    expect(g1.addr_info.map((a) => a.local)).toEqual(['10.2.0.1', '2001:db8:1::5']);
    await same([...n, '-j', '-4', 'addr', 'show']);
    await same([...n, '-j', '-6', 'addr', 'show']);
    await same([...n, '-j', 'addr', 'show', 'dev', 'v0']);
  });

  it('ip -j route show: main, table all, -6, one table, selectors, get', async () => {
    expect(await same([...n, '-j', 'route', 'show'])).not.toHaveLength(0);
    await same([...n, '-j', 'route', 'show', 'table', 'all']);
    await same([...n, '-j', '-6', 'route', 'show']);
    await same([...n, '-j', 'route', 'show', 'table', '100']);
    await same([...n, '-j', 'route', 'show', '10.1.0.0/16']);
    await same([...n, '-j', 'route', 'show', 'root', '10.0.0.0/8']);
    await same([...n, '-j', 'route', 'show', 'match', '10.1.2.3']);
    await same([...n, '-j', 'route', 'show', 'dev', 'v0']);
    await same([...n, '-j', 'route', 'show', 'proto', 'static']);
    await same([...n, '-j', 'route', 'show', 'table', 'all', 'type', 'local']);
    await same([...n, '-j', 'route', 'show', 'scope', 'link']);
    await same([...n, '-j', 'route', 'show', 'via', '10.0.0.2']);
    await same([...n, '-j', 'route', 'get', '10.1.2.3']);
    await same([...n, '-j', 'route', 'get', '10.0.0.1']);
  });

  it('ip -j neigh show: cache, proxy, -6, dev', async () => {
    expect(await same([...n, '-j', 'neigh', 'show'])).not.toHaveLength(0);
    await same([...n, '-j', 'neigh', 'show', 'proxy']);
    await same([...n, '-j', '-6', 'neigh', 'show']);
    await same([...n, '-j', 'neigh', 'show', 'dev', 'v0']);
  });

  it('ip -j netns list and list-id', async () => {
    const list = (await same(['-j', 'netns', 'list'], { sortBy: 'name' })) as Array<{ name: string }>;
    expect(list.map((e) => e.name)).toEqual(expect.arrayContaining([ns, peer]));
    expect(await same([...n, '-j', 'netns', 'list-id'])).toEqual([{ nsid: 5, name: peer }]);
  });

  it('text output is ip\'s, line for line (trailing spaces aside)', async () => {
    const text = (s: string) => s.split('\n').map((l) => l.trimEnd()).filter((l) => l !== '').join('\n');
    for (const args of [['link', 'show'], ['addr', 'show', 'dev', 'v0'], ['route', 'show'], ['neigh', 'show'], ['netns', 'list-id']]) {
      expect(text(await cliOk('ip', ...n, ...args))).toBe(text(ip(...n, ...args)));
    }
  });
});
