/**
 * Routes, as `ip route` manages them: add, replace, delete, list (filtered in the kernel) and
 * get (the kernel's route lookup for one destination), IPv4 and IPv6, over RTM_NEWROUTE /
 * RTM_DELROUTE / RTM_GETROUTE.
 */
import { parseIp, type IpFamily } from '../netlink/addresses.js';
import type { Connection, RequestOptions } from '../netlink/connection.js';
import { NlmFlags } from '../netlink/constants.js';
import { ValidationError } from '../netlink/errors.js';
import { AddressFamily, RtmType } from '../netlink/route/constants.js';
import { RtmFlag, routeProtocolNames, routeTypeNames } from '../netlink/route/route-constants.js';
import { routeMessage, type RouteAttributes } from '../netlink/route/route.js';
import { checkDeviceRef, ifindexAtOnce, lookupIfindex, resolveIfindex, type DeviceRef } from './devices.js';
import { buildRoute, tableFields, tableNumber, type RouteInput } from './route-input.js';
import { afOf, decodeIpMessages, scanIpMessages, familyNumber, nameToNumber, outgoing, type FamilyInput } from './shared.js';
import { toRoute, type Route } from './route-view.js';
import { scanRoute, selected, type RouteSelection } from './route-scan.js';

export type { Route, RouteNexthopView, RouteMetricsView } from './route-view.js';
export type { RouteInput, NexthopInput, RouteMetricsInput } from './route-input.js';
export { toRoute } from './route-view.js';

/** Which routes `list` returns; every field narrows the dump in the kernel. */
export interface RouteFilter {
  /** A table id or name, or 'all' (the default: every table, as `ip route show table all`). */
  table?: number | 'main' | 'local' | 'default' | 'all';
  family?: FamilyInput;
  protocol?: keyof typeof routeProtocolNames | number;
  type?: keyof typeof routeTypeNames;
  /** Only routes whose output device is this one. */
  dev?: DeviceRef;
}

/** Options of `routes.get`, like `ip route get ADDR from … iif … oif … mark …`. */
export interface RouteLookup {
  from?: string;
  /** Input interface: look the route up as if a packet had arrived here. */
  iif?: DeviceRef;
  oif?: DeviceRef;
  mark?: number;
  /** Return the matching FIB entry rather than the resolved route (`ip route get … fibmatch`). */
  fibMatch?: boolean;
}

const HOST_BITS: Record<IpFamily, number> = { 4: 32, 6: 128 };
const PROTOCOL_MAX = 0xff;
const TYPE_MAX = 0xff;

export class Routes {
  constructor(private readonly conn: Connection) {}

  /** `ip route add`: EEXIST if the same route is already there. */
  add(route: RouteInput, options?: RequestOptions): Promise<void> {
    return this.send(route, RtmType.RTM_NEWROUTE, 'RTM_NEWROUTE', NlmFlags.NLM_F_CREATE | NlmFlags.NLM_F_EXCL, false, options);
  }

  /** `ip route replace`: adds, or replaces the route with the same destination, table, tos and metric. */
  replace(route: RouteInput, options?: RequestOptions): Promise<void> {
    return this.send(route, RtmType.RTM_NEWROUTE, 'RTM_NEWROUTE', NlmFlags.NLM_F_CREATE | NlmFlags.NLM_F_REPLACE, false, options);
  }

  /**
   * `ip route delete`: the first route matching what is given (destination and table always;
   * via, dev, metric, protocol, type and scope only when set).
   */
  delete(route: RouteInput, options?: RequestOptions): Promise<void> {
    return this.send(route, RtmType.RTM_DELROUTE, 'RTM_DELROUTE', 0, true, options);
  }

