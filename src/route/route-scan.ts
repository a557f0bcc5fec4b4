/**
 * The fast way from a dumped route message to a typed Route, for listings of thousands of
 * routes: one pass over the rtmsg and the attributes that make up almost every route (dst,
 * src, iif, oif, gateway, priority, prefsrc, cacheinfo, table, pref), filling the fields
 * directly. The full decoded `message` is made only if it is read (message-view.ts).
 *
 * Decoding every message first and converting it (toRoute) builds three more objects per route
 * — and a listing keeps all of them alive until it ends, so every collection in between copies
 * them. Anything else — another attribute (multipath, metrics, via …), a repeat, an odd length —
 * gives up (`undefined`), and the caller decodes the message and runs toRoute: the same Route.
 */
import { NLA_HDRLEN } from '../netlink/constants.js';
import { AddressFamily } from '../netlink/route/constants.js';
import type { RouteProtocolName, RouteTypeName, ScopeName } from '../netlink/route/route-constants.js';
import { routeAttributes, routeMessage, rtaCacheinfo, rtmsg, type RouteMessageValue } from '../netlink/route/route.js';
import { align4 } from '../netlink/writer.js';
import { prefixText, protocolByNumber, routeFlags, scopeByNumber, typeByNumber, type Route, type RouteFlagName } from './route-view.js';
import { bodyIn, plainAttributeAt, readerOf, u32At, showsAsPlainObject } from './message-view.js';
import { familyName, nameOr, type Family } from './shared.js';

/** What a listing keeps, as numbers: 0 (or undefined for `table` and `oif`) keeps any. */
export interface RouteSelection {
  family: number;
  table: number | undefined;
  protocol: number;
  type: number;
  oif: number | undefined;
}

const specs = routeAttributes.specs;
const RTA_DST = specs.dst.type;
const RTA_SRC = specs.src.type;
const RTA_IIF = specs.iif.type;
const RTA_OIF = specs.oif.type;
const RTA_GATEWAY = specs.gateway.type;
const RTA_PRIORITY = specs.priority.type;
const RTA_PREFSRC = specs.prefsrc.type;
const RTA_CACHEINFO = specs.cacheinfo.type;
const RTA_TABLE = specs.table.type;
const RTA_PREF = specs.pref.type;
const readAddress = readerOf(specs.dst.codec);
const readPref = readerOf(specs.pref.codec);
const U32_BYTES = 4;
const ATTRIBUTES_AT = align4(rtmsg.size);
/** Header offsets in struct rtmsg. */
const DST_LEN = 1;
const SRC_LEN = 2;
const TOS = 3;
const TABLE = 4;
const PROTOCOL = 5;
const SCOPE = 6;
const TYPE = 7;
const FLAGS = 8;



/** A Route read straight from its message (see message-view.ts). */
class RouteView implements Route {
  readonly #datagram: Uint8Array;
  readonly #start: number;
  readonly #end: number;
  #message: RouteMessageValue | undefined;
  // Assigned in the constructor, in the order of toRoute's keys.
  declare family: Family | number;
  declare to: string;
  declare table: number;
  declare type: RouteTypeName | number;
  declare protocol: RouteProtocolName | number;
  declare scope: ScopeName | number;
  declare tos: number;
  declare flags: Array<RouteFlagName | number>;
  // Set only when present, as toRoute does (`'via' in route` says the same either way).
  declare from?: string;
  declare via?: string;
  declare ifindex?: number;
  declare iif?: number;
  declare src?: string;
  declare metric?: number;
  declare pref?: string | number;

  constructor(b: Uint8Array, start: number, end: number, table: number, to: string) {
    this.#datagram = b;
    this.#start = start;
    this.#end = end;
    this.family = familyName(b[start]!);
    this.to = to;
    this.table = table;
    this.type = nameOr(typeByNumber, b[start + TYPE]!);
    this.protocol = nameOr(protocolByNumber, b[start + PROTOCOL]!);
    this.scope = nameOr(scopeByNumber, b[start + SCOPE]!);
    this.tos = b[start + TOS]!;
    const flags = u32At(b, start + FLAGS);
    this.flags = flags === 0 ? [] : routeFlags(flags);
  }

