import { execFileSync } from 'node:child_process';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { apply, destroy, plan } from '../../../src/api/topology/apply.js';
import { ApplyError } from '../../../src/api/topology/errors.js';
import { readJournal } from '../../../src/api/topology/journal.js';
import type { Topology } from '../../../src/api/topology/schema.js';
import { listNetns } from '../../../src/netns/netns.js';
import { describeKernel, guardThreadNetns, randomName, sh } from '../sandbox.js';
import { ping, startServer, startUdpServer, udpWhoAmI, whoAmI, type Server } from './traffic.js';

// The sandbox's own namespace plays the host. A namespace `world` stands for the outside,
// reached through an uplink veth: host 10.99.0.2 <-> world 10.99.0.1.
const suffix = randomName('').slice(1, 5);
const red = `red${suffix}`;
const blue = `blue${suffix}`;
const world = `world${suffix}`;
const uplink = `up${suffix}`;
const bridge = `vnet${suffix}`;

const topology = (withForward = true): Topology => ({
  name: `tut${suffix}`,
  uplinks: [uplink],
  bridges: [{ name: bridge, addresses: ['192.168.15.5/24', 'fd15::5/64'] }],
  namespaces: [
    { name: red, interfaces: [{ name: 'veth-red', bridge, peer: `vr${suffix}`, addresses: ['192.168.15.1/24', 'fd15::1/64'] }], gateway: ['192.168.15.5', 'fd15::5'] },
    { name: blue, interfaces: [{ name: 'veth-blue', bridge, peer: `vb${suffix}`, addresses: ['192.168.15.2/24', 'fd15::2/64'] }], gateway: ['192.168.15.5', 'fd15::5'] },
  ],
  nat: {
    masquerade: [{ source: '192.168.15.0/24' }, { source: 'fd15::/64' }],
    forwards: withForward ? [{ protocol: 'tcp', port: 8080, to: '192.168.15.2:80' }, { protocol: 'tcp', port: 8080, to: '[fd15::2]:80' }, { protocol: 'udp', port: '5000-5002', to: '192.168.15.2', from: ['10.99.0.0/24'] }] : [],
  },
});

