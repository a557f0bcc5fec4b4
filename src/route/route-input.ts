/**
 * Turning a route as a user writes it (`{ to: '10.0.0.0/8', via: '192.168.15.2', metric: 5 }`)
 * into an rtmsg and RTA_* attributes, with the defaults `ip route` applies (protocol boot,
 * table main, scope derived from the type and gateway) and every check that can be made
 * without the kernel: strict addresses, one family throughout, ranges, and no gateway or
 * device on routes that drop packets.
 */
import { parseIp, parsePrefix, networkOf, formatIp, type IpFamily, type ParsedPrefix } from '../netlink/addresses.js';
import { ValidationError } from '../netlink/errors.js';
import { metricFeatureNames, RtaxAttr, type RouteMetricsAttributes } from '../netlink/route/route-metrics.js';
import { RtnhFlag, type RouteNexthop } from '../netlink/route/route-nexthops.js';
import type { RouteAttributes, Rtmsg } from '../netlink/route/route.js';
import {
  routeProtocolNames,
  routeTypeNames,
  RtnType,
  RtProtocol,
  RtScope,
  RtTable,
  routerPreferenceNames,
  scopeNames,
  tableNames,
  type RouteProtocolName,
  type RouteTypeName,
  type ScopeName,
  type TableName,
} from '../netlink/route/route-constants.js';
import { checkDeviceRef, type DeviceRef } from './devices.js';
import { afOf, checkInteger, flagNamesToNumber, ipVersion, nameToNumber, U32_MAX, type FamilyInput } from './shared.js';

/** Route metrics by name; `lock` lists the metrics the kernel must not change (`mtu lock`). */
export interface RouteMetricsInput {
  mtu?: number;
  window?: number;
  rtt?: number;
  rttvar?: number;
  ssthresh?: number;
  cwnd?: number;
  advmss?: number;
  reordering?: number;
  hoplimit?: number;
  initcwnd?: number;
  features?: Array<keyof typeof metricFeatureNames>;
  rtoMin?: number;
  initrwnd?: number;
  quickack?: number;
  ccAlgo?: string;
  fastopenNoCookie?: number;
  lock?: Array<Exclude<keyof RouteMetricsInput, 'lock' | 'features' | 'ccAlgo'>>;
}

/** One path of a multipath route (`nexthop via … dev … weight …`). */
export interface NexthopInput {
  via?: string;
  dev?: DeviceRef;
  /** 1 to 256 (default 1). */
  weight?: number;
  onlink?: boolean;
}

/** A route as `routes.add` / `replace` / `delete` take it; reads like `ip route add`. */
export interface RouteInput {
  /** `default`, a prefix (`10.0.0.0/8`) or a host (`10.0.0.1` = /32, `2001:db8::1` = /128). */
  to: string;
  /** Needed only when nothing else tells the family (`to: 'default'` alone); default inet. */
  family?: FamilyInput;
  via?: string;
  dev?: DeviceRef;
  table?: number | TableName;
  metric?: number;
  scope?: ScopeName | number;
  protocol?: RouteProtocolName | number;
  type?: RouteTypeName;
  /** Preferred source address (RTA_PREFSRC). */
  src?: string;
  tos?: number;
  /** Treat the gateway as directly reachable on `dev` (RTNH_F_ONLINK). */
  onlink?: boolean;
  nexthops?: NexthopInput[];
  metrics?: RouteMetricsInput;
  /** IPv6 router preference. */
  pref?: keyof typeof routerPreferenceNames;
}

/** A checked route: header and attributes, plus the devices still to resolve to indexes. */
export interface BuiltRoute {
  header: Rtmsg;
  attributes: RouteAttributes;
  /** `dev` of the route (→ RTA_OIF) and of each next hop (→ rtnh_ifindex), by position. */
  devices: { route?: DeviceRef; nexthops: Array<DeviceRef | undefined> };
}

const RT_TABLE_BYTE_MAX = 0xff;
const TOS_MAX = 0xff;
const PROTOCOL_MAX = 0xff;
const WEIGHT_MAX = 256;
/** Route types that drop or refuse packets take no gateway, device or next hops (fib_create_info). */
const ERROR_TYPES: ReadonlySet<number> = new Set([RtnType.RTN_BLACKHOLE, RtnType.RTN_UNREACHABLE, RtnType.RTN_PROHIBIT, RtnType.RTN_THROW]);
const METRIC_TYPES: Record<Exclude<keyof RouteMetricsInput, 'lock'>, number> = {
  mtu: RtaxAttr.RTAX_MTU, window: RtaxAttr.RTAX_WINDOW, rtt: RtaxAttr.RTAX_RTT, rttvar: RtaxAttr.RTAX_RTTVAR,
  ssthresh: RtaxAttr.RTAX_SSTHRESH, cwnd: RtaxAttr.RTAX_CWND, advmss: RtaxAttr.RTAX_ADVMSS,
  reordering: RtaxAttr.RTAX_REORDERING, hoplimit: RtaxAttr.RTAX_HOPLIMIT, initcwnd: RtaxAttr.RTAX_INITCWND,
  features: RtaxAttr.RTAX_FEATURES, rtoMin: RtaxAttr.RTAX_RTO_MIN, initrwnd: RtaxAttr.RTAX_INITRWND,
  quickack: RtaxAttr.RTAX_QUICKACK, ccAlgo: RtaxAttr.RTAX_CC_ALGO, fastopenNoCookie: RtaxAttr.RTAX_FASTOPEN_NO_COOKIE,
};

