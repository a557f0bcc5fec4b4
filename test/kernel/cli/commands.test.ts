/**
 * The commands that change state, checked against `ip -j` as the oracle: link set (rename,
 * master/nomaster, netns, alias, address), delete by group, addr replace/delete/flush, route
 * replace/delete/get, neigh change/replace/delete/flush, netns add/set/list-id/identify/exec,
 * and the kernel's refusals reported as one line naming the words at fault.
 */
import { afterAll, beforeAll, expect, it } from 'vitest';
import { describeKernel, guardThreadNetns, randomName } from '../sandbox.js';
import { cli, cliOk, ip } from './cli.js';

type Link = { ifname: string; flags: string[]; master?: string; mtu: number; address: string; ifalias?: string; group: string };

describeKernel('ip commands that change state', () => {
  guardThreadNetns();
  const ns = randomName('cmd');
  const other = randomName('cmo');
  const n = ['-n', ns];
  const links = (): Link[] => JSON.parse(ip(...n, '-j', 'link', 'show')) as Link[];
  const link = (name: string): Link | undefined => links().find((l) => l.ifname === name);

  beforeAll(async () => {
    await cliOk('ip', 'netns', 'add', ns);
    await cliOk('ip', 'netns', 'add', other);
    await cliOk('ip', ...n, 'link', 'add', 'br0', 'type', 'bridge');
    await cliOk('ip', ...n, 'link', 'add', 'v0', 'type', 'veth', 'peer', 'name', 'v1');
  });

  afterAll(async () => {
    await cli('ip', 'netns', 'del', ns);
    await cli('ip', 'netns', 'del', other);
  });

  it('link set: master, nomaster, mtu, address, alias, up/down, rename', async () => {
    await cliOk('ip', ...n, 'link', 'set', 'dev', 'v0', 'master', 'br0', 'mtu', '1400', 'address', '02:00:00:00:00:aa', 'alias', 'the port', 'up');
    expect(link('v0')).toMatchObject({ master: 'br0', mtu: 1400, address: '02:00:00:00:00:aa', ifalias: 'the port' });
    expect(link('v0')!.flags).toContain('UP');
    await cliOk('ip', ...n, 'l', 's', 'v0', 'nomaster', 'down');
    expect(link('v0')!.master).toBeUndefined();
    expect(link('v0')!.flags).not.toContain('UP');
    await cliOk('ip', ...n, 'link', 'set', 'v0', 'name', 'v0x');
    expect(link('v0x')).toBeDefined();
    await cliOk('ip', ...n, 'link', 'set', 'v0x', 'name', 'v0');
  });

  it('link set netns moves a link; link delete group removes a whole group', async () => {
    await cliOk('ip', ...n, 'link', 'add', 'mv', 'type', 'veth', 'peer', 'name', 'mvp');
    await cliOk('ip', ...n, 'link', 'set', 'mv', 'netns', other);
    expect(link('mv')).toBeUndefined();
    expect((JSON.parse(ip('-n', other, '-j', 'link', 'show')) as Link[]).map((l) => l.ifname)).toContain('mv');
    await cliOk('ip', ...n, 'link', 'add', 'g1', 'group', '9', 'type', 'bridge');
    await cliOk('ip', ...n, 'link', 'add', 'g2', 'group', '9', 'type', 'bridge');
    await cliOk('ip', ...n, 'link', 'delete', 'group', '9');
    expect(links().map((l) => l.ifname)).not.toContain('g1');
    expect(links().map((l) => l.ifname)).not.toContain('g2');
  });

  it('address replace, delete and flush', async () => {
    await cliOk('ip', ...n, 'addr', 'add', '10.6.0.1/24', 'dev', 'br0');
    await cliOk('ip', ...n, 'addr', 'replace', '10.6.0.1/24', 'dev', 'br0', 'valid_lft', '500', 'preferred_lft', '400');
    const info = () => (JSON.parse(ip(...n, '-j', 'addr', 'show', 'dev', 'br0'))[0].addr_info as Array<{ local: string; valid_life_time: number }>).filter((a) => a.local.startsWith('10.6.'));
    expect(info()[0]!.valid_life_time).toBeLessThanOrEqual(500);
    await cliOk('ip', ...n, 'a', 'a', '10.6.0.2/24', 'dev', 'br0');
    await cliOk('ip', ...n, 'a', 'd', '10.6.0.2/24', 'dev', 'br0');
    expect(info().map((a) => a.local)).toEqual(['10.6.0.1']);
    await cliOk('ip', ...n, 'addr', 'add', '10.6.0.3/24', 'dev', 'br0');
    await cliOk('ip', ...n, '-4', 'addr', 'flush', 'dev', 'br0');
    expect(info()).toEqual([]);
  });

  it('route replace, delete and get', async () => {
    await cliOk('ip', ...n, 'link', 'set', 'br0', 'up');
    await cliOk('ip', ...n, 'addr', 'add', '10.7.0.1/24', 'dev', 'br0');
    await cliOk('ip', ...n, 'route', 'add', '10.8.0.0/16', 'via', '10.7.0.2');
    await cliOk('ip', ...n, 'r', 'r', '10.8.0.0/16', 'via', '10.7.0.3', 'metric', '0');
    const routes = () => JSON.parse(ip(...n, '-j', 'route', 'show', '10.8.0.0/16')) as Array<{ gateway: string }>;
    expect(routes()).toEqual([expect.objectContaining({ gateway: '10.7.0.3' })]);
    const got = JSON.parse(await cliOk('ip', ...n, '-j', 'route', 'get', '10.8.1.1'));
    expect(got).toEqual(JSON.parse(ip(...n, '-j', 'route', 'get', '10.8.1.1')));
    await cliOk('ip', ...n, 'route', 'del', '10.8.0.0/16');
    expect(routes()).toEqual([]);
  });

  it('neigh change, replace, delete and flush', async () => {
    const neigh = () => JSON.parse(ip(...n, '-j', 'neigh', 'show', 'dev', 'br0')) as Array<{ dst: string; lladdr?: string; state: string[] }>;
    await cliOk('ip', ...n, 'neigh', 'add', '10.7.0.9', 'lladdr', '02:00:00:00:00:09', 'dev', 'br0');
    await cliOk('ip', ...n, 'neigh', 'change', '10.7.0.9', 'lladdr', '02:00:00:00:00:99', 'dev', 'br0');
    expect(neigh()).toEqual([{ dst: '10.7.0.9', lladdr: '02:00:00:00:00:99', state: ['PERMANENT'] }]);
    await cliOk('ip', ...n, 'n', 'r', '10.7.0.10', 'lladdr', '02:00:00:00:00:10', 'nud', 'stale', 'dev', 'br0');
    await cliOk('ip', ...n, 'neigh', 'flush', 'dev', 'br0');
    // flush spares permanent entries, as ip's does.
    expect(neigh().map((e) => e.dst)).toEqual(['10.7.0.9']);
    await cliOk('ip', ...n, 'neigh', 'del', '10.7.0.9', 'dev', 'br0');
    expect(neigh()).toEqual([]);
  });

  it('netns set, list-id, identify and exec', async () => {
    const third = randomName('cmt');
    await cliOk('ip', 'netns', 'add', third);
    try {
      await cliOk('ip', ...n, 'netns', 'set', third, '7');
      expect(JSON.parse(await cliOk('ip', ...n, '-j', 'netns', 'list-id'))).toContainEqual({ nsid: 7, name: third });
      expect(JSON.parse(await cliOk('ip', ...n, '-j', 'netns', 'list'))).toContainEqual({ name: third, id: 7 });
    } finally {
      await cliOk('ip', 'netns', 'del', third);
    }
    expect(await cliOk('ip', 'netns', 'identify')).not.toContain(ns); // this process is not in it
    const r = await cli('ip', 'netns', 'exec', ns, 'true');
    expect(r.status).toBe(0);
    expect((await cli('ip', 'netns', 'exec', ns, 'false')).status).toBe(1);
  });

  it('refusals are one line naming the words and the kernel reason', async () => {
    const cases: Array<[string[], string]> = [
      [[...n, 'link', 'set', 'v0', 'mtu', '70000'], 'netns-ts: ip link set: mtu 70000: mtu greater than device maximum (kernel: EINVAL)'],
      [[...n, 'route', 'add', '10.9.0.0/16', 'via', '10.99.0.1', 'dev', 'br0'], 'netns-ts: ip route add: via 10.99.0.1: Nexthop has invalid gateway (kernel: ENETUNREACH)'],
      [[...n, 'route', 'add', '10.9.0.0/16', 'dev', 'br0', 'src', '10.99.9.9'], 'netns-ts: ip route add: src 10.99.9.9: Invalid prefsrc address (kernel: EINVAL)'],
      [[...n, 'link', 'add', 'v0', 'type', 'veth', 'peer', 'name', 'v9'], 'netns-ts: ip link add: v0: file already exists (kernel: EEXIST)'],
      [[...n, 'addr', 'del', '10.77.0.1/24', 'dev', 'br0'], 'netns-ts: ip address delete: 10.77.0.1/24: ipv4: Address not found (kernel: EADDRNOTAVAIL)'],
      [[...n, 'link', 'add', 'vx', 'type', 'vxlan', 'id', '5', 'group', '239.1.1.1', 'dstport', '4789'], 'netns-ts: ip link add: vx: Local interface required for multicast remote destination (kernel: EINVAL)'],
      [[...n, 'route', 'show', 'table', '77'], 'netns-ts: ip route show: table 77: ipv4: FIB table does not exist (kernel: ENOENT)'],
      [[...n, 'addr', 'add', '10.0.0.300/24', 'dev', 'br0'], "netns-ts: ip address add: 10.0.0.300/24: '10.0.0.300' is not an IPv4 or IPv6 address"],
    ];
    for (const [args, line] of cases) {
      const r = await cli('ip', ...args);
      expect(r.status, args.join(' ')).toBe(1);
      expect(r.err).toBe(line);
    }
  });
});
