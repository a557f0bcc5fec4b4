/**
 * Routes as `ip route show` / `ip route get` print them: ip's JSON keys and order (type when
 * not unicast, dst, gateway, dev, table when not main, protocol when not boot, scope when not
 * global, prefsrc, metric, flags, pref, metrics, nexthops) and the one-line text form.
 */
import { AddressFamily } from '../../netlink/route/constants.js';
import { RtmFlag, RtScope, RtTable } from '../../netlink/route/route-constants.js';
import { RtnhFlag } from '../../netlink/route/route-nexthops.js';
import { escapeForDisplay } from '../../netlink/text.js';
import type { Route } from '../../route/routes.js';
import type { IpJson } from './json.js';
import type { LinkNames } from './names.js';

type JsonObject = { [key: string]: IpJson | undefined };

/** Route cache flags of `ip route get` answers (<linux/in_route.h> RTCF_*), in rtm_flags. */
export const RouteCacheFlag = {
  RTCF_NOTIFY: 0x00010000,
  RTCF_DIRECTDST: 0x00020000,
  RTCF_REDIRECTED: 0x00040000,
  RTCF_TPROXY: 0x00080000,
  RTCF_FAST: 0x00200000,
  RTCF_MASQ: 0x00400000,
  RTCF_SNAT: 0x00800000,
  RTCF_DOREDIRECT: 0x01000000,
  RTCF_DIRECTSRC: 0x04000000,
  RTCF_DNAT: 0x08000000,
  RTCF_BROADCAST: 0x10000000,
  RTCF_MULTICAST: 0x20000000,
  RTCF_REJECT: 0x40000000,
  RTCF_LOCAL: 0x80000000,
} as const;

/** Cache flag words in the order ip prints them. */
const CACHE_WORDS: ReadonlyArray<[string, number]> = [
  ['local', RouteCacheFlag.RTCF_LOCAL],
  ['reject', RouteCacheFlag.RTCF_REJECT],
  ['mc', RouteCacheFlag.RTCF_MULTICAST],
  ['brd', RouteCacheFlag.RTCF_BROADCAST],
  ['dst-nat', RouteCacheFlag.RTCF_DNAT],
  ['src-nat', RouteCacheFlag.RTCF_SNAT],
  ['masq', RouteCacheFlag.RTCF_MASQ],
  ['dst-direct', RouteCacheFlag.RTCF_DIRECTDST],
  ['src-direct', RouteCacheFlag.RTCF_DIRECTSRC],
  ['redirected', RouteCacheFlag.RTCF_REDIRECTED],
  ['redirect', RouteCacheFlag.RTCF_DOREDIRECT],
  ['fastroute', RouteCacheFlag.RTCF_FAST],
  ['notify', RouteCacheFlag.RTCF_NOTIFY],
  ['proxy', RouteCacheFlag.RTCF_TPROXY],
];

/** Route flag words (next-hop flags and RTM_F_* offload states) in ip's order. */
const FLAG_WORDS: ReadonlyArray<[string, number]> = [
  ['dead', RtnhFlag.RTNH_F_DEAD],
  ['onlink', RtnhFlag.RTNH_F_ONLINK],
  ['pervasive', RtnhFlag.RTNH_F_PERVASIVE],
  ['offload', RtnhFlag.RTNH_F_OFFLOAD],
  ['trap', RtnhFlag.RTNH_F_TRAP],
  ['linkdown', RtnhFlag.RTNH_F_LINKDOWN],
  ['unresolved', RtnhFlag.RTNH_F_UNRESOLVED],
  ['rt_offload', RtmFlag.RTM_F_OFFLOAD],
  ['rt_trap', RtmFlag.RTM_F_TRAP],
  ['rt_offload_failed', RtmFlag.RTM_F_OFFLOAD_FAILED],
];

const words = (table: ReadonlyArray<[string, number]>, bits: number): string[] => table.filter(([, bit]) => (bits & bit) >>> 0 !== 0).map(([w]) => w);

function tableText(id: number): string | undefined {
  if (id === RtTable.RT_TABLE_MAIN) return undefined;
  if (id === RtTable.RT_TABLE_LOCAL) return 'local';
  if (id === RtTable.RT_TABLE_DEFAULT) return 'default';
  return String(id);
}