/** `default`, or a prefix whose host bits are clear. */
export function parseDestination(to: unknown, family: IpFamily | undefined, field = 'to'): ParsedPrefix | { family: IpFamily | undefined; prefixLength: 0; address: undefined } {
  if (to === 'default') return { family, prefixLength: 0, address: undefined };
  const p = parsePrefix(to as string, field, family);
  const net = networkOf(p.bytes, p.prefixLength);
  if (!net.every((b, i) => b === p.bytes[i])) {
    throw new ValidationError(field, `${String(to)} has host bits set; the network is ${formatIp(net)}/${p.prefixLength}`, to);
  }
  return p;
}

/** Table id of a table name or number (1 … 2^32-1). */
export function tableNumber(table: unknown, field = 'table'): number {
  if (typeof table === 'number') return checkInteger(table, field, 1, RtTable.RT_TABLE_MAX);
  return nameToNumber(tableNames, table, field, RtTable.RT_TABLE_MAX);
}

/** rtm_table and RTA_TABLE as `ip` sends them: ids above 255 only fit in the attribute. */
export function tableFields(id: number): { header: number; attribute?: number } {
  return id <= RT_TABLE_BYTE_MAX ? { header: id } : { header: RtTable.RT_TABLE_UNSPEC, attribute: id };
}

function metricsAttributes(m: RouteMetricsInput): RouteMetricsAttributes {
  if (m === null || typeof m !== 'object') throw new ValidationError('metrics', 'must be an object like { mtu: 1400 }', m);
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(m)) {
    const field = `metrics.${key}`;
    if (value === undefined || key === 'lock') continue;
    if (!Object.hasOwn(METRIC_TYPES, key)) throw new ValidationError(field, `unknown metric (one of ${Object.keys(METRIC_TYPES).join(', ')}, lock)`, value);
    if (key === 'features') flagNamesToNumber(metricFeatureNames, value, field);
    else if (key === 'ccAlgo') {
      if (typeof value !== 'string' || value === '') throw new ValidationError(field, 'must be a congestion control name', value);
    } else checkInteger(value, field, 0, U32_MAX);
    out[key] = value;
  }
  if (m.lock !== undefined) {
    if (!Array.isArray(m.lock)) throw new ValidationError('metrics.lock', 'must be an array of metric names', m.lock);
    let mask = 0;
    for (const name of m.lock) {
      const type = (METRIC_TYPES as Record<string, number>)[name];
      if (type === undefined) throw new ValidationError('metrics.lock', `unknown metric ${JSON.stringify(name)}`, m.lock);
      mask |= 1 << type;
    }
    out.lock = mask >>> 0;
  }
  return out as RouteMetricsAttributes;
}

function gateway(text: unknown, family: IpFamily, field: string): string {
  const ip = parseIp(text as string, field);
  if (ip.family !== family) throw new ValidationError(field, `is IPv${ip.family} but the route is IPv${family}`, text);
  return formatIp(ip.bytes);
}

/** The family every address of the route must share, from the first one that tells it. */
function routeFamily(input: RouteInput): IpFamily {
  if (input.family !== undefined) return ipVersion(input.family);
  if (input.to !== 'default' && typeof input.to === 'string') return parsePrefix(input.to, 'to').family;
  for (const [text, field] of [[input.via, 'via'], [input.src, 'src'], [input.nexthops?.[0]?.via, 'nexthops[0].via']] as const) {
    if (typeof text === 'string') return parseIp(text, field).family;
  }
  return 4;
}

/**
 * Check and build a route request. `forDelete` applies `ip route del`'s defaults instead:
 * protocol, type and scope left as wildcards unless given.
 */