  /** Routes of the namespace, filtered by the kernel (strict checking) and checked again here. */
  async list(filter: RouteFilter = {}, options?: RequestOptions): Promise<Route[]> {
    const family = filter.family === undefined ? AddressFamily.AF_UNSPEC : familyNumber(filter.family);
    const table = filter.table === undefined || filter.table === 'all' ? undefined : tableNumber(filter.table);
    const protocol = filter.protocol === undefined ? 0 : nameToNumber(routeProtocolNames, filter.protocol, 'protocol', PROTOCOL_MAX);
    const type = filter.type === undefined ? 0 : nameToNumber(routeTypeNames, filter.type, 'type', TYPE_MAX);
    if (filter.dev !== undefined) checkDeviceRef(filter.dev);
    const oif = filter.dev === undefined ? undefined : await resolveIfindex(this.conn, filter.dev, 'dev', options);
    const tableAt = table === undefined ? undefined : tableFields(table);
    const attributes: RouteAttributes = {};
    if (tableAt?.attribute !== undefined) attributes.table = tableAt.attribute;
    if (oif !== undefined) attributes.oif = oif;
    const header = { family, dstLen: 0, srcLen: 0, tos: 0, table: tableAt?.header ?? 0, protocol, scope: 0, type, flags: 0 };
    // Checked here again for connections without strict checking, which the kernel does not filter.
    const selection: RouteSelection = { family, table, protocol, type, oif };
    return scanIpMessages(
      this.conn,
      outgoing(routeMessage, RtmType.RTM_GETROUTE, 'RTM_GETROUTE', 0, { header, attributes }),
      options,
      routeMessage,
      RtmType.RTM_NEWROUTE,
      (bytes, start, end) => scanRoute(bytes, start, end, selection),
      (m) => (selected(selection, m) ? toRoute(m) : undefined),
    );
  }

  /** `ip route get ADDRESS`: the route the kernel would use for a packet to `address`. */
  async get(address: string, lookup: RouteLookup = {}, options?: RequestOptions): Promise<Route> {
    const dst = parseIp(address, 'address');
    const attributes: RouteAttributes = { dst: address };
    let srcLen = 0;
    if (lookup.from !== undefined) {
      const from = parseIp(lookup.from, 'from');
      if (from.family !== dst.family) throw new ValidationError('from', `is IPv${from.family} but address is IPv${dst.family}`, lookup.from);
      attributes.src = lookup.from;
      srcLen = HOST_BITS[from.family];
    }
    if (lookup.mark !== undefined) attributes.mark = lookup.mark;
    if (lookup.iif !== undefined) checkDeviceRef(lookup.iif, 'iif');
    if (lookup.oif !== undefined) checkDeviceRef(lookup.oif, 'oif');
    if (lookup.iif !== undefined) attributes.iif = await resolveIfindex(this.conn, lookup.iif, 'iif', options);
    if (lookup.oif !== undefined) attributes.oif = await resolveIfindex(this.conn, lookup.oif, 'oif', options);
    // RTM_F_LOOKUP_TABLE (report the table the lookup used) is IPv4 only: IPv6 refuses it (EINVAL).
    const flags = (dst.family === 4 ? RtmFlag.RTM_F_LOOKUP_TABLE : 0) | (lookup.fibMatch ? RtmFlag.RTM_F_FIB_MATCH : 0);
    const header = { family: afOf(dst.family), dstLen: HOST_BITS[dst.family], srcLen, tos: 0, table: 0, protocol: 0, scope: 0, type: 0, flags };
    const replies = await this.conn.request(outgoing(routeMessage, RtmType.RTM_GETROUTE, 'RTM_GETROUTE', 0, { header, attributes }), options);
    const [route] = decodeIpMessages(routeMessage, RtmType.RTM_NEWROUTE, replies);
    if (!route) throw new ValidationError('address', `the kernel answered the lookup of ${address} with no route`, address);
    return toRoute(route);
  }

  private async send(route: RouteInput, type: number, typeName: string, flags: number, forDelete: boolean, options?: RequestOptions): Promise<void> {
    const built = buildRoute(route, forDelete);
    if (built.devices.route !== undefined) built.attributes.oif = ifindexAtOnce(this.conn, built.devices.route, 'dev', options) || (await lookupIfindex(this.conn, built.devices.route, 'dev', options));
    for (const [i, dev] of built.devices.nexthops.entries()) {
      if (dev !== undefined) built.attributes.multipath![i]!.ifindex = ifindexAtOnce(this.conn, dev, `nexthops[${i}].dev`, options) || (await lookupIfindex(this.conn, dev, `nexthops[${i}].dev`, options));
    }
    await this.conn.request(outgoing(routeMessage, type, typeName, flags, { header: built.header, attributes: built.attributes }), options);
  }
}
