/**
 * rtnetlink events (`ip monitor`): a connection joined to the RTNLGRP_* groups of the kinds
 * asked for, its notifications decoded into typed events.
 *
 * Resync path. The kernel drops notifications when the socket's receive buffer is full and
 * then reports ENOBUFS; a consumer that falls behind our own queue loses events the same way.
 * Either way the stream yields `{ kind: 'overrun' }`: the subscriber's view is stale. With a
 * resync connection (the default for {@link watchRoute}), the stream then dumps every
 * subscribed kind and yields `{ kind: 'resync', reason: 'overrun', snapshot }`. Events that
 * arrive during the dump wait in the queue and are yielded after the snapshot, so a
 * subscriber that replaces its state with the snapshot and applies the events that follow
 * converges on the kernel's state (an event may repeat what the snapshot already shows; both
 * `new` and `del` are idempotent when applied by identity).
 */
import type { Connection, RequestOptions } from '../netlink/connection.js';
import { NLMSG_HDRLEN } from '../netlink/constants.js';
import { DecodeError, ValidationError } from '../netlink/errors.js';
import type { EventStream } from '../netlink/event-stream.js';
import type { NetlinkMessage } from '../netlink/message.js';
import { bodyWriter, outgoingOf } from '../netlink/message.js';
import { addressMessage } from '../netlink/route/address.js';
import { AddressFamily, RtmType, RtnlGroup } from '../netlink/route/constants.js';
import { emptyIfInfoMsg } from '../netlink/route/link-header.js';
import { decodeLinkMessage, encodeLinkMessage, type LinkMessage } from '../netlink/route/link-messages.js';
import { neighbourMessage } from '../netlink/route/neighbour.js';
import { netconfMessage } from '../netlink/route/netconf.js';
import { nsidMessage } from '../netlink/route/nsid.js';
import { routeMessage } from '../netlink/route/route.js';
import { connectInNetns } from '../netns/connect.js';
import type { NetnsRef } from '../netns/handle.js';
import { Addresses, toAddress, type Address } from './addresses.js';
import { Neighbours, toNeighbour, type Neighbour } from './neighbours.js';
import { Netconf, toNetconfEntry, type NetconfEntry } from './netconf.js';
import { Nsids, type NsidEntry } from './nsids.js';
import { Routes, toRoute, type Route } from './routes.js';
import { familyNumber, isIpFamily, type FamilyInput } from './shared.js';

export type RouteEventKind = 'link' | 'address' | 'route' | 'neighbour' | 'nsid' | 'netconf';
export type RouteEventAction = 'new' | 'del';

/** A change the kernel announced. */
export type RouteObjectEvent =
  | { kind: 'link'; action: RouteEventAction; object: LinkMessage }
  | { kind: 'address'; action: RouteEventAction; object: Address }
  | { kind: 'route'; action: RouteEventAction; object: Route }
  | { kind: 'neighbour'; action: RouteEventAction; object: Neighbour }
  | { kind: 'nsid'; action: RouteEventAction; object: NsidEntry }
  | { kind: 'netconf'; action: RouteEventAction; object: NetconfEntry };

/** The full state of every subscribed kind, as dumped after subscribing. */
export interface RouteSnapshot {
  links?: LinkMessage[];
  addresses?: Address[];
  routes?: Route[];
  neighbours?: Neighbour[];
  nsids?: NsidEntry[];
  netconf?: NetconfEntry[];
}

export type RouteEvent =
  | RouteObjectEvent
  /** Events were lost: the view is stale (a `resync` follows when a resync connection is set). */
  | { kind: 'overrun' }
  | { kind: 'resync'; reason: 'initial' | 'overrun'; snapshot: RouteSnapshot }
  /** A notification that did not decode, a failed resync dump, or a socket error. */
  | { kind: 'error'; error: Error };

export interface RouteEventOptions {
  /** Default: link, address, route, neighbour and nsid. */
  kinds?: readonly RouteEventKind[];
  /** Default: both IPv4 and IPv6. */
  families?: readonly FamilyInput[];
  /** Where resync dumps run (a second connection in the same namespace); none: no resync. */
  resync?: Connection;
  /** Start with a `resync` event holding the current state (needs `resync`). */
  initialSnapshot?: boolean;
  /** Queue length after which the stream reports an overrun (default 100 000). */
  highWaterMark?: number;
  /** Options for the resync dumps. */
  requestOptions?: RequestOptions;
}

export interface RouteEventStream extends AsyncIterableIterator<RouteEvent> {
  /** Stop: ends the iteration and closes the connections this stream opened. */
  close(): void;
}

const DEFAULT_KINDS: readonly RouteEventKind[] = ['link', 'address', 'route', 'neighbour', 'nsid'];