export function buildRoute(input: RouteInput, forDelete = false): BuiltRoute {
  if (input === null || typeof input !== 'object') throw new ValidationError('route', "must be an object like { to: '10.0.0.0/8', via: '192.168.15.2' }", input);
  const family = routeFamily(input);
  const dst = parseDestination(input.to, family);
  const type = input.type === undefined ? (forDelete ? RtnType.RTN_UNSPEC : RtnType.RTN_UNICAST) : nameToNumber(routeTypeNames, input.type, 'type', RtnType.RTN_XRESOLVE);
  const attributes: RouteAttributes = {};
  if (dst.address !== undefined) attributes.dst = dst.address;
  if (input.via !== undefined) attributes.gateway = gateway(input.via, family, 'via');
  if (input.metric !== undefined) attributes.priority = checkInteger(input.metric, 'metric', 0, U32_MAX);
  if (input.src !== undefined) attributes.prefsrc = gateway(input.src, family, 'src');
  const table = tableFields(input.table === undefined ? RtTable.RT_TABLE_MAIN : tableNumber(input.table));
  if (table.attribute !== undefined) attributes.table = table.attribute;
  if (input.pref !== undefined) {
    if (family !== 6) throw new ValidationError('pref', 'router preference exists only for IPv6 routes', input.pref);
    nameToNumber(routerPreferenceNames, input.pref, 'pref', 0);
    attributes.pref = input.pref;
  }
  if (input.metrics !== undefined) attributes.metrics = metricsAttributes(input.metrics);
  const devices: BuiltRoute['devices'] = { nexthops: [] };
  if (input.dev !== undefined) devices.route = checkDeviceRef(input.dev, 'dev');
  if (input.nexthops !== undefined) {
    if (!Array.isArray(input.nexthops) || input.nexthops.length === 0) throw new ValidationError('nexthops', 'must be a non-empty array', input.nexthops);
    if (input.via !== undefined || input.dev !== undefined) throw new ValidationError('nexthops', 'give via/dev either for the route or per next hop, not both', input.nexthops);
    attributes.multipath = input.nexthops.map((nh, i): RouteNexthop => {
      const field = `nexthops[${i}]`;
      if (nh === null || typeof nh !== 'object') throw new ValidationError(field, 'must be an object like { via, dev, weight }', nh);
      if (nh.via === undefined && nh.dev === undefined) throw new ValidationError(field, 'needs via or dev', nh);
      const weight = nh.weight === undefined ? 1 : checkInteger(nh.weight, `${field}.weight`, 1, WEIGHT_MAX);
      devices.nexthops[i] = nh.dev === undefined ? undefined : checkDeviceRef(nh.dev, `${field}.dev`);
      return {
        flags: nh.onlink ? ['onlink'] : [],
        hops: weight - 1,
        ifindex: 0,
        attributes: nh.via === undefined ? {} : { gateway: gateway(nh.via, family, `${field}.via`) },
      };
    });
  }
  if (ERROR_TYPES.has(type) && (attributes.gateway !== undefined || devices.route !== undefined || attributes.multipath !== undefined)) {
    throw new ValidationError('type', `a ${input.type} route takes no via, dev or nexthops`, input.type);
  }
  const hasGateway = attributes.gateway !== undefined || attributes.multipath !== undefined;
  return {
    header: {
      family: afOf(family),
      dstLen: dst.prefixLength,
      srcLen: 0,
      tos: input.tos === undefined ? 0 : checkInteger(input.tos, 'tos', 0, TOS_MAX),
      table: table.header,
      protocol: input.protocol === undefined ? (forDelete ? RtProtocol.RTPROT_UNSPEC : RtProtocol.RTPROT_BOOT) : nameToNumber(routeProtocolNames, input.protocol, 'protocol', PROTOCOL_MAX),
      scope: input.scope === undefined ? defaultScope(type, hasGateway, forDelete) : nameToNumber(scopeNames, input.scope, 'scope', RtScope.RT_SCOPE_NOWHERE),
      type,
      flags: input.onlink ? RtnhFlag.RTNH_F_ONLINK : 0,
    },
    attributes,
    devices,
  };
}

/** `ip route`'s scope when none is given. RT_SCOPE_NOWHERE on delete matches any scope. */
function defaultScope(type: number, hasGateway: boolean, forDelete: boolean): number {
  if (type === RtnType.RTN_LOCAL || type === RtnType.RTN_NAT) return RtScope.RT_SCOPE_HOST;
  if (type === RtnType.RTN_BROADCAST || type === RtnType.RTN_MULTICAST || type === RtnType.RTN_ANYCAST) return RtScope.RT_SCOPE_LINK;
  if (type === RtnType.RTN_UNICAST || type === RtnType.RTN_UNSPEC) {
    if (forDelete) return RtScope.RT_SCOPE_NOWHERE;
    if (!hasGateway) return RtScope.RT_SCOPE_LINK;
  }
  return RtScope.RT_SCOPE_UNIVERSE;
}