describeKernel('the tutorial as a topology, proven with traffic', () => {
  guardThreadNetns();
  const servers: Server[] = [];
  beforeAll(() => {
    sh('ip', ['netns', 'add', world]);
    sh('ip', ['link', 'add', uplink, 'type', 'veth', 'peer', 'name', 'eth0', 'netns', world]);
    sh('ip', ['addr', 'add', '10.99.0.2/24', 'dev', uplink]);
    sh('ip', ['addr', 'add', 'fd99::2/64', 'dev', uplink, 'nodad']);
    sh('ip', ['-n', world, 'addr', 'add', 'fd99::1/64', 'dev', 'eth0', 'nodad']);
    sh('ip', ['link', 'set', uplink, 'up']);
    sh('ip', ['-n', world, 'addr', 'add', '10.99.0.1/24', 'dev', 'eth0']);
    sh('ip', ['-n', world, 'link', 'set', 'eth0', 'up']);
    sh('ip', ['-n', world, 'link', 'set', 'lo', 'up']);
    sh('ip', ['route', 'add', 'default', 'via', '10.99.0.1']);
    sh('ip', ['-6', 'route', 'add', 'default', 'via', 'fd99::1']);
  });
  afterAll(async () => {
    for (const s of servers) await s.stop();
    await destroy(topology()).catch(() => undefined);
    // Deleting world takes the uplink (and the default routes through it) along.
    sh('ip', ['netns', 'del', world]);
  });

  it('apply builds it; red and blue talk, the host reaches them, egress is masqueraded, the forward works from everywhere', async () => {
    const result = await apply(topology());
    expect(result.applied.length).toBeGreaterThan(10);
    expect(listNetns()).toEqual(expect.arrayContaining([red, blue]));

    expect(ping(red, '192.168.15.2')).toBe(true); // red <-> blue over the bridge
    expect(ping(undefined, '192.168.15.1')).toBe(true); // host -> namespace

    servers.push(await startServer(world, 7000));
    expect(whoAmI(red, '10.99.0.1', 7000)).toBe('10.99.0.2'); // masqueraded on the way out

    servers.push(await startServer(blue, 80));
    expect(whoAmI(world, '10.99.0.2', 8080)).toBe('10.99.0.1'); // outside -> host:8080 -> blue:80
    expect(whoAmI(undefined, '10.99.0.2', 8080)).toBe('10.99.0.2'); // the host itself (OUTPUT path)
    expect(whoAmI(red, '192.168.15.5', 8080)).toBe('192.168.15.5'); // hairpin from red, via the host
    expect(whoAmI(red, '192.168.15.2', 80)).toBe('192.168.15.1'); // inside the subnet: no NAT

    // A UDP port range, allowed only from the outside world's prefix: each port maps to itself.
    servers.push(await startUdpServer(blue, 5001));
    expect(udpWhoAmI(world, '10.99.0.2', 5001)).toBe('10.99.0.1');
    expect(udpWhoAmI(red, '192.168.15.5', 5001)).toMatch(/timeout|error/); // red is not in `from`

    // The same over IPv6.
    expect(ping(red, 'fd15::2')).toBe(true);
    expect(whoAmI(red, 'fd99::1', 7000)).toBe('fd99::2');
    expect(whoAmI(world, 'fd99::2', 8080)).toBe('fd99::1');
    expect(whoAmI(red, 'fd15::5', 8080)).toBe('fd15::5');
  }, 60_000);

  it('applying again changes nothing; plan is empty', async () => {
    expect((await plan(topology())).steps).toEqual([]);
    expect((await apply(topology())).applied).toEqual([]);
  }, 30_000);

  it('a changed topology applies only the difference, and the removed forward stops working', async () => {
    const p = await plan(topology(false));
    expect(p.steps).toHaveLength(4);
    expect(p.steps[0]).toMatch(/^nft -f .*0 forward/);
    expect(p.steps.slice(1)).toEqual([
      expect.stringMatching(/^conntrack -D -p tcp --reply-src 192\.168\.15\.2 /),
      expect.stringMatching(/^conntrack -D -p tcp --reply-src fd15::2 /),
      expect.stringMatching(/^conntrack -D -p udp --reply-src 192\.168\.15\.2 /),
    ]);
    await apply(topology(false));
    expect(whoAmI(world, '10.99.0.2', 8080)).toMatch(/^error/);
    await apply(topology(true));
    expect(whoAmI(world, '10.99.0.2', 8080)).toBe('10.99.0.1');
  }, 30_000);

  it('destroy removes exactly what it made, fast, and restores what it changed', async () => {
    const before = JSON.parse(sh('ip', ['-j', 'link'])).map((l: { ifname: string }) => l.ifname).filter((n: string) => n.includes(suffix));
    const res = await destroy(topology().name);
    expect(res.durationMs).toBeLessThan(1000);
    expect(listNetns()).not.toContain(red);
    expect(listNetns()).toContain(world); // not ours
    const after = JSON.parse(sh('ip', ['-j', 'link'])).map((l: { ifname: string }) => l.ifname).filter((n: string) => n.includes(suffix));
    expect(after).toContain(uplink);
    expect(after).not.toContain(bridge);
    expect(before.filter((n: string) => !after.includes(n)).sort()).toEqual([bridge, `vb${suffix}`, `vr${suffix}`].sort());
    expect(execFileSync('nft', ['list', 'tables'], { encoding: 'utf8' })).not.toContain(`netns-ts-tut${suffix}`);
    expect(execFileSync('sysctl', ['-n', `net.ipv4.conf.${uplink}.forwarding`], { encoding: 'utf8' }).trim()).toBe('0');
    expect(readJournal(topology().name)).toBeUndefined();
  }, 30_000);

  it('a foreign object in the way is refused before anything is created', async () => {
    sh('ip', ['link', 'add', `vb${suffix}`, 'type', 'veth', 'peer', 'name', `xx${suffix}`]);
    try {
      const err = await apply(topology()).catch((e: unknown) => e);
      expect((err as Error).name).toBe('TopologyConflictError');
      expect((err as Error).message).toContain(`vb${suffix}`);
      expect(listNetns()).not.toContain(red);
    } finally {
      sh('ip', ['link', 'del', `vb${suffix}`]);
    }
  }, 30_000);

  it('a kernel failure halfway rolls back what that apply created and names the step and the reason', async () => {
    const t = topology();
    // The gateway is on no subnet of red: only the kernel can tell, after the namespaces,
    // the bridge and the veth pairs exist.
    t.namespaces![0]!.routes = [{ to: '10.5.0.0/16', via: '10.200.0.1' }];
    // Other test files share this namespace: look only at this file's links.
    const ours = () => (JSON.parse(sh('ip', ['-j', 'link'])) as Array<{ ifname: string }>).map((l) => l.ifname).filter((n) => n.includes(suffix));
    const linksBefore = ours();
    const err = await apply(t).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ApplyError);
    const e = err as ApplyError;
    expect(e.step).toBe(`ip -n ${red} route add 10.5.0.0/16 via 10.200.0.1`);
    expect((e.cause as { code?: string }).code).toBe('ENETUNREACH');
    expect(e.message).toMatch(/Nexthop has invalid gateway|unreachable/i);
    expect(e.rolledBack).toEqual(expect.arrayContaining([`ip netns add ${red}`, `ip netns add ${blue}`, `ip link add ${bridge} type bridge`]));
    expect(e.rollbackErrors).toEqual([]);
    expect(listNetns()).not.toContain(red);
    expect(listNetns()).not.toContain(blue);
    expect(ours()).toEqual(linksBefore);
    expect(readJournal(t.name)?.namespaces ?? []).toEqual([]);
    // And the valid topology applies cleanly afterwards.
    expect((await apply(topology())).applied.length).toBeGreaterThan(10);
    await destroy(topology().name);
  }, 30_000);
});