/** Multicast groups per kind and IP version (undefined: not split by family). */
const GROUPS: Record<RouteEventKind, { 4?: number; 6?: number; any?: number }> = {
  link: { any: RtnlGroup.RTNLGRP_LINK },
  address: { 4: RtnlGroup.RTNLGRP_IPV4_IFADDR, 6: RtnlGroup.RTNLGRP_IPV6_IFADDR },
  route: { 4: RtnlGroup.RTNLGRP_IPV4_ROUTE, 6: RtnlGroup.RTNLGRP_IPV6_ROUTE },
  neighbour: { any: RtnlGroup.RTNLGRP_NEIGH },
  nsid: { any: RtnlGroup.RTNLGRP_NSID },
  netconf: { 4: RtnlGroup.RTNLGRP_IPV4_NETCONF, 6: RtnlGroup.RTNLGRP_IPV6_NETCONF },
};

/** Message type → the event it announces. */
const EVENT_TYPES = new Map<number, { kind: RouteEventKind; action: RouteEventAction }>([
  [RtmType.RTM_NEWLINK, { kind: 'link', action: 'new' }],
  [RtmType.RTM_DELLINK, { kind: 'link', action: 'del' }],
  [RtmType.RTM_NEWADDR, { kind: 'address', action: 'new' }],
  [RtmType.RTM_DELADDR, { kind: 'address', action: 'del' }],
  [RtmType.RTM_NEWROUTE, { kind: 'route', action: 'new' }],
  [RtmType.RTM_DELROUTE, { kind: 'route', action: 'del' }],
  [RtmType.RTM_NEWNEIGH, { kind: 'neighbour', action: 'new' }],
  [RtmType.RTM_DELNEIGH, { kind: 'neighbour', action: 'del' }],
  [RtmType.RTM_NEWNSID, { kind: 'nsid', action: 'new' }],
  [RtmType.RTM_DELNSID, { kind: 'nsid', action: 'del' }],
  [RtmType.RTM_NEWNETCONF, { kind: 'netconf', action: 'new' }],
  [RtmType.RTM_DELNETCONF, { kind: 'netconf', action: 'del' }],
]);

/** The multicast groups for these kinds and IP versions. */
export function routeEventGroups(kinds: readonly RouteEventKind[], versions: readonly (4 | 6)[]): number[] {
  const out = new Set<number>();
  for (const kind of kinds) {
    const g = GROUPS[kind];
    if (g.any !== undefined) out.add(g.any);
    for (const v of versions) if (g[v] !== undefined) out.add(g[v]!);
  }
  return [...out].sort((a, b) => a - b);
}

/** Decode one notification; undefined for kinds not subscribed or families not modelled. */
export function decodeRouteEvent(m: NetlinkMessage, kinds: ReadonlySet<RouteEventKind>, families: ReadonlySet<number>): RouteObjectEvent | undefined {
  const what = EVENT_TYPES.get(m.type);
  if (!what || !kinds.has(what.kind)) return undefined;
  const at = m.offset + NLMSG_HDRLEN;
  const af = m.payload[0] ?? AddressFamily.AF_UNSPEC;
  const ipOnly = what.kind === 'address' || what.kind === 'route' || what.kind === 'neighbour' || what.kind === 'netconf';
  if (ipOnly && (!isIpFamily(af) || !families.has(af))) return undefined;
  const { action } = what;
  switch (what.kind) {
    case 'link': return { kind: 'link', action, object: decodeLinkMessage(m.payload, m.flags, at) };
    case 'address': return { kind: 'address', action, object: toAddress(addressMessage.decode(m.payload, at)) };
    case 'route': return { kind: 'route', action, object: toRoute(routeMessage.decode(m.payload, at)) };
    case 'neighbour': return { kind: 'neighbour', action, object: toNeighbour(neighbourMessage.decode(m.payload, at)) };
    case 'netconf': return { kind: 'netconf', action, object: toNetconfEntry(netconfMessage.decode(m.payload, at)) };
    case 'nsid': {
      const message = nsidMessage.decode(m.payload, at);
      return { kind: 'nsid', action, object: { nsid: message.attributes.nsid ?? -1, message } };
    }
  }
}

async function dumpLinks(conn: Connection, options?: RequestOptions): Promise<LinkMessage[]> {
  const w = bodyWriter();
  encodeLinkMessage(w, { header: emptyIfInfoMsg(), attributes: {} }, 0);
  const replies = await conn.dump(outgoingOf(w, RtmType.RTM_GETLINK, 0, 'RTM_GETLINK'), options);
  return replies.filter((m) => m.type === RtmType.RTM_NEWLINK).map((m) => decodeLinkMessage(m.payload, m.flags, m.offset + NLMSG_HDRLEN));
}