  /** The whole message, decoded by the generic codec on first read. */
  get message(): RouteMessageValue {
    return (this.#message ??= routeMessage.decode(bodyIn(this.#datagram, this.#start, this.#end), this.#start));
  }
}
showsAsPlainObject(RouteView);

/**
 * The Route of the body of an RTM_NEWROUTE reply, `b[start, end)` (`b` its datagram, `start` its
 * offset there), `null` when `selection` drops it, or undefined when it is not the common case
 * (see the file comment).
 */
export function scanRoute(b: Uint8Array, start: number, end: number, selection: RouteSelection): Route | null | undefined {
  const family = b[start];
  if (end - start < ATTRIBUTES_AT || (family !== AddressFamily.AF_INET && family !== AddressFamily.AF_INET6)) return undefined;
  let seen = 0;
  let table = b[start + TABLE]!;
  let dst: string | undefined;
  let src: string | undefined;
  let gateway: string | undefined;
  let prefsrc: string | undefined;
  let oif: number | undefined;
  let iif: number | undefined;
  let priority: number | undefined;
  let pref: unknown;
  for (let pos = start + ATTRIBUTES_AT; pos < end; ) {
    const type = plainAttributeAt(b, pos, end, seen);
    if (type < 0) return undefined;
    seen |= 1 << type;
    const len = b[pos]! | (b[pos + 1]! << 8);
    const o = pos + NLA_HDRLEN;
    const l = len - NLA_HDRLEN;
    switch (type) {
      case RTA_DST: if ((dst = readAddress(b, o, l) as string | undefined) === undefined) return undefined; break;
      case RTA_SRC: if ((src = readAddress(b, o, l) as string | undefined) === undefined) return undefined; break;
      case RTA_GATEWAY: if ((gateway = readAddress(b, o, l) as string | undefined) === undefined) return undefined; break;
      case RTA_PREFSRC: if ((prefsrc = readAddress(b, o, l) as string | undefined) === undefined) return undefined; break;
      case RTA_OIF: if (l !== U32_BYTES) return undefined; oif = u32At(b, o); break;
      case RTA_IIF: if (l !== U32_BYTES) return undefined; iif = u32At(b, o); break;
      case RTA_PRIORITY: if (l !== U32_BYTES) return undefined; priority = u32At(b, o); break;
      case RTA_TABLE: if (l !== U32_BYTES) return undefined; table = u32At(b, o); break;
      case RTA_PREF: if ((pref = readPref(b, o, l)) === undefined) return undefined; break;
      case RTA_CACHEINFO: if (l !== rtaCacheinfo.size) return undefined; break;
      default: return undefined;
    }
    pos += align4(len);
  }
  if (!kept(selection, family, table, b[start + PROTOCOL]!, b[start + TYPE]!, oif)) return null;
  const route = new RouteView(b, start, end, table, prefixText(dst, b[start + DST_LEN]!, family));
  if (b[start + SRC_LEN] !== 0 || src !== undefined) route.from = prefixText(src, b[start + SRC_LEN]!, family);
  if (gateway !== undefined) route.via = gateway;
  if (oif !== undefined) route.ifindex = oif;
  if (iif !== undefined) route.iif = iif;
  if (prefsrc !== undefined) route.src = prefsrc;
  if (priority !== undefined) route.metric = priority;
  if (pref !== undefined) route.pref = pref as string | number;
  return route;
}

/** The selection applied to numbers (a route with next hops never gets here: see matches). */
function kept(s: RouteSelection, family: number, table: number, protocol: number, type: number, oif: number | undefined): boolean {
  if (s.family !== AddressFamily.AF_UNSPEC && family !== s.family) return false;
  if (s.table !== undefined && table !== s.table) return false;
  if (s.protocol !== 0 && protocol !== s.protocol) return false;
  if (s.type !== 0 && type !== s.type) return false;
  return s.oif === undefined || oif === s.oif;
}

/** The same selection for a decoded message (the generic way), next hops' devices included. */
export function selected(s: RouteSelection, m: RouteMessageValue): boolean {
  const oifMatches = s.oif === undefined || m.attributes.oif === s.oif || (m.attributes.multipath ?? []).some((nh) => nh.ifindex === s.oif);
  // The device is settled above (next hops included): the rest as for a scanned route.
  return oifMatches && kept(s, m.header.family, m.attributes.table ?? m.header.table, m.header.protocol, m.header.type, s.oif);
}
