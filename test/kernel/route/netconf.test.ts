import { expect, it } from 'vitest';
import { sysctlRead } from '../../../src/netns/sysctl.js';
import { Netconf, setForwarding, type NetconfEntry } from '../../../src/route/netconf.js';
import { describeKernel, guardThreadNetns } from '../sandbox.js';
import { useNamespace, VETH_UP } from './route-sandbox.js';

interface IpNetconf {
  family: string;
  interface: string;
  forwarding: boolean;
  rp_filter?: string;
  mc_forwarding: boolean;
  proxy_neigh: boolean;
  ignore_routes_with_linkdown: boolean;
}

describeKernel('netconf against the kernel, checked with ip -j netconf', () => {
  guardThreadNetns();
  const ns = useNamespace(VETH_UP);
  const netconf = () => new Netconf(ns.conn);

  it('list agrees with ip -j netconf show for every device, all and default', async () => {
    const names = new Map(ns.ipJson<{ ifindex: number; ifname: string }[]>('link').map((l) => [l.ifindex, l.ifname]));
    const name = (e: NetconfEntry) => (typeof e.ifindex === 'number' ? names.get(e.ifindex) : e.ifindex);
    const ours = (await netconf().list()).map((e) => ({
      family: e.family, interface: name(e), forwarding: e.forwarding, mc_forwarding: e.mcForwarding, proxy_neigh: e.proxyNeigh,
      ignore_routes_with_linkdown: e.ignoreRoutesWithLinkdown,
    }));
    const theirs = ns.ipJson<IpNetconf[]>('netconf', 'show').map((e) => ({
      family: e.family, interface: e.interface, forwarding: e.forwarding, mc_forwarding: e.mc_forwarding, proxy_neigh: e.proxy_neigh,
      ignore_routes_with_linkdown: e.ignore_routes_with_linkdown,
    }));
    const key = (e: { family: unknown; interface: unknown }) => `${String(e.family)} ${String(e.interface)}`;
    expect(ours.sort((a, b) => key(a).localeCompare(key(b)))).toEqual(theirs.sort((a, b) => key(a).localeCompare(key(b))));
  });

  it('setForwarding (the sysctl) turns forwarding on for one device; netconf and ip both see it', async () => {
    expect((await netconf().get('v0', 'inet')).forwarding).toBe(false);
    setForwarding(ns.name, 'v0', 'inet', true);
    expect(sysctlRead(ns.name, 'net/ipv4/conf/v0/forwarding')).toBe('1');
    expect((await netconf().get('v0', 'inet')).forwarding).toBe(true);
    // (ip 6.1 prints text for `-j netconf show dev`, so read the dump.)
    expect(ns.ipJson<IpNetconf[]>('netconf', 'show').find((e) => e.family === 'inet' && e.interface === 'v0')!.forwarding).toBe(true);
    expect((await netconf().get('v1', 'inet')).forwarding).toBe(false);
  });

  it('IPv6 and the all/default entries', async () => {
    setForwarding(ns.name, 'all', 'inet6', true);
    expect((await netconf().get('all', 'inet6')).forwarding).toBe(true);
    expect((await netconf().get('v1', 6)).forwarding).toBe(true);
    setForwarding(ns.name, 'all', 'inet6', false);
    expect((await netconf().get('all', 6)).forwarding).toBe(false);
    expect((await netconf().get('default', 4)).ifindex).toBe('default');
  });
});
