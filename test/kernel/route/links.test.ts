/**
 * Links against the real kernel, each effect checked with `ip -j -d link show` (iproute2 as the
 * oracle), not only with our own decoder. Every test works in namespaces of its own.
 */
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { Connection } from '../../../src/netlink/connection.js';
import { NetlinkError, ValidationError } from '../../../src/netlink/errors.js';
import { createNetns, deleteNetns } from '../../../src/netns/index.js';
import { connectInNetns } from '../../../src/netns/connect.js';
import { Links } from '../../../src/route/links.js';
import { describeKernel, guardThreadNetns, randomName, sh, status } from '../sandbox.js';

interface IpLink {
  ifindex: number;
  ifname: string;
  flags: string[];
  mtu: number;
  address?: string;
  operstate: string;
  group: string;
  txqlen?: number;
  ifalias?: string;
  master?: string;
  link?: string;
  link_netnsid?: number;
  altnames?: string[];
  linkinfo?: { info_kind?: string; info_data?: Record<string, unknown>; info_slave_kind?: string; info_slave_data?: Record<string, unknown> };
}

function ipShow(netns: string, dev?: string): IpLink[] {
  return JSON.parse(sh('ip', ['-n', netns, '-j', '-d', 'link', 'show', ...(dev ? ['dev', dev] : [])])) as IpLink[];
}
const ipOne = (netns: string, dev: string): IpLink => ipShow(netns, dev)[0]!;
const exists = (netns: string, dev: string): boolean => status('ip', ['-n', netns, 'link', 'show', 'dev', dev]) === 0;

