import { describe, expect, it } from 'vitest';
import { Connection } from '../../../src/netlink/connection.js';
import { NlmFlags } from '../../../src/netlink/constants.js';
import { ValidationError } from '../../../src/netlink/errors.js';
import { FakeKernel } from '../../../src/netlink/testing/fake-kernel.js';
import { RtmType } from '../../../src/netlink/route/constants.js';
import { routeMessage } from '../../../src/netlink/route/route.js';
import { Routes, type RouteInput } from '../../../src/route/routes.js';
import { rows } from '../../helpers/hex.js';
import { captured, capturedAll } from './fixture-messages.js';

const { RTM_NEWROUTE, RTM_DELROUTE, RTM_GETROUTE } = RtmType;
const WRITE = NlmFlags.NLM_F_REQUEST | NlmFlags.NLM_F_ACK;
const CREATE_EXCL = NlmFlags.NLM_F_CREATE | NlmFlags.NLM_F_EXCL;

function setup(handler?: ConstructorParameters<typeof FakeKernel>[0]) {
  const kernel = new FakeKernel(handler);
  return { kernel, routes: new Routes(new Connection(kernel, { timeoutMs: 2000 })) };
}

const sentOfType = (kernel: FakeKernel, type: number) => kernel.received.filter((m) => m.type === type);

describe('routes: requests match what ip sends, byte for byte', () => {
  // The captures ran with v0 as ifindex 3.
  const cases: Array<[fixture: string, method: 'add' | 'replace' | 'delete', input: RouteInput, flags: number, type: number]> = [
    ['route-add-default-via', 'add', { to: 'default', via: '192.168.15.2' }, CREATE_EXCL, RTM_NEWROUTE],
    ['route-add-prefix-dev', 'add', { to: '10.10.0.0/16', dev: 3 }, CREATE_EXCL, RTM_NEWROUTE],
    ['route-add-blackhole', 'add', { to: '10.20.0.0/16', type: 'blackhole' }, CREATE_EXCL, RTM_NEWROUTE],
    ['route-add-unreachable', 'add', { to: '10.30.0.0/16', type: 'unreachable' }, CREATE_EXCL, RTM_NEWROUTE],
    ['route-add-prohibit', 'add', { to: '10.31.0.0/16', type: 'prohibit' }, CREATE_EXCL, RTM_NEWROUTE],
    ['route-add-metric-table', 'add', { to: '10.40.0.0/16', via: '192.168.15.2', metric: 100, table: 100 }, CREATE_EXCL, RTM_NEWROUTE],
    ['route-add-table-large', 'add', { to: '10.41.0.0/16', via: '192.168.15.2', table: 1000 }, CREATE_EXCL, RTM_NEWROUTE],
    [
      'route-add-multipath', 'add',
      { to: '10.50.0.0/16', nexthops: [{ via: '192.168.15.2', dev: 3, weight: 2 }, { via: '192.168.15.3', dev: 3, weight: 1 }] },
      CREATE_EXCL, RTM_NEWROUTE,
    ],
    ['route-add-metrics', 'add', { to: '10.60.0.0/16', via: '192.168.15.2', metrics: { mtu: 1400, advmss: 1360, lock: ['mtu'] } }, CREATE_EXCL, RTM_NEWROUTE],
    ['route-add-v6', 'add', { to: '2001:db8:1::/48', via: '2001:db8::2', dev: 3 }, CREATE_EXCL, RTM_NEWROUTE],
    ['route-replace', 'replace', { to: '10.10.0.0/16', via: '192.168.15.3' }, NlmFlags.NLM_F_CREATE | NlmFlags.NLM_F_REPLACE, RTM_NEWROUTE],
    ['route-del', 'delete', { to: '10.10.0.0/16' }, 0, RTM_DELROUTE],
  ];
  for (const [fixture, method, input, flags, type] of cases) {
    it(`${method} ${JSON.stringify(input)} = ${fixture}`, async () => {
      const { kernel, routes } = setup();
      await routes[method](input);
      const [sent] = sentOfType(kernel, type);
      const ip = captured(fixture, type);
      expect(rows(sent!.payload)).toBe(rows(ip.payload));
      expect(sent!.flags).toBe(WRITE | flags);
      expect(ip.flags).toBe(WRITE | flags);
    });
  }

  it('get = ip route get (RTM_F_LOOKUP_TABLE, RTA_DST) and returns the typed answer', async () => {
    const answer = captured('route-get', RTM_NEWROUTE, 'reply');
    const { kernel, routes } = setup((m, k) => [k.reply(m, RTM_NEWROUTE, answer.payload), k.ack(m)]);
    const route = await routes.get('192.168.15.7');
    expect(rows(sentOfType(kernel, RTM_GETROUTE)[0]!.payload)).toBe(rows(captured('route-get', RTM_GETROUTE).payload));
    expect(route).toMatchObject({ family: 'inet', to: '192.168.15.7', table: 254, type: 'unicast', ifindex: 3, src: '192.168.15.1', flags: ['cloned'] });
  });

  it('get of an IPv6 address = ip -6 route get (no RTM_F_LOOKUP_TABLE, which IPv6 refuses)', async () => {
    const answer = captured('route-get-v6', RTM_NEWROUTE, 'reply');
    const { kernel, routes } = setup((m, k) => [k.reply(m, RTM_NEWROUTE, answer.payload), k.ack(m)]);
    const route = await routes.get('2001:db8::7');
    expect(rows(sentOfType(kernel, RTM_GETROUTE)[0]!.payload)).toBe(rows(captured('route-get-v6', RTM_GETROUTE).payload));
    expect(route).toMatchObject({ family: 'inet6', to: '2001:db8::7', ifindex: 3 });
  });
});

