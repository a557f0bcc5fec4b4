/**
 * Neighbours (ARP / NDP entries, and bridge FDB entries for AF_BRIDGE): RTM_NEWNEIGH /
 * RTM_DELNEIGH / RTM_GETNEIGH. struct ndmsg, then NDA_* attributes (<linux/neighbour.h>).
 */
import { defineAttributeSet, type AttributeValues } from '../attribute-set.js';
import { formatLinkAddress, parseLinkAddress } from '../addresses.js';
import { withInPlaceReader, withPathFreeEncode } from '../codec-hints.js';
import type { FieldCodec } from '../field.js';
import { binary, enumOf, flagsOf, ipAddress, s32, u16, u16be, u32, u8 } from '../fields.js';
import type { MessageCodec } from '../registry.js';
import { defineStruct } from '../struct.js';
import { RtmType } from './constants.js';
import { routeProtocolNames } from './route-constants.js';
import { defineRouteMessage, type RouteMessage } from './route-message-codec.js';

/** struct ndmsg */
export const ndmsg = defineStruct('ndmsg', {
  family: 'u8',
  _pad1: { pad: 1 },
  _pad2: { pad: 2 },
  ifindex: 's32',
  /** NUD_* bits. */
  state: 'u16',
  /** NTF_* bits. */
  flags: 'u8',
  /** RTN_* route type of the entry (unicast, multicast, broadcast …). */
  type: 'u8',
});
export type Ndmsg = ReturnType<typeof ndmsg.decodeAt>;

/** NDA_* attribute types. */
export const NdaAttr = {
  NDA_UNSPEC: 0,
  NDA_DST: 1,
  NDA_LLADDR: 2,
  NDA_CACHEINFO: 3,
  NDA_PROBES: 4,
  NDA_VLAN: 5,
  NDA_PORT: 6,
  NDA_VNI: 7,
  NDA_IFINDEX: 8,
  NDA_MASTER: 9,
  NDA_LINK_NETNSID: 10,
  NDA_SRC_VNI: 11,
  NDA_PROTOCOL: 12,
  NDA_NH_ID: 13,
  NDA_FDB_EXT_ATTRS: 14,
  NDA_FLAGS_EXT: 15,
  NDA_NDM_STATE_MASK: 16,
  NDA_NDM_FLAGS_MASK: 17,
} as const;

/** Neighbour cache states (NUD_*). NUD_NOARP and NUD_PERMANENT are pseudo-states. */
export const NudState = {
  NUD_NONE: 0x00,
  NUD_INCOMPLETE: 0x01,
  NUD_REACHABLE: 0x02,
  NUD_STALE: 0x04,
  NUD_DELAY: 0x08,
  NUD_PROBE: 0x10,
  NUD_FAILED: 0x20,
  NUD_NOARP: 0x40,
  NUD_PERMANENT: 0x80,
} as const;

/** States as `ip neigh` names them (lower case of the NUD_ suffix). NUD_NONE is no bit at all. */
export const neighbourStateNames = {
  incomplete: NudState.NUD_INCOMPLETE,
  reachable: NudState.NUD_REACHABLE,
  stale: NudState.NUD_STALE,
  delay: NudState.NUD_DELAY,
  probe: NudState.NUD_PROBE,
  failed: NudState.NUD_FAILED,
  noarp: NudState.NUD_NOARP,
  permanent: NudState.NUD_PERMANENT,
} as const;
export type NeighbourStateName = keyof typeof neighbourStateNames;

/** ndm_flags (NTF_*). */
export const NtfFlag = {
  NTF_USE: 1 << 0,
  NTF_SELF: 1 << 1,
  NTF_MASTER: 1 << 2,
  NTF_PROXY: 1 << 3,
  NTF_EXT_LEARNED: 1 << 4,
  NTF_OFFLOADED: 1 << 5,
  NTF_STICKY: 1 << 6,
  NTF_ROUTER: 1 << 7,
} as const;

export const neighbourFlagNames = {
  use: NtfFlag.NTF_USE,
  self: NtfFlag.NTF_SELF,
  master: NtfFlag.NTF_MASTER,
  proxy: NtfFlag.NTF_PROXY,
  extern_learn: NtfFlag.NTF_EXT_LEARNED,
  offload: NtfFlag.NTF_OFFLOADED,
  sticky: NtfFlag.NTF_STICKY,
  router: NtfFlag.NTF_ROUTER,
} as const;
export type NeighbourFlagName = keyof typeof neighbourFlagNames;