export interface RouteJsonOptions {
  /** `ip route get`: add uid and cache. */
  get?: boolean;
  /**
   * Keys a listing was filtered on (one table, `dev`, `proto`, `scope`, `via`): ip leaves them
   * out of each route, since they are the value asked for.
   */
  filtered?: ReadonlySet<'table' | 'dev' | 'protocol' | 'scope' | 'gateway'>;
}

/** The `ip -j route` object of one route. */
export function routeJson(r: Route, names: LinkNames, o: RouteJsonOptions = {}): JsonObject {
  const h = r.message.header;
  const a = r.message.attributes;
  const j: JsonObject = {};
  if (r.type !== 'unicast') j.type = r.type;
  j.dst = r.to;
  if (r.from !== undefined) j.from = r.from;
  if (r.tos !== 0) j.tos = r.tos;
  const shown = (key: 'table' | 'dev' | 'protocol' | 'scope' | 'gateway'): boolean => o.filtered?.has(key) !== true;
  if (shown('gateway')) j.gateway = r.via;
  if (r.ifindex !== undefined && shown('dev')) j.dev = names.name(r.ifindex);
  if (o.get !== true && shown('table')) j.table = tableText(r.table);
  if (r.protocol !== 'boot' && o.get !== true && shown('protocol')) j.protocol = r.protocol;
  if (h.scope !== RtScope.RT_SCOPE_UNIVERSE && o.get !== true && shown('scope')) j.scope = r.scope;
  j.prefsrc = r.src;
  j.metric = r.metric;
  j.flags = words(FLAG_WORDS, h.flags);
  if (r.pref !== undefined && h.family === AddressFamily.AF_INET6) j.pref = r.pref;
  if (r.metrics !== undefined) {
    const m: JsonObject = {};
    for (const [k, v] of Object.entries(r.metrics)) if (k !== 'lock' && k !== 'unknown' && v !== undefined) m[k] = v as IpJson;
    j.metrics = [m];
  }
  if (r.nexthops !== undefined) {
    j.nexthops = r.nexthops.map((nh) => ({ gateway: nh.via, dev: names.name(nh.ifindex), weight: nh.weight, flags: nh.flags.filter((f) => typeof f === 'string') as string[] }));
  }
  if (o.get === true) {
    j.uid = a.uid;
    j.cache = words(CACHE_WORDS, h.flags);
  }
  return j;
}

/** One route as `ip route` prints it (a multipath route takes one more line per next hop). */
export function routeText(r: Route, names: LinkNames, o: RouteJsonOptions = {}): string {
  const j = routeJson(r, names, o);
  const out: string[] = [];
  if (j.type !== undefined) out.push(String(j.type));
  out.push(r.to);
  if (r.from !== undefined) out.push(`from ${r.from}`);
  if (r.tos !== 0) out.push(`tos ${r.tos}`);
  if (j.gateway !== undefined) out.push(`via ${String(j.gateway)}`);
  if (j.dev !== undefined) out.push(`dev ${escapeForDisplay(String(j.dev))}`);
  if (j.table !== undefined) out.push(`table ${String(j.table)}`);
  if (j.protocol !== undefined) out.push(`proto ${String(j.protocol)}`);
  if (j.scope !== undefined) out.push(`scope ${String(j.scope)}`);
  if (r.src !== undefined) out.push(`src ${r.src}`);
  if (r.metric !== undefined) out.push(`metric ${r.metric}`);
  out.push(...(j.flags as string[]));
  if (j.pref !== undefined) out.push(`pref ${String(j.pref)}`);
  if (r.metrics !== undefined) {
    const locked = new Set(r.metrics.lock ?? []);
    for (const [k, v] of Object.entries(r.metrics)) if (k !== 'lock' && k !== 'unknown' && v !== undefined) out.push(`${k}${locked.has(k) ? ' lock' : ''} ${String(v)}`);
  }
  if (o.get === true) {
    if (j.uid !== undefined) out.push(`uid ${String(j.uid)}`);
    out.push('cache', ...(j.cache as string[]));
  }
  // Next hops go on lines of their own, tab-indented, as ip prints them.
  const hops = (r.nexthops ?? []).map((nh) =>
    ['\tnexthop', ...(nh.via !== undefined ? [`via ${nh.via}`] : []), `dev ${escapeForDisplay(names.name(nh.ifindex))}`, `weight ${nh.weight}`, ...(nh.flags.filter((f) => typeof f === 'string') as string[])].join(' '),
  );
  return [out.join(' '), ...hops].join('\n');
}