/** Dump the current state of every kind in `kinds` (the resync snapshot). */
export async function routeSnapshot(conn: Connection, kinds: readonly RouteEventKind[], families: readonly (4 | 6)[], options?: RequestOptions): Promise<RouteSnapshot> {
  const family = families.length === 1 ? families[0] : undefined;
  const filter = family === undefined ? {} : { family };
  const snapshot: RouteSnapshot = {};
  // One dump at a time per socket: the connection queues them anyway, sequential is clearer.
  if (kinds.includes('link')) snapshot.links = await dumpLinks(conn, options);
  if (kinds.includes('address')) snapshot.addresses = await new Addresses(conn).list(filter, options);
  if (kinds.includes('route')) snapshot.routes = await new Routes(conn).list(filter, options);
  if (kinds.includes('neighbour')) snapshot.neighbours = await new Neighbours(conn).list(filter, options);
  if (kinds.includes('nsid')) snapshot.nsids = await new Nsids(conn).list(options);
  if (kinds.includes('netconf')) snapshot.netconf = await new Netconf(conn).list(filter, options);
  return snapshot;
}

/**
 * Typed events from `events`, a connection used only for notifications (its groups are joined
 * here). `options.resync` enables the resync path (see the module comment).
 */
export function routeEvents(events: Connection, options: RouteEventOptions = {}, owned: readonly Connection[] = []): RouteEventStream {
  const kinds = [...(options.kinds ?? DEFAULT_KINDS)];
  for (const kind of kinds) {
    if (!Object.hasOwn(GROUPS, kind)) throw new ValidationError('kinds', `unknown event kind ${JSON.stringify(kind)} (one of ${Object.keys(GROUPS).join(', ')})`, kinds);
  }
  const versions = [...new Set((options.families ?? [4, 6]).map((f) => (familyNumber(f) === AddressFamily.AF_INET ? 4 : 6) as 4 | 6))];
  for (const group of routeEventGroups(kinds, versions)) events.transport.addMembership(group);
  const stream: EventStream = events.events(options.highWaterMark === undefined ? {} : { highWaterMark: options.highWaterMark });
  const kindSet = new Set(kinds);
  const familySet = new Set(versions.map((v) => (v === 4 ? AddressFamily.AF_INET : AddressFamily.AF_INET6)));
  const close = (): void => {
    stream.end();
    for (const c of owned) c.close();
  };

  async function resync(reason: 'initial' | 'overrun'): Promise<RouteEvent> {
    try {
      return { kind: 'resync', reason, snapshot: await routeSnapshot(options.resync!, kinds, versions, options.requestOptions) };
    } catch (error) {
      return { kind: 'error', error: error as Error };
    }
  }

  async function* run(): AsyncGenerator<RouteEvent, void, undefined> {
    try {
      if (options.initialSnapshot && options.resync) yield await resync('initial');
      for await (const ev of stream) {
        if (ev.kind === 'overrun') {
          yield { kind: 'overrun' };
          if (options.resync) yield await resync('overrun');
        } else if (ev.kind === 'error') {
          yield { kind: 'error', error: ev.error };
        } else {
          let decoded: RouteObjectEvent | undefined;
          try {
            decoded = decodeRouteEvent(ev.message, kindSet, familySet);
          } catch (error) {
            if (!(error instanceof DecodeError)) throw error;
            yield { kind: 'error', error };
            continue;
          }
          if (decoded) yield decoded;
        }
      }
    } finally {
      close();
    }
  }

  return Object.assign(run(), { close });
}

export interface WatchRouteOptions extends Omit<RouteEventOptions, 'resync'> {
  /** The namespace to watch (default: this process's). */
  netns?: NetnsRef;
  /** SO_RCVBUF(FORCE) of the event socket, in bytes. */
  receiveBuffer?: number;
  /** Resync after overruns through a second connection (default true). */
  resync?: boolean;
}

/**
 * `ip monitor` for a namespace: opens an event connection (and a resync connection unless
 * `resync: false`), both closed by `close()` or when the iteration ends.
 */
export function watchRoute(options: WatchRouteOptions = {}): RouteEventStream {
  const { netns, receiveBuffer, resync = true, ...rest } = options;
  const events = connectInNetns(netns, receiveBuffer === undefined ? {} : { receiveBuffer });
  let requests: Connection | undefined;
  try {
    requests = resync ? connectInNetns(netns) : undefined;
  } catch (err) {
    events.close();
    throw err;
  }
  const owned = requests ? [events, requests] : [events];
  return routeEvents(events, { ...rest, ...(requests ? { resync: requests } : {}) }, owned);
}
