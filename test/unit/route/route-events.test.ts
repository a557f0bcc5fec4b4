import { describe, expect, it } from 'vitest';
import { Connection } from '../../../src/netlink/connection.js';
import { encodeMessage } from '../../../src/netlink/message.js';
import { FakeKernel } from '../../../src/netlink/testing/fake-kernel.js';
import { RtmType, RtnlGroup } from '../../../src/netlink/route/constants.js';
import { ValidationError } from '../../../src/netlink/errors.js';
import { routeEvents, routeEventGroups, type RouteEvent } from '../../../src/route/events.js';
import { captured, capturedAll } from './fixture-messages.js';

const { RTM_NEWADDR, RTM_DELADDR, RTM_NEWROUTE, RTM_NEWNEIGH, RTM_GETADDR, RTM_GETROUTE } = RtmType;

/** A notification as the kernel multicasts it: seq 0, pid 0, to a group. */
function notification(type: number, payload: Uint8Array): Uint8Array {
  return encodeMessage({ type, flags: 0, seq: 0, pid: 0 }, payload);
}

async function take(stream: AsyncIterator<RouteEvent>, n: number): Promise<RouteEvent[]> {
  const out: RouteEvent[] = [];
  while (out.length < n) {
    const r = await stream.next();
    if (r.done) break;
    out.push(r.value);
  }
  return out;
}

const address = captured('addr-add-broadcast-label', RTM_NEWADDR).payload;
const route = captured('route-add-default-via', RTM_NEWROUTE).payload;