describe('routes: the typed Route', () => {
  const dump = capturedAll('route-show', RTM_NEWROUTE);

  it('decodes ip -j route show replies: default, blackhole, multipath, connected', async () => {
    const { kernel, routes } = setup((m, k) => [...dump.map((r) => k.part(m, RTM_NEWROUTE, r.payload)), k.done(m)]);
    const list = await routes.list({ table: 'main' });
    const byTo = new Map(list.map((r) => [r.to, r]));
    expect(byTo.get('default')).toMatchObject({ via: '192.168.15.2', ifindex: 3, protocol: 'boot', scope: 'global', type: 'unicast', table: 254 });
    expect(byTo.get('10.20.0.0/16')).toMatchObject({ type: 'blackhole', protocol: 'boot' });
    expect(byTo.get('10.20.0.0/16')!.ifindex).toBeUndefined();
    expect(byTo.get('10.50.0.0/16')!.nexthops).toEqual([
      { via: '192.168.15.2', ifindex: 3, weight: 2, flags: [] },
      { via: '192.168.15.3', ifindex: 3, weight: 1, flags: [] },
    ]);
    expect(byTo.get('192.168.15.0/24')).toMatchObject({ protocol: 'kernel', scope: 'link', src: '192.168.15.1', ifindex: 3 });
    // The dump asked the kernel for table main only.
    const request = routeMessage.decode(sentOfType(kernel, RTM_GETROUTE)[0]!.payload, 16);
    expect(request.header.table).toBe(254);
    expect(request.attributes).toEqual({});
  });

  it('metrics locks come back as names; table ids above 255 are asked for with RTA_TABLE', async () => {
    const metrics = captured('route-add-metrics', RTM_NEWROUTE);
    const { kernel, routes } = setup((m, k) => [k.part(m, RTM_NEWROUTE, metrics.payload), k.done(m)]);
    const [route] = await routes.list({ table: 'main', family: 'inet', protocol: 'boot', type: 'unicast' });
    expect(route!.metrics).toEqual({ mtu: 1400, advmss: 1360, lock: ['mtu'] });
    await routes.list({ table: 1000 }).catch(() => undefined);
    const request = routeMessage.decode(sentOfType(kernel, RTM_GETROUTE)[1]!.payload, 16);
    expect(request.header.table).toBe(0);
    expect(request.attributes.table).toBe(1000);
  });

  it('filters again locally when the kernel ignores the dump filter (no strict checking)', async () => {
    const all = capturedAll('route-show-table-all', RTM_NEWROUTE);
    const { routes } = setup((m, k) => [...all.map((r) => k.part(m, RTM_NEWROUTE, r.payload)), k.done(m)]);
    const local = await routes.list({ table: 'local', family: 'inet6' });
    expect(local.length).toBeGreaterThan(0);
    expect(local.every((r) => r.table === 255 && r.family === 'inet6')).toBe(true);
    expect(local.map((r) => r.type)).toContain('multicast');
    expect(local.every((r) => r.pref === 'medium')).toBe(true);
  });
});

