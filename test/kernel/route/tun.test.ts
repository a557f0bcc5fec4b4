/**
 * tun/tap devices made by Links.createTun (TUNSETIFF through the binding, native/tun.c), each
 * effect checked with `ip -j -d link show` and `ip tuntap show`. Every test works in namespaces
 * of its own; the process's own namespace must never get a device.
 */
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { Connection } from '../../../src/netlink/connection.js';
import { NetlinkError, ValidationError } from '../../../src/netlink/errors.js';
import { connectInNetns } from '../../../src/netns/connect.js';
import { createNetns, deleteNetns } from '../../../src/netns/index.js';
import { Links } from '../../../src/route/links.js';
import { describeKernel, guardThreadNetns, ipLinks, randomName, sh } from '../sandbox.js';

interface IpTunLink {
  ifname: string;
  flags: string[];
  mtu: number;
  master?: string;
  group: string;
  linkinfo?: { info_kind?: string; info_data?: Record<string, unknown> };
}

const ipShow = (netns: string): IpTunLink[] => JSON.parse(sh('ip', ['-n', netns, '-j', '-d', 'link', 'show'])) as IpTunLink[];
const ipOne = (netns: string, dev: string): IpTunLink | undefined => ipShow(netns).find((l) => l.ifname === dev);
const names = (netns: string): string[] => ipShow(netns).map((l) => l.ifname).sort();

describeKernel('tun/tap devices (TUNSETIFF) against ip -j -d link', () => {
  guardThreadNetns();
  const ns = randomName('tun');
  const other = randomName('tun2');
  let conn: Connection;
  let links: Links;
  let hostLinksBefore: string[] = [];

  beforeAll(() => {
    hostLinksBefore = ipLinks().map((l) => l.ifname).sort();
    createNetns(ns);
    createNetns(other);
    conn = connectInNetns(ns);
    links = new Links(conn);
  });
  afterAll(() => {
    conn?.close();
    deleteNetns(ns);
    deleteNetns(other);
    // Devices go to the connection's namespace or `netns`, never to the process's own.
    expect(ipLinks().map((l) => l.ifname).sort()).toEqual(hostLinksBefore);
  });

  it('creates a tap in the connection namespace, with owner, group, multi_queue and the common options', async () => {
    await links.createBridge({ name: 'br-tun' });
    await links.createTun({ name: 'tap0', mode: 'tap', owner: 65534, ownerGroup: 65534, multiQueue: true, up: true, mtu: 1400, master: 'br-tun', group: 7 });
    const tap = ipOne(ns, 'tap0')!;
    expect(tap.linkinfo?.info_kind).toBe('tun');
    expect(tap.linkinfo?.info_data).toMatchObject({ type: 'tap', pi: false, vnet_hdr: false, multi_queue: true, persist: true, user: 'nobody', group: 'nogroup' });
    expect(tap.mtu).toBe(1400);
    expect(tap.flags).toContain('UP');
    expect(tap.master).toBe('br-tun');
    expect(tap.group).toBe('7');
    expect(sh('ip', ['-n', ns, 'tuntap', 'show'])).toContain('tap0: tap multi_queue persist user 65534 group 65534');
  });

  it('creates a tun with packet info and a vnet header directly in another namespace', async () => {
    await links.createTun({ name: 'tun0', mode: 'tun', netns: other, packetInfo: true, vnetHdr: true });
    expect(ipOne(ns, 'tun0')).toBeUndefined();
    const tun = ipOne(other, 'tun0')!;
    expect(tun.linkinfo?.info_data).toMatchObject({ type: 'tun', pi: true, vnet_hdr: true, multi_queue: false, persist: true });
    expect(tun.linkinfo?.info_data).not.toHaveProperty('user');
    // Our own decoder reads it back the same way.
    const other_ = connectInNetns(other);
    try {
      const listed = (await new Links(other_).list({ kind: 'tun' })).find((l) => l.name === 'tun0');
      expect(listed?.tun).toMatchObject({ type: 'tun', pi: 1, vnetHdr: 1, persist: 1, multiQueue: 0 });
    } finally {
      other_.close();
    }
  });

  it('refuses a name that is taken, by a tun device or any other link, and leaves that link alone', async () => {
    await links.createTun({ name: 'tap-dup', mode: 'tap' });
    await expect(links.createTun({ name: 'tap-dup', mode: 'tap' })).rejects.toMatchObject({ code: 'EBUSY', message: expect.stringContaining('a link named tap-dup already exists') });
    await links.createVeth({ name: 'veth-dup', peer: { name: 'veth-dup-p' } });
    await expect(links.createTun({ name: 'veth-dup', mode: 'tun' })).rejects.toMatchObject({ code: 'EBUSY' });
    expect(ipOne(ns, 'veth-dup')?.linkinfo?.info_kind).toBe('veth');
  });

  it('leaves nothing when a setting is refused: the device is deleted again', async () => {
    const before = names(ns);
    const err = await links.createTun({ name: 'tap-mtu', mode: 'tap', mtu: 70000 }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(NetlinkError);
    expect((err as NetlinkError).code).toBe('EINVAL');
    expect(names(ns)).toEqual(before);
  });

  it('looks the master up before creating anything', async () => {
    const before = names(ns);
    await expect(links.createTun({ name: 'tap-nm', mode: 'tap', master: 'no-such-br' })).rejects.toMatchObject({ code: 'ENODEV' });
    expect(names(ns)).toEqual(before);
  });

  it('refuses bad input before anything exists', async () => {
    const before = names(ns);
    const bad: Array<[unknown, string]> = [
      [{ name: 'x0' }, 'mode'],
      [{ name: 'x0', mode: 'tunnel' }, 'mode'],
      [{ name: 'x0', mode: 'tap', owner: -1 }, 'owner'],
      [{ name: 'x0', mode: 'tap', ownerGroup: 2 ** 32 }, 'ownerGroup'],
      [{ name: 'x0', mode: 'tap', multiQueue: 'yes' }, 'multiQueue'],
      [{ name: 'x0', mode: 'tun', address: '02:00:00:00:00:01' }, 'address'],
      [{ name: 'x0', mode: 'tap', flags: 1 }, 'flags'],
      [{ name: 'a/b', mode: 'tap' }, 'name'],
    ];
    for (const [options, field] of bad) {
      const err = await links.createTun(options as never).catch((e: unknown) => e);
      expect(err, JSON.stringify(options)).toBeInstanceOf(ValidationError);
      expect((err as ValidationError).field).toBe(field);
    }
    expect(names(ns)).toEqual(before);
  });

  it('is deleted like any link', async () => {
    await links.createTun({ name: 'tap-del', mode: 'tap' });
    await links.delete('tap-del');
    expect(ipOne(ns, 'tap-del')).toBeUndefined();
  });
});