/** NDA_FLAGS_EXT bits (NTF_EXT_*). */
export const NtfExtFlag = {
  NTF_EXT_MANAGED: 1 << 0,
  NTF_EXT_LOCKED: 1 << 1,
  NTF_EXT_EXT_VALIDATED: 1 << 2,
} as const;

export const neighbourExtFlagNames = {
  managed: NtfExtFlag.NTF_EXT_MANAGED,
  locked: NtfExtFlag.NTF_EXT_LOCKED,
  ext_validated: NtfExtFlag.NTF_EXT_EXT_VALIDATED,
} as const;

/** struct nda_cacheinfo: ages in clock ticks (USER_HZ) since confirmed/used/updated. */
export const ndaCacheinfo = defineStruct('nda_cacheinfo', {
  confirmed: 'u32',
  used: 'u32',
  updated: 'u32',
  refcnt: 'u32',
});

/**
 * NDA_LLADDR. Devices without hardware addresses (tun, ipip …) report a zero-length one,
 * which decodes to '' and encodes back to nothing.
 */
const lladdrCodec: FieldCodec<string> = {
  kind: 'lladdr',
  encode(w, v, path) {
    if (v !== '') w.bytes(parseLinkAddress(v, path));
  },
  decode(b) {
    return formatLinkAddress(b);
  },
  shape: { t: 'lladdr' },
};
// Read in place by the compiled decoder: every neighbour of a dump has one.
export const neighbourLinkAddress: FieldCodec<string> = withPathFreeEncode(withInPlaceReader(lladdrCodec, (b, o, l) => formatLinkAddress(b, o, o + l)));

export const neighbourAttributes = defineAttributeSet('neighbour', {
  dst: { type: NdaAttr.NDA_DST, codec: ipAddress },
  lladdr: { type: NdaAttr.NDA_LLADDR, codec: neighbourLinkAddress },
  cacheinfo: { type: NdaAttr.NDA_CACHEINFO, codec: ndaCacheinfo },
  probes: { type: NdaAttr.NDA_PROBES, codec: u32 },
  vlan: { type: NdaAttr.NDA_VLAN, codec: u16 },
  port: { type: NdaAttr.NDA_PORT, codec: u16be },
  vni: { type: NdaAttr.NDA_VNI, codec: u32 },
  ifindex: { type: NdaAttr.NDA_IFINDEX, codec: u32 },
  master: { type: NdaAttr.NDA_MASTER, codec: u32 },
  linkNetnsid: { type: NdaAttr.NDA_LINK_NETNSID, codec: s32 },
  srcVni: { type: NdaAttr.NDA_SRC_VNI, codec: u32 },
  protocol: { type: NdaAttr.NDA_PROTOCOL, codec: enumOf(u8, routeProtocolNames) },
  nhId: { type: NdaAttr.NDA_NH_ID, codec: u32 },
  fdbExtAttrs: { type: NdaAttr.NDA_FDB_EXT_ATTRS, codec: binary },
  flagsExt: { type: NdaAttr.NDA_FLAGS_EXT, codec: flagsOf(u32, neighbourExtFlagNames) },
  stateMask: { type: NdaAttr.NDA_NDM_STATE_MASK, codec: u16 },
  flagsMask: { type: NdaAttr.NDA_NDM_FLAGS_MASK, codec: u8 },
});
export type NeighbourAttributes = AttributeValues<typeof neighbourAttributes.specs>;

/** The rtnetlink neighbour message family: ndmsg + NDA_* attributes. */
export const neighbourMessage = defineRouteMessage(ndmsg, neighbourAttributes);
export type NeighbourMessageValue = RouteMessage<Ndmsg, NeighbourAttributes>;

/** Registry codecs for the neighbour message types. */
export const neighbourMessageCodecs: ReadonlyMap<number, MessageCodec> = new Map<number, MessageCodec>([
  [RtmType.RTM_NEWNEIGH, neighbourMessage.codec('RTM_NEWNEIGH') as MessageCodec],
  [RtmType.RTM_DELNEIGH, neighbourMessage.codec('RTM_DELNEIGH') as MessageCodec],
  [RtmType.RTM_GETNEIGH, neighbourMessage.codec('RTM_GETNEIGH') as MessageCodec],
]);