describe('routes: bad input is a ValidationError naming the field, and nothing is sent', () => {
  const bad: Array<[string, unknown, string]> = [
    ['three-octet destination', { to: '10.0.0' }, 'to'],
    ['octal-looking octet', { to: '010.0.0.0/8' }, 'to'],
    ['prefix /33', { to: '10.0.0.0/33' }, 'to'],
    ['host bits set', { to: '10.0.0.1/8' }, 'to'],
    ['gateway of the other family', { to: '10.0.0.0/8', via: '2001:db8::1' }, 'via'],
    ['src of the other family', { to: '2001:db8::/32', src: '10.0.0.1' }, 'src'],
    ['family says v6, destination is v4', { to: '10.0.0.0/8', family: 'inet6' }, 'to'],
    ['table 0', { to: '10.0.0.0/8', table: 0 }, 'table'],
    ['table 2^32', { to: '10.0.0.0/8', table: 2 ** 32 }, 'table'],
    ['unknown table name', { to: '10.0.0.0/8', table: 'mine' }, 'table'],
    ['negative metric', { to: '10.0.0.0/8', metric: -1 }, 'metric'],
    ['fractional metric', { to: '10.0.0.0/8', metric: 1.5 }, 'metric'],
    ['unknown type', { to: '10.0.0.0/8', type: 'wormhole' }, 'type'],
    ['blackhole with a gateway', { to: '10.0.0.0/8', type: 'blackhole', via: '10.1.1.1' }, 'type'],
    ['unreachable with a device', { to: '10.0.0.0/8', type: 'unreachable', dev: 3 }, 'type'],
    ['weight 0', { to: '10.0.0.0/8', nexthops: [{ via: '10.1.1.1', weight: 0 }] }, 'nexthops[0].weight'],
    ['weight 257', { to: '10.0.0.0/8', nexthops: [{ via: '10.1.1.1', weight: 257 }] }, 'nexthops[0].weight'],
    ['next hop of the other family', { to: '10.0.0.0/8', nexthops: [{ via: '10.1.1.1' }, { via: 'fe80::1', dev: 3 }] }, 'nexthops[1].via'],
    ['empty next hop', { to: '10.0.0.0/8', nexthops: [{}] }, 'nexthops[0]'],
    ['via and nexthops', { to: '10.0.0.0/8', via: '10.1.1.1', nexthops: [{ via: '10.1.1.2' }] }, 'nexthops'],
    ['unknown metric', { to: '10.0.0.0/8', metrics: { speed: 1 } }, 'metrics.speed'],
    ['lock of an unknown metric', { to: '10.0.0.0/8', metrics: { lock: ['speed'] } }, 'metrics.lock'],
    ['pref on IPv4', { to: '10.0.0.0/8', pref: 'high' }, 'pref'],
    ['bad protocol', { to: '10.0.0.0/8', protocol: 300 }, 'protocol'],
    ['bad device name', { to: '10.0.0.0/8', dev: 'bad name' }, 'dev'],
  ];
  for (const [what, input, field] of bad) {
    it(what, async () => {
      const { kernel, routes } = setup();
      const err = await routes.add(input as RouteInput).catch((e: unknown) => e);
      expect(err).toBeInstanceOf(ValidationError);
      expect((err as ValidationError).field).toBe(field);
      expect(kernel.sent).toHaveLength(0);
    });
  }

  it('get and list check their input', async () => {
    const { kernel, routes } = setup();
    await expect(routes.get('10.0.0.256')).rejects.toMatchObject({ field: 'address' });
    await expect(routes.get('10.0.0.1', { from: '::1' })).rejects.toMatchObject({ field: 'from' });
    await expect(routes.list({ table: -1 })).rejects.toMatchObject({ field: 'table' });
    await expect(routes.list({ type: 'nope' as never })).rejects.toMatchObject({ field: 'type' });
    expect(kernel.sent).toHaveLength(0);
  });
});

describe('routes: defaults', () => {
  const header = async (input: RouteInput, method: 'add' | 'delete' = 'add') => {
    const { kernel, routes } = setup();
    await routes[method](input);
    return routeMessage.decode(kernel.received.at(-1)!.payload, 16);
  };

  it('a default route alone is IPv4; family inet6 makes it IPv6', async () => {
    expect((await header({ to: 'default', dev: 3 })).header.family).toBe(2);
    expect((await header({ to: 'default', dev: 3, family: 'inet6' })).header.family).toBe(10);
    expect((await header({ to: 'default', via: 'fe80::1', dev: 3 })).header.family).toBe(10);
  });

  it('local routes get host scope, device routes link scope, deletes match any scope', async () => {
    expect((await header({ to: '10.9.9.9', type: 'local', dev: 3, table: 'local' })).header).toMatchObject({ scope: 254, type: 2, table: 255, dstLen: 32 });
    expect((await header({ to: '10.9.0.0/16', dev: 3 })).header.scope).toBe(253);
    expect((await header({ to: '10.9.0.0/16', via: '10.1.1.1', metric: 7 }, 'delete')).header).toMatchObject({ scope: 255, protocol: 0, type: 0 });
  });

  it('onlink and protocol names', async () => {
    const m = await header({ to: '10.9.0.0/16', via: '10.1.1.1', dev: 3, onlink: true, protocol: 'static' });
    expect(m.header).toMatchObject({ flags: 4, protocol: 4 });
  });
});
