import { expect, it } from 'vitest';
import { NetlinkError } from '../../../src/netlink/errors.js';
import { Addresses } from '../../../src/route/addresses.js';
import { describeKernel, guardThreadNetns } from '../sandbox.js';
import { useNamespace, VETH_UP } from './route-sandbox.js';

interface IpAddrInfo {
  family: string;
  local: string;
  prefixlen: number;
  scope: string;
  label?: string;
  broadcast?: string;
  address?: string;
  valid_life_time: number;
  preferred_life_time: number;
  [flag: string]: unknown;
}

describeKernel('addresses against the kernel, checked with ip -j addr', () => {
  guardThreadNetns();
  const ns = useNamespace(VETH_UP);
  const addresses = () => new Addresses(ns.conn);
  const ipAddrs = (dev = 'v0'): IpAddrInfo[] => ns.ipJson<{ addr_info: IpAddrInfo[] }[]>('-d', 'addr', 'show', 'dev', dev)[0]!.addr_info;
  const find = (local: string, dev = 'v0') => ipAddrs(dev).find((a) => a.local === local);

  it('add: IPv4 with broadcast + and a label, as the tutorial (and ip) would', async () => {
    await addresses().add({ dev: 'v0', address: '192.168.15.1/24', broadcast: '+', label: 'v0:web' });
    expect(find('192.168.15.1')).toMatchObject({ family: 'inet', prefixlen: 24, broadcast: '192.168.15.255', label: 'v0:web', scope: 'global' });
  });

  it('add: no prefix length means /32 (the tutorial step)', async () => {
    await addresses().add({ dev: 'v1', address: '192.168.15.2' });
    expect(find('192.168.15.2', 'v1')).toMatchObject({ prefixlen: 32 });
  });

  it('add: IPv6 with nodad and noprefixroute (the latter only fits IFA_FLAGS)', async () => {
    await addresses().add({ dev: 'v0', address: '2001:db8::1/64', flags: ['nodad', 'noprefixroute'] });
    expect(find('2001:db8::1')).toMatchObject({ family: 'inet6', prefixlen: 64, nodad: true, noprefixroute: true });
  });

  it('add: lifetimes; replace changes them in place', async () => {
    await addresses().add({ dev: 'v0', address: '192.168.16.1/24', validLifetime: 300, preferredLifetime: 200 });
    expect(find('192.168.16.1')).toMatchObject({ valid_life_time: 300, preferred_life_time: 200 });
    await addresses().replace({ dev: 'v0', address: '192.168.16.1/24', validLifetime: 100, preferredLifetime: 50 });
    const after = find('192.168.16.1')!;
    expect(after.valid_life_time).toBeLessThanOrEqual(100);
    expect(after.valid_life_time).toBeGreaterThan(90);
    expect(after.preferred_life_time).toBeLessThanOrEqual(50);
  });

  it('add twice: the kernel says EEXIST, as a NetlinkError', async () => {
    const err = await addresses().add({ dev: 'v0', address: '192.168.15.1/24' }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(NetlinkError);
    expect((err as NetlinkError).code).toBe('EEXIST');
  });

  it('list agrees with ip -j addr show, for every address of every device', async () => {
    const ours = await addresses().list();
    const links = ns.ipJson<{ ifindex: number; addr_info: IpAddrInfo[] }[]>('addr', 'show');
    const theirs = links.flatMap((l) => l.addr_info.map((a) => ({ ifindex: l.ifindex, ...a })));
    const key = (ifindex: number, family: unknown, local: string, prefix: number) => `${ifindex} ${String(family)} ${local}/${prefix}`;
    expect(ours.map((a) => key(a.ifindex, a.family, a.address, a.prefixLength)).sort()).toEqual(theirs.map((a) => key(a.ifindex, a.family, a.local, a.prefixlen)).sort());
    for (const a of ours) {
      const t = theirs.find((x) => x.local === a.address && x.ifindex === a.ifindex)!;
      expect(a.scope).toBe(t.scope);
      expect(a.broadcast).toBe(t.broadcast);
      if (t.label !== undefined) expect(a.label).toBe(t.label);
      expect(a.validLifetime).toBe(t.valid_life_time);
      for (const flag of ['secondary', 'nodad', 'noprefixroute', 'deprecated', 'tentative']) {
        expect(a.flags.includes(flag as never), `${a.address} ${flag}`).toBe((t as Record<string, unknown>)[flag] === true);
      }
    }
  });

  it('list filters by device and family in the kernel', async () => {
    const v1 = await addresses().list({ dev: 'v1', family: 'inet' });
    expect(v1.map((a) => a.address)).toEqual(['192.168.15.2']);
    const v6 = await addresses().list({ family: 6 });
    expect(v6.length).toBeGreaterThan(0);
    expect(v6.every((a) => a.family === 'inet6')).toBe(true);
  });

  it('delete: the address is gone from ip', async () => {
    await addresses().delete({ dev: 'v1', address: '192.168.15.2/32' });
    expect(find('192.168.15.2', 'v1')).toBeUndefined();
  });

  it('flush: every address of the device goes (IPv6 link-local too), other devices keep theirs', async () => {
    await addresses().add({ dev: 'v1', address: '10.1.1.1/24' });
    const before = ipAddrs('v0').length;
    expect(before).toBeGreaterThan(2);
    expect(await addresses().flush({ dev: 'v0' })).toBe(before);
    expect(ipAddrs('v0')).toEqual([]);
    expect(find('10.1.1.1', 'v1')).toBeDefined();
  });
});