describeKernel('links (rtnetlink) against ip -j -d link', () => {
  guardThreadNetns();
  const ns = randomName('lk');
  const other = randomName('lk2');
  let conn: Connection;
  let links: Links;

  beforeAll(() => {
    createNetns(ns);
    createNetns(other);
    conn = connectInNetns(ns);
    links = new Links(conn);
  });
  afterAll(() => {
    conn?.close();
    deleteNetns(ns);
    deleteNetns(other);
  });

  it('creates a veth pair with the peer directly inside another namespace', async () => {
    await links.createVeth({ name: 'veth-red', peer: { name: 'veth-red-br', netns: other }, mtu: 1400, address: '02:00:00:00:00:01' });
    const here = ipOne(ns, 'veth-red');
    expect(here.linkinfo?.info_kind).toBe('veth');
    expect(here.mtu).toBe(1400);
    expect(here.address).toBe('02:00:00:00:00:01');
    expect(here.link_netnsid).toBeTypeOf('number');
    const there = ipOne(other, 'veth-red-br');
    expect(there.linkinfo?.info_kind).toBe('veth');
    expect(exists(ns, 'veth-red-br')).toBe(false);
    // Our decoder agrees with ip on the same link.
    const ours = await links.get('veth-red');
    expect(ours).toMatchObject({ name: 'veth-red', index: here.ifindex, kind: 'veth', mtu: 1400, address: '02:00:00:00:00:01', linkNetnsId: here.link_netnsid });
  });

  it('sets up, mtu, address, alias, txqueuelen and group in one request', async () => {
    await links.set('veth-red', { up: true, mtu: 1300, address: '02:00:00:00:00:02', alias: 'to red', txqueuelen: 500, group: 42 });
    const l = ipOne(ns, 'veth-red');
    expect(l.flags).toContain('UP');
    expect(l.mtu).toBe(1300);
    expect(l.address).toBe('02:00:00:00:00:02');
    expect(l.ifalias).toBe('to red');
    expect(l.txqlen).toBe(500);
    expect(l.group).toBe('42');
    await links.set('veth-red', { up: false, alias: '' });
    const down = ipOne(ns, 'veth-red');
    expect(down.flags).not.toContain('UP');
    expect(down.ifalias).toBeUndefined();
  });

  it('creates a bridge with options, attaches and detaches a port, sets port options', async () => {
    await links.createBridge({ name: 'v-net-0', stp: true, forwardDelay: 400, ageingTime: 12000, priority: 4096, up: true });
    const br = ipOne(ns, 'v-net-0');
    expect(br.linkinfo?.info_kind).toBe('bridge');
    expect(br.linkinfo?.info_data).toMatchObject({ stp_state: 1, forward_delay: 400, ageing_time: 12000, priority: 4096 });
    await links.set('veth-red', { master: 'v-net-0' });
    expect(ipOne(ns, 'veth-red').master).toBe('v-net-0');
    await links.setBridgePort('veth-red', { hairpin: true, learning: false, flood: false, isolated: true });
    const port = ipOne(ns, 'veth-red').linkinfo;
    expect(port?.info_slave_kind).toBe('bridge');
    expect(port?.info_slave_data).toMatchObject({ hairpin: true, learning: false, flood: false, isolated: true });
    const ours = await links.get('veth-red');
    expect(ours?.bridgePort).toMatchObject({ mode: 1, learning: 0, unicastFlood: 0, isolated: 1 });
    const ports = await links.list({ master: 'v-net-0' });
    expect(ports.map((l) => l.name)).toEqual(['veth-red']);
    await links.set('veth-red', { master: null });
    expect(ipOne(ns, 'veth-red').master).toBeUndefined();
  });

  it('lists with kernel-side kind filtering and decodes bridge info', async () => {
    const bridges = await links.list({ kind: 'bridge' });
    expect(bridges.map((l) => l.name)).toEqual(['v-net-0']);
    expect(bridges[0]!.bridge).toMatchObject({ stpState: 1, forwardDelay: 400, priority: 4096 });
    const all = await links.list();
    const want = ipShow(ns).map((l) => ({ index: l.ifindex, name: l.ifname, kind: l.linkinfo?.info_kind }));
    expect(all.map((l) => ({ index: l.index, name: l.name, kind: l.kind }))).toEqual(want);
    expect(all.find((l) => l.name === 'lo')?.type).toBe('loopback');
    expect(typeof all[0]!.stats?.rxPackets).toBe('bigint');
    // A kind this kernel does not know: the kernel ignores such a filter, the client does not.
    expect(await links.list({ kind: 'no-such-kind' })).toEqual([]);
  });

  it('renames a link and moves it to another namespace', async () => {
    await links.set('veth-red', { name: 'veth-r2' });
    expect(exists(ns, 'veth-r2')).toBe(true);
    await links.set('veth-r2', { netns: other });
    expect(exists(ns, 'veth-r2')).toBe(false);
    expect(ipOne(other, 'veth-r2').linkinfo?.info_kind).toBe('veth');
  });

  it('creates macvlan, vxlan and ifb links', async () => {
    await links.createVeth({ name: 'lower0', peer: { name: 'lower1' } });
    await links.createMacvlan({ name: 'mv0', link: 'lower0', mode: 'bridge' });
    const mv = ipOne(ns, 'mv0');
    expect(mv.linkinfo?.info_kind).toBe('macvlan');
    expect(mv.linkinfo?.info_data).toMatchObject({ mode: 'bridge' });
    expect(mv.link).toBe('lower0');
    await links.createVxlan({ name: 'vx0', vni: 42, dstport: 4789, local: '10.0.0.1', remote: '10.0.0.2', ttl: 16 });
    const vx = ipOne(ns, 'vx0');
    expect(vx.linkinfo?.info_data).toMatchObject({ id: 42, port: 4789, local: '10.0.0.1', remote: '10.0.0.2', ttl: 16 });
    expect((await links.get('vx0'))?.vxlan).toMatchObject({ id: 42, port: 4789, local: '10.0.0.1', group: '10.0.0.2', ttl: 16 });
    await links.createIfb({ name: 'ifb0', txqueuelen: 64 });
    expect(ipOne(ns, 'ifb0').linkinfo?.info_kind).toBe('ifb');
    expect(ipOne(ns, 'ifb0').txqlen).toBe(64);
  });

  it('decodes tun/tap links made by ip tuntap', async () => {
    sh('ip', ['-n', ns, 'tuntap', 'add', 'tap0', 'mode', 'tap']);
    const tap = await links.get('tap0');
    expect(tap?.kind).toBe('tun');
    expect(tap?.tun).toMatchObject({ type: 'tap', persist: 1 });
  });

  it('brings a veth peer up in its namespace right after creating it there', async () => {
    await links.createVeth({ name: 'veth-up', up: true, peer: { name: 'veth-up-br', netns: other, up: true } });
    expect(ipOne(ns, 'veth-up').flags).toContain('UP');
    expect(ipOne(other, 'veth-up-br').flags).toContain('UP');
  });

  it('changes per-device IPv4 and IPv6 settings over netlink (IFLA_AF_SPEC)', async () => {
    await links.set('veth-up', { ipv4: { forwarding: 1, rp_filter: 2 }, ipv6: { addrGenMode: 'none' } });
    const sysctl = (key: string): string => sh('ip', ['netns', 'exec', ns, 'sysctl', '-n', key]).trim();
    expect(sysctl('net.ipv4.conf.veth-up.forwarding')).toBe('1');
    expect(sysctl('net.ipv4.conf.veth-up.rp_filter')).toBe('2');
    expect((ipOne(ns, 'veth-up') as unknown as { inet6_addr_gen_mode: string }).inet6_addr_gen_mode).toBe('none');
    const ours = await links.get('veth-up');
    expect(ours?.ipv4).toMatchObject({ forwarding: 1, rp_filter: 2 });
    expect(ours?.ipv6?.addrGenMode).toBe('none');
  });

  it('adds, reads and removes alternative names', async () => {
    sh('ip', ['-n', ns, 'link', 'property', 'add', 'dev', 'veth-up', 'altname', 'a-much-longer-alternative-name']);
    await links.addAltnames('veth-up', 'second-alternative-name-of-veth-up');
    expect(ipOne(ns, 'veth-up').altnames).toEqual(['a-much-longer-alternative-name', 'second-alternative-name-of-veth-up']);
    expect((await links.get('veth-up'))?.altnames).toEqual(ipOne(ns, 'veth-up').altnames);
    await links.deleteAltnames('veth-up', 'a-much-longer-alternative-name');
    expect((await links.list()).find((l) => l.name === 'veth-up')?.altnames).toEqual(['second-alternative-name-of-veth-up']);
    await expect(links.addAltnames('veth-up', 'x'.repeat(128))).rejects.toMatchObject({ field: 'altnames[0]' });
  });

  it('deletes one link, then a whole group in one request', async () => {
    await links.delete('mv0');
    expect(exists(ns, 'mv0')).toBe(false);
    for (const name of ['g1', 'g2', 'g3']) await links.createIfb({ name, group: 77 });
    await links.deleteGroup(77);
    for (const name of ['g1', 'g2', 'g3']) expect(exists(ns, name)).toBe(false);
    expect(exists(ns, 'ifb0')).toBe(true);
  });

  it('get returns undefined for a missing link; kernel refusals are NetlinkErrors', async () => {
    expect(await links.get('no-such-link')).toBeUndefined();
    await expect(links.createIfb({ name: 'ifb0' })).rejects.toMatchObject({ name: 'NetlinkError', code: 'EEXIST' });
    await expect(links.delete('no-such-link')).rejects.toBeInstanceOf(NetlinkError);
  });

  it('refuses bad input before sending anything', async () => {
    const sentBefore = await links.list();
    await expect(links.createIfb({ name: 'way-too-long-name' })).rejects.toBeInstanceOf(ValidationError);
    await expect(links.set('ifb0', { mtu: 20 })).rejects.toMatchObject({ field: 'mtu' });
    await expect(links.createVeth({ name: 'a', peer: { name: 'b/c' } })).rejects.toMatchObject({ field: 'peer.name' });
    expect((await links.list()).length).toBe(sentBefore.length);
  });
});
