import { expect, it } from 'vitest';
import { NetlinkError } from '../../../src/netlink/errors.js';
import { Neighbours } from '../../../src/route/neighbours.js';
import { describeKernel, guardThreadNetns } from '../sandbox.js';
import { useNamespace, VETH_UP } from './route-sandbox.js';

interface IpNeigh {
  dst: string;
  dev: string;
  lladdr?: string;
  state: string[];
  router?: null;
  proxy?: null;
}

describeKernel('neighbours against the kernel, checked with ip -j neigh', () => {
  guardThreadNetns();
  const ns = useNamespace([
    ...VETH_UP,
    ['addr', 'add', '192.168.15.1/24', 'dev', 'v0'],
    ['addr', 'add', '2001:db8::1/64', 'dev', 'v0', 'nodad'],
  ]);
  const neighbours = () => new Neighbours(ns.conn);
  const ipNeigh = (dst: string): IpNeigh | undefined => ns.ipJson<IpNeigh[]>('neigh', 'show').find((n) => n.dst === dst);

  it('add: permanent (the default), stale, and IPv6 entries', async () => {
    await neighbours().add({ dev: 'v0', address: '192.168.15.9', lladdr: '02:00:00:00:00:09' });
    expect(ipNeigh('192.168.15.9')).toMatchObject({ dev: 'v0', lladdr: '02:00:00:00:00:09', state: ['PERMANENT'] });
    await neighbours().add({ dev: 'v0', address: '192.168.15.11', lladdr: '02:00:00:00:00:0b', state: 'stale' });
    expect(ipNeigh('192.168.15.11')).toMatchObject({ state: ['STALE'] });
    await neighbours().add({ dev: 'v0', address: '2001:db8::9', lladdr: '02:00:00:00:00:09', router: true });
    expect(ipNeigh('2001:db8::9')).toMatchObject({ state: ['PERMANENT'], router: null });
  });

  it('add twice is EEXIST; change and replace update the entry', async () => {
    const err = await neighbours().add({ dev: 'v0', address: '192.168.15.9', lladdr: '02:00:00:00:00:09' }).catch((e: unknown) => e);
    expect((err as NetlinkError).code).toBe('EEXIST');
    await neighbours().change({ dev: 'v0', address: '192.168.15.9', lladdr: '02:00:00:00:00:0a', state: 'reachable' });
    expect(ipNeigh('192.168.15.9')).toMatchObject({ lladdr: '02:00:00:00:00:0a', state: ['REACHABLE'] });
    await neighbours().replace({ dev: 'v0', address: '192.168.15.12', lladdr: '02:00:00:00:00:0c', state: 'stale' });
    expect(ipNeigh('192.168.15.12')).toMatchObject({ state: ['STALE'] });
    const missing = await neighbours().change({ dev: 'v0', address: '192.168.15.99', lladdr: '02:00:00:00:00:99' }).catch((e: unknown) => e);
    expect((missing as NetlinkError).code).toBe('ENOENT');
  });

  it('proxy entries (ip neigh show proxy)', async () => {
    await neighbours().add({ dev: 'v0', address: '192.168.15.10', proxy: true });
    expect(ns.ipJson<IpNeigh[]>('neigh', 'show', 'proxy').map((n) => n.dst)).toContain('192.168.15.10');
    expect((await neighbours().list({ proxy: true })).map((n) => n.address)).toEqual(['192.168.15.10']);
    await neighbours().delete({ dev: 'v0', address: '192.168.15.10', proxy: true });
    expect(ns.ipJson<IpNeigh[]>('neigh', 'show', 'proxy')).toEqual([]);
  });

  it('list agrees with ip -j neigh show (the tutorial arp table): addresses, devices, lladdrs, states', async () => {
    const names = new Map(ns.ipJson<{ ifindex: number; ifname: string }[]>('link').map((l) => [l.ifindex, l.ifname]));
    // IPv6 multicast entries (ff02::…, NOARP) come and go with MLD on the kernel's own timing,
    // so only the unicast entries are compared; they are all ours.
    const unicast = (dst: string) => !dst.startsWith('ff');
    const ours = (await neighbours().list())
      .filter((n) => unicast(n.address))
      .map((n) => ({ dst: n.address, dev: names.get(n.ifindex), lladdr: n.lladdr, state: n.state.map((s) => String(s).toUpperCase()) }))
      .sort((a, b) => a.dst.localeCompare(b.dst));
    // `nud all`: by default ip hides NOARP entries, which the kernel does report.
    const theirs = ns.ipJson<IpNeigh[]>('neigh', 'show', 'nud', 'all')
      .filter((n) => unicast(n.dst))
      .map((n) => ({ dst: n.dst, dev: n.dev, lladdr: n.lladdr, state: n.state }))
      .sort((a, b) => a.dst.localeCompare(b.dst));
    expect(theirs.length).toBeGreaterThanOrEqual(4);
    expect(JSON.parse(JSON.stringify(ours))).toEqual(theirs);
    expect((await neighbours().list({ dev: 'v1' })).every((n) => n.ifindex === ns.ifindex('v1'))).toBe(true);
    expect((await neighbours().list({ family: 'inet6' })).every((n) => n.family === 'inet6')).toBe(true);
  });

  it('delete, then flush (which keeps permanent entries, as ip neigh flush)', async () => {
    await neighbours().delete({ dev: 'v0', address: '2001:db8::9' });
    expect(ipNeigh('2001:db8::9')).toBeUndefined();
    await neighbours().add({ dev: 'v0', address: '192.168.15.20', lladdr: '02:00:00:00:00:20' });
    const flushed = await neighbours().flush({ dev: 'v0', family: 'inet' });
    expect(flushed).toBeGreaterThanOrEqual(2);
    const left = ns.ipJson<IpNeigh[]>('-4', 'neigh', 'show', 'dev', 'v0');
    expect(left.map((n) => n.dst)).toEqual(['192.168.15.20']);
    expect(await neighbours().flush({ dev: 'v0', family: 'inet', states: ['permanent'] })).toBe(1);
    expect(ns.ipJson<IpNeigh[]>('-4', 'neigh', 'show', 'dev', 'v0')).toEqual([]);
  });
});
