/**
 * The typed `Route`: a decoded route message with names where `ip route` prints names
 * (type, protocol, scope, flags, metric locks) and the destination written as `ip` writes it.
 * Built once per dumped route, so it does no parsing and allocates little.
 */
import { AddressFamily } from '../netlink/route/constants.js';
import { RtmFlag, routeProtocolNames, routeTypeNames, scopeNames, type RouteProtocolName, type RouteTypeName, type ScopeName } from '../netlink/route/route-constants.js';
import { routeMetricsAttributes, type RouteMetricsAttributes } from '../netlink/route/route-metrics.js';
import { nexthopFlagNames } from '../netlink/route/route-nexthops.js';
import type { RouteMessageValue } from '../netlink/route/route.js';
import { flagNamer } from '../netlink/fields.js';
import { familyName, nameOr, namesOf, type Family } from './shared.js';

/** rtm_flags as `ip route` prints them: next-hop flags in the low byte, RTM_F_* above. */
export const routeFlagNames = {
  ...nexthopFlagNames,
  notify: RtmFlag.RTM_F_NOTIFY,
  cloned: RtmFlag.RTM_F_CLONED,
  equalize: RtmFlag.RTM_F_EQUALIZE,
  prefix: RtmFlag.RTM_F_PREFIX,
  lookup_table: RtmFlag.RTM_F_LOOKUP_TABLE,
  fib_match: RtmFlag.RTM_F_FIB_MATCH,
  rt_offload: RtmFlag.RTM_F_OFFLOAD,
  rt_trap: RtmFlag.RTM_F_TRAP,
  rt_offload_failed: RtmFlag.RTM_F_OFFLOAD_FAILED,
} as const;
export type RouteFlagName = keyof typeof routeFlagNames;

/** One path of a multipath route. */
export interface RouteNexthopView {
  via?: string;
  ifindex: number;
  /** 1 to 256 (rtnh_hops + 1). */
  weight: number;
  flags: Array<keyof typeof nexthopFlagNames | number>;
}

/** RTA_METRICS with the lock mask turned into metric names. */
export type RouteMetricsView = Omit<RouteMetricsAttributes, 'lock'> & { lock?: Array<string | number> };

export interface Route {
  family: Family | number;
  /** `default`, `10.0.0.0/8`, or a host without its length (`10.0.0.1`), as `ip route` prints it. */
  to: string;
  /** Source prefix of a source-specific route (RTA_SRC). */
  from?: string;
  /** The table id (RTA_TABLE, else rtm_table). */
  table: number;
  type: RouteTypeName | number;
  protocol: RouteProtocolName | number;
  scope: ScopeName | number;
  tos: number;
  flags: Array<RouteFlagName | number>;
  via?: string;
  /** Output interface (RTA_OIF). */
  ifindex?: number;
  /** Input interface, in `get` answers for `iif` lookups. */
  iif?: number;
  /** Preferred source address (RTA_PREFSRC). */
  src?: string;
  /** RTA_PRIORITY. */
  metric?: number;
  nexthops?: RouteNexthopView[];
  metrics?: RouteMetricsView;
  pref?: string | number;
  /** The decoded message, for anything not surfaced above (a listing decodes it on first read). */
  message: RouteMessageValue;
}

/** Header numbers → the names `ip route` prints (shared with the scanner, route-scan.ts). */
export const typeByNumber = namesOf(routeTypeNames);
export const protocolByNumber = namesOf(routeProtocolNames);
export const scopeByNumber = namesOf(scopeNames);
const FULL_LENGTH: Record<number, number> = { [AddressFamily.AF_INET]: 32, [AddressFamily.AF_INET6]: 128 };
/** "/0" … "/128": one concatenation per prefix, and no number made text each time. */
const SLASH_LENGTHS = Array.from({ length: 129 }, (_, length) => `/${length}`);
const U32_BITS = 32;
export const routeFlags = flagNamer(routeFlagNames);

/** The destination (or source) as `ip route` prints it. */
export function prefixText(address: string | undefined, length: number, family: number): string {
  if (address === undefined) return length === 0 ? 'default' : `default/${length}`;
  return length === FULL_LENGTH[family] ? address : address + (SLASH_LENGTHS[length] ?? `/${length}`);
}

function lockNames(mask: number): Array<string | number> {
  const out: Array<string | number> = [];
  for (let type = 0; type < U32_BITS; type++) {
    if (((mask >>> type) & 1) === 0) continue;
    out.push(routeMetricsAttributes.keyOf.get(type) ?? type);
  }
  return out;
}

function viaOf(a: { gateway?: string; via?: { address: string | Uint8Array } }): string | undefined {
  if (a.gateway !== undefined) return a.gateway;
  return typeof a.via?.address === 'string' ? a.via.address : undefined;
}

/** The typed view of a decoded route message. */
export function toRoute(message: RouteMessageValue): Route {
  const { header: h, attributes: a } = message;
  const route: Route = {
    family: familyName(h.family),
    to: prefixText(a.dst, h.dstLen, h.family),
    table: a.table ?? h.table,
    type: nameOr(typeByNumber, h.type),
    protocol: nameOr(protocolByNumber, h.protocol),
    scope: nameOr(scopeByNumber, h.scope),
    tos: h.tos,
    flags: h.flags === 0 ? [] : routeFlags(h.flags),
    message,
  };
  if (h.srcLen !== 0 || a.src !== undefined) route.from = prefixText(a.src, h.srcLen, h.family);
  const via = viaOf(a);
  if (via !== undefined) route.via = via;
  if (a.oif !== undefined) route.ifindex = a.oif;
  if (a.iif !== undefined) route.iif = a.iif;
  if (a.prefsrc !== undefined) route.src = a.prefsrc;
  if (a.priority !== undefined) route.metric = a.priority;
  if (a.pref !== undefined) route.pref = a.pref;
  if (a.multipath !== undefined) {
    route.nexthops = a.multipath.map((nh) => {
      const view: RouteNexthopView = { ifindex: nh.ifindex, weight: nh.hops + 1, flags: nh.flags };
      const nhVia = viaOf(nh.attributes);
      if (nhVia !== undefined) view.via = nhVia;
      return view;
    });
  }
  if (a.metrics !== undefined) {
    const { lock, ...rest } = a.metrics;
    route.metrics = lock === undefined ? rest : { ...rest, lock: lockNames(lock) };
  }
  return route;
}
