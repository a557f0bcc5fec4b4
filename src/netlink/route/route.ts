/**
 * Routes: RTM_NEWROUTE / RTM_DELROUTE / RTM_GETROUTE. struct rtmsg, then RTA_* attributes
 * (<linux/rtnetlink.h>). Multipath next hops, metrics and RTA_VIA live in their own files.
 */
import { defineAttributeSet, type AttributeValues } from '../attribute-set.js';
import { DecodeError } from '../errors.js';
import type { FieldCodec } from '../field.js';
import { binary, enumOf, ipAddress, u16, u16be, u32, u32be, u8 } from '../fields.js';
import type { MessageCodec } from '../registry.js';
import { defineStruct } from '../struct.js';
import { RtmType } from './constants.js';
import { defineRouteMessage, type RouteMessage } from './route-message-codec.js';
import { encapTypeNames, RtaAttr, routerPreferenceNames } from './route-constants.js';
import { routeMetricsAttributes } from './route-metrics.js';
import { routeNexthops } from './route-nexthops.js';
import { routeVia } from './route-via.js';

/** struct rtmsg */
export const rtmsg = defineStruct('rtmsg', {
  family: 'u8',
  dstLen: 'u8',
  srcLen: 'u8',
  tos: 'u8',
  /** The table id when it fits in a byte; RT_TABLE_COMPAT with RTA_TABLE otherwise. */
  table: 'u8',
  protocol: 'u8',
  scope: 'u8',
  type: 'u8',
  flags: 'u32',
});
export type Rtmsg = ReturnType<typeof rtmsg.decodeAt>;

/** struct rta_cacheinfo: times in clock ticks (USER_HZ), `expires` may be negative. */
export const rtaCacheinfo = defineStruct('rta_cacheinfo', {
  clntref: 'u32',
  lastuse: 'u32',
  expires: 's32',
  error: 'u32',
  used: 'u32',
  id: 'u32',
  ts: 'u32',
  tsage: 'u32',
});

/** struct rta_mfc_stats: multicast forwarding counters. */
export const rtaMfcStats = defineStruct('rta_mfc_stats', {
  packets: 'u64',
  bytes: 'u64',
  wrongIf: 'u64',
});

const U32_BYTES = 4;
const U64_BYTES = 8;

/**
 * RTA_EXPIRES has two widths: IPv6 route requests carry seconds as a u32, while multicast route
 * dumps (ipmr) carry a u64 (padded with RTA_PAD). The value keeps the width: number or bigint.
 */
export const routeExpires: FieldCodec<number | bigint> = {
  kind: 'u32|u64',
  encode(w, v) {
    if (typeof v === 'bigint') w.u64(v);
    else w.u32(v);
  },
  decode(b, at, path) {
    const view = new DataView(b.buffer, b.byteOffset, b.byteLength);
    if (b.length === U32_BYTES) return view.getUint32(0, true);
    if (b.length === U64_BYTES) return view.getBigUint64(0, true);
    throw new DecodeError(path, at, `want 4 or 8 bytes, got ${b.length}`);
  },
  validate(v) {
    if (typeof v === 'bigint') return v >= 0n && v < 2n ** 64n ? undefined : 'out of 64-bit range';
    return Number.isInteger(v) && v >= 0 && v <= 0xffffffff ? undefined : 'must be an integer from 0 to 4294967295 (or a bigint)';
  },
};

export const routeAttributes = defineAttributeSet('route', {
  dst: { type: RtaAttr.RTA_DST, codec: ipAddress },
  src: { type: RtaAttr.RTA_SRC, codec: ipAddress },
  iif: { type: RtaAttr.RTA_IIF, codec: u32 },
  oif: { type: RtaAttr.RTA_OIF, codec: u32 },
  gateway: { type: RtaAttr.RTA_GATEWAY, codec: ipAddress },
  priority: { type: RtaAttr.RTA_PRIORITY, codec: u32 },
  prefsrc: { type: RtaAttr.RTA_PREFSRC, codec: ipAddress },
  metrics: { type: RtaAttr.RTA_METRICS, codec: routeMetricsAttributes },
  multipath: { type: RtaAttr.RTA_MULTIPATH, codec: routeNexthops },
  flow: { type: RtaAttr.RTA_FLOW, codec: u32 },
  cacheinfo: { type: RtaAttr.RTA_CACHEINFO, codec: rtaCacheinfo },
  table: { type: RtaAttr.RTA_TABLE, codec: u32 },
  mark: { type: RtaAttr.RTA_MARK, codec: u32 },
  mfcStats: { type: RtaAttr.RTA_MFC_STATS, codec: rtaMfcStats },
  via: { type: RtaAttr.RTA_VIA, codec: routeVia },
  newdst: { type: RtaAttr.RTA_NEWDST, codec: binary },
  pref: { type: RtaAttr.RTA_PREF, codec: enumOf(u8, routerPreferenceNames) },
  encapType: { type: RtaAttr.RTA_ENCAP_TYPE, codec: enumOf(u16, encapTypeNames) },
  encap: { type: RtaAttr.RTA_ENCAP, codec: binary },
  expires: { type: RtaAttr.RTA_EXPIRES, codec: routeExpires },
  pad: { type: RtaAttr.RTA_PAD, codec: binary },
  uid: { type: RtaAttr.RTA_UID, codec: u32 },
  ttlPropagate: { type: RtaAttr.RTA_TTL_PROPAGATE, codec: u8 },
  ipProto: { type: RtaAttr.RTA_IP_PROTO, codec: u8 },
  sport: { type: RtaAttr.RTA_SPORT, codec: u16be },
  dport: { type: RtaAttr.RTA_DPORT, codec: u16be },
  nhId: { type: RtaAttr.RTA_NH_ID, codec: u32 },
  flowlabel: { type: RtaAttr.RTA_FLOWLABEL, codec: u32be },
});
export type RouteAttributes = AttributeValues<typeof routeAttributes.specs>;

/** The rtnetlink route message family: rtmsg + RTA_* attributes. */
export const routeMessage = defineRouteMessage(rtmsg, routeAttributes);
export type RouteMessageValue = RouteMessage<Rtmsg, RouteAttributes>;

/** Registry codecs for the route message types. */
export const routeMessageCodecs: ReadonlyMap<number, MessageCodec> = new Map<number, MessageCodec>([
  [RtmType.RTM_NEWROUTE, routeMessage.codec('RTM_NEWROUTE') as MessageCodec],
  [RtmType.RTM_DELROUTE, routeMessage.codec('RTM_DELROUTE') as MessageCodec],
  [RtmType.RTM_GETROUTE, routeMessage.codec('RTM_GETROUTE') as MessageCodec],
]);