describe('route events', () => {
  it('joins the groups of the kinds asked for', () => {
    const kernel = new FakeKernel();
    const stream = routeEvents(new Connection(kernel), { kinds: ['address', 'route'], families: [4] });
    expect([...kernel.memberships].sort((a, b) => a - b)).toEqual([RtnlGroup.RTNLGRP_IPV4_IFADDR, RtnlGroup.RTNLGRP_IPV4_ROUTE]);
    stream.close();
    expect(routeEventGroups(['link', 'neighbour', 'nsid', 'netconf'], [4, 6])).toEqual([
      RtnlGroup.RTNLGRP_LINK, RtnlGroup.RTNLGRP_NEIGH, RtnlGroup.RTNLGRP_IPV4_NETCONF, RtnlGroup.RTNLGRP_IPV6_NETCONF, RtnlGroup.RTNLGRP_NSID,
    ]);
    expect(() => routeEvents(new Connection(new FakeKernel()), { kinds: ['tc' as never] })).toThrow(ValidationError);
  });

  it('decodes notifications into typed new/del events and skips kinds not asked for', async () => {
    const kernel = new FakeKernel();
    const stream = routeEvents(new Connection(kernel), { kinds: ['address'] });
    kernel.inject(notification(RTM_NEWROUTE, route), { groups: RtnlGroup.RTNLGRP_IPV4_ROUTE });
    kernel.inject(notification(RTM_NEWADDR, address), { groups: RtnlGroup.RTNLGRP_IPV4_IFADDR });
    kernel.inject(notification(RTM_DELADDR, address), { groups: RtnlGroup.RTNLGRP_IPV4_IFADDR });
    const events = await take(stream, 2);
    expect(events.map((e) => [e.kind, 'action' in e ? e.action : undefined])).toEqual([['address', 'new'], ['address', 'del']]);
    expect(events[0]).toMatchObject({ object: { address: '192.168.15.1', prefixLength: 24, label: 'v0:web', broadcast: '192.168.15.255' } });
    stream.close();
    expect((await stream.next()).done).toBe(true);
  });

  it('a notification that does not decode is an error event; the stream goes on', async () => {
    const kernel = new FakeKernel();
    const stream = routeEvents(new Connection(kernel), { kinds: ['route'] });
    kernel.inject(notification(RTM_NEWROUTE, new Uint8Array([2, 0, 0])), { groups: RtnlGroup.RTNLGRP_IPV4_ROUTE });
    kernel.inject(notification(RTM_NEWROUTE, route), { groups: RtnlGroup.RTNLGRP_IPV4_ROUTE });
    const [bad, good] = await take(stream, 2);
    expect(bad!.kind).toBe('error');
    expect(good).toMatchObject({ kind: 'route', action: 'new', object: { to: 'default', via: '192.168.15.2' } });
    stream.close();
  });

  it('on overrun: an overrun event, then a resync snapshot dumped on the resync connection, then the queued events', async () => {
    const kernel = new FakeKernel();
    const dumps: number[] = [];
    const resyncKernel = new FakeKernel((m, k) => {
      dumps.push(m.type);
      if (m.type === RTM_GETADDR) return [k.part(m, RTM_NEWADDR, address), k.done(m)];
      if (m.type === RTM_GETROUTE) return [...capturedAll('route-show', RTM_NEWROUTE).map((r) => k.part(m, RTM_NEWROUTE, r.payload)), k.done(m)];
      return k.done(m);
    });
    const stream = routeEvents(new Connection(kernel), { kinds: ['address', 'route'], resync: new Connection(resyncKernel) });
    kernel.overrun();
    await new Promise((r) => setImmediate(r));
    kernel.inject(notification(RTM_DELADDR, address), { groups: RtnlGroup.RTNLGRP_IPV4_IFADDR });
    const [overrun, resync, after] = await take(stream, 3);
    expect(overrun).toEqual({ kind: 'overrun' });
    expect(resync!.kind).toBe('resync');
    const snapshot = (resync as Extract<RouteEvent, { kind: 'resync' }>).snapshot;
    expect((resync as Extract<RouteEvent, { kind: 'resync' }>).reason).toBe('overrun');
    expect(snapshot.addresses!.map((a) => a.address)).toEqual(['192.168.15.1']);
    expect(snapshot.routes!.map((r) => r.to)).toContain('default');
    expect(snapshot.links).toBeUndefined();
    expect(dumps).toEqual([RTM_GETADDR, RTM_GETROUTE]);
    expect(after).toMatchObject({ kind: 'address', action: 'del' });
    stream.close();
  });

  it('initialSnapshot starts the stream with the current state; without a resync connection an overrun is only reported', async () => {
    const resyncKernel = new FakeKernel((m, k) => (m.type === RTM_GETADDR ? [k.part(m, RTM_NEWADDR, address), k.done(m)] : k.done(m)));
    const a = routeEvents(new Connection(new FakeKernel()), { kinds: ['address'], resync: new Connection(resyncKernel), initialSnapshot: true });
    const [first] = await take(a, 1);
    expect(first).toMatchObject({ kind: 'resync', reason: 'initial', snapshot: { addresses: [{ address: '192.168.15.1' }] } });
    a.close();

    const kernel = new FakeKernel();
    const b = routeEvents(new Connection(kernel), { kinds: ['neighbour'] });
    kernel.overrun();
    await new Promise((r) => setImmediate(r));
    kernel.inject(notification(RTM_NEWNEIGH, captured('neigh-add', RTM_NEWNEIGH).payload), { groups: RtnlGroup.RTNLGRP_NEIGH });
    const [o, n] = await take(b, 2);
    expect(o).toEqual({ kind: 'overrun' });
    expect(n).toMatchObject({ kind: 'neighbour', action: 'new', object: { address: '192.168.15.9', state: ['permanent'] } });
    b.close();
  });

  it('a failed resync dump is an error event, not the end of the stream', async () => {
    const kernel = new FakeKernel();
    const resyncKernel = new FakeKernel((m, k) => k.error(m, 16));
    const stream = routeEvents(new Connection(kernel), { kinds: ['address'], resync: new Connection(resyncKernel, { dumpRetries: 0 }) });
    kernel.overrun();
    const [, failed] = await take(stream, 2);
    expect(failed!.kind).toBe('error');
    kernel.inject(notification(RTM_NEWADDR, address), { groups: RtnlGroup.RTNLGRP_IPV4_IFADDR });
    expect((await take(stream, 1))[0]).toMatchObject({ kind: 'address' });
    stream.close();
  });
});
