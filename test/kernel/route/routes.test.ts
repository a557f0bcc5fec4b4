import { expect, it } from 'vitest';
import { NetlinkError } from '../../../src/netlink/errors.js';
import { Routes, type Route } from '../../../src/route/routes.js';
import { describeKernel, guardThreadNetns } from '../sandbox.js';
import { useNamespace, VETH_UP } from './route-sandbox.js';

interface IpRoute {
  type: string;
  dst: string;
  gateway?: string;
  dev?: string;
  table?: string;
  protocol: string;
  scope: string;
  metric?: number;
  prefsrc?: string;
  flags: string[];
  nexthops?: { gateway: string; dev: string; weight: number }[];
  metrics?: Record<string, number>[];
}

describeKernel('routes against the kernel, checked with ip -j route', () => {
  guardThreadNetns();
  const ns = useNamespace([
    ...VETH_UP,
    ['addr', 'add', '192.168.15.1/24', 'dev', 'v0'],
    ['addr', 'add', '2001:db8::1/64', 'dev', 'v0', 'nodad'],
  ]);
  const routes = () => new Routes(ns.conn);
  const ipRoutes = (...filter: string[]): IpRoute[] => ns.ipJson('-d', 'route', 'show', ...filter);
  const ipRoute = (dst: string, ...filter: string[]) => ipRoutes('table', 'all', ...filter).find((r) => r.dst === dst);

  it('default via a gateway', async () => {
    await routes().add({ to: 'default', via: '192.168.15.2' });
    expect(ns.ipJson<IpRoute[]>('-4', '-d', 'route', 'show', 'default')[0]).toMatchObject({ dst: 'default', gateway: '192.168.15.2', dev: 'v0', protocol: 'boot' });
  });

  it('a prefix on a device (scope link), and a route with metric in table 100', async () => {
    await routes().add({ to: '10.10.0.0/16', dev: 'v0' });
    expect(ipRoute('10.10.0.0/16')).toMatchObject({ dev: 'v0', scope: 'link', table: 'main' });
    await routes().add({ to: '10.40.0.0/16', via: '192.168.15.2', metric: 100, table: 100 });
    expect(ipRoute('10.40.0.0/16')).toMatchObject({ gateway: '192.168.15.2', metric: 100, table: '100' });
    await routes().add({ to: '10.41.0.0/16', via: '192.168.15.2', table: 1000 });
    expect(ipRoute('10.41.0.0/16')).toMatchObject({ table: '1000' });
  });

  it('blackhole, unreachable and prohibit routes', async () => {
    for (const [to, type] of [['10.20.0.0/16', 'blackhole'], ['10.30.0.0/16', 'unreachable'], ['10.31.0.0/16', 'prohibit']] as const) {
      await routes().add({ to, type });
      expect(ipRoute(to)).toMatchObject({ type, protocol: 'boot' });
    }
  });

  it('multipath with weights, and metrics (mtu locked, advmss)', async () => {
    await routes().add({ to: '10.50.0.0/16', nexthops: [{ via: '192.168.15.2', dev: 'v0', weight: 2 }, { via: '192.168.15.3', dev: 'v0' }] });
    expect(ipRoute('10.50.0.0/16')!.nexthops).toEqual([
      expect.objectContaining({ gateway: '192.168.15.2', dev: 'v0', weight: 2 }),
      expect.objectContaining({ gateway: '192.168.15.3', dev: 'v0', weight: 1 }),
    ]);
    await routes().add({ to: '10.60.0.0/16', via: '192.168.15.2', metrics: { mtu: 1400, advmss: 1360, lock: ['mtu'] } });
    expect(ipRoute('10.60.0.0/16')!.metrics).toEqual([{ mtu: 1400, advmss: 1360 }]);
    expect(ns.ip('route', 'show', '10.60.0.0/16')).toContain('mtu lock 1400');
  });

  it('IPv6: a prefix via a gateway, and a local route', async () => {
    await routes().add({ to: '2001:db8:1::/48', via: '2001:db8::2', dev: 'v0', metric: 77 });
    expect(ns.ipJson<IpRoute[]>('-6', 'route', 'show', '2001:db8:1::/48')[0]).toMatchObject({ gateway: '2001:db8::2', dev: 'v0', metric: 77 });
    await routes().add({ to: '10.70.0.1', type: 'local', dev: 'v0', table: 'local' });
    expect(ipRoute('10.70.0.1')).toMatchObject({ type: 'local', scope: 'host', table: 'local' });
  });

  it('replace changes the gateway; delete removes the route', async () => {
    await routes().replace({ to: '10.10.0.0/16', via: '192.168.15.3' });
    expect(ipRoute('10.10.0.0/16')).toMatchObject({ gateway: '192.168.15.3' });
    await routes().delete({ to: '10.10.0.0/16' });
    expect(ipRoute('10.10.0.0/16')).toBeUndefined();
    const err = await routes().delete({ to: '10.10.0.0/16' }).catch((e: unknown) => e);
    expect((err as NetlinkError).code).toBe('ESRCH');
  });

  it('list(table main) agrees with ip -j route show, route for route', async () => {
    const names = new Map(ns.ipJson<{ ifindex: number; ifname: string }[]>('link').map((l) => [l.ifindex, l.ifname]));
    const view = (r: Route) => ({
      type: r.type,
      dst: r.to,
      gateway: r.via,
      dev: r.ifindex === undefined ? undefined : names.get(r.ifindex),
      protocol: r.protocol,
      scope: r.scope,
      metric: r.metric,
      prefsrc: r.src,
      nexthops: r.nexthops?.map((nh) => ({ gateway: nh.via, dev: names.get(nh.ifindex), weight: nh.weight })),
    });
    const strip = (r: IpRoute) => ({
      type: r.type, dst: r.dst, gateway: r.gateway, dev: r.dev, protocol: r.protocol, scope: r.scope, metric: r.metric, prefsrc: r.prefsrc,
      nexthops: r.nexthops?.map((nh) => ({ gateway: nh.gateway, dev: nh.dev, weight: nh.weight })),
    });
    const ours = (await routes().list({ table: 'main' })).map(view);
    const theirs = [...ipRoutes(), ...ns.ipJson<IpRoute[]>('-6', '-d', 'route', 'show')].map(strip);
    const sortKey = (r: { dst: string; metric?: number | undefined }) => `${r.dst} ${r.metric ?? 0}`;
    expect(JSON.parse(JSON.stringify(ours.sort((a, b) => sortKey(a).localeCompare(sortKey(b)))))).toEqual(
      JSON.parse(JSON.stringify(theirs.sort((a, b) => sortKey(a).localeCompare(sortKey(b))))),
    );
  });

  it('list filters in the kernel: table, device, protocol, type, family', async () => {
    expect((await routes().list({ table: 1000 })).map((r) => r.to)).toEqual(['10.41.0.0/16']);
    const kernelRoutes = await routes().list({ protocol: 'kernel', family: 'inet' });
    expect(kernelRoutes.length).toBeGreaterThan(0);
    expect(kernelRoutes.every((r) => r.protocol === 'kernel' && r.family === 'inet')).toBe(true);
    expect((await routes().list({ type: 'blackhole' })).map((r) => r.to)).toEqual(['10.20.0.0/16']);
    const onV1 = await routes().list({ dev: 'v1' });
    expect(onV1.every((r) => r.ifindex === ns.ifindex('v1'))).toBe(true);
    expect((await routes().list({ table: 'all' })).length).toBe(ipRoutes('table', 'all').length);
  });

  it('get agrees with ip route get', async () => {
    for (const address of ['10.50.0.9', '192.168.15.77', '2001:db8:1::5', '8.8.8.8']) {
      const ours = await routes().get(address);
      const theirs = ns.ipJson<IpRoute[]>('route', 'get', address)[0]!;
      expect(ours.to).toBe(theirs.dst);
      expect(ours.via).toBe(theirs.gateway);
      expect(ours.ifindex).toBe(ns.ifindex(theirs.dev!));
      expect(ours.src).toBe(theirs.prefsrc);
    }
    const unreachable = await routes().get('10.30.1.1').catch((e: unknown) => e);
    expect((unreachable as NetlinkError).code).toBe('EHOSTUNREACH');
  });
});
