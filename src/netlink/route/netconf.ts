/**
 * Per-device IP settings as the kernel reports them: RTM_NEWNETCONF / RTM_DELNETCONF /
 * RTM_GETNETCONF. A struct netconfmsg (one family byte, padded to 4), then NETCONFA_*
 * attributes (<linux/netconf.h>). The kernel only reports these; they are changed through
 * sysctls (net.ipv4.conf.DEV.*, net.ipv6.conf.DEV.*).
 */
import { defineAttributeSet, type AttributeValues } from '../attribute-set.js';
import { s32 } from '../fields.js';
import type { MessageCodec } from '../registry.js';
import { defineStruct } from '../struct.js';
import { RtmType } from './constants.js';
import { defineRouteMessage, type RouteMessage } from './route-message-codec.js';

/** struct netconfmsg, with the alignment padding the kernel puts before the attributes. */
export const netconfmsg = defineStruct('netconfmsg', {
  family: 'u8',
  _pad: { pad: 3 },
});
export type Netconfmsg = ReturnType<typeof netconfmsg.decodeAt>;

/** NETCONFA_* attribute types. */
export const NetconfaAttr = {
  NETCONFA_UNSPEC: 0,
  NETCONFA_IFINDEX: 1,
  NETCONFA_FORWARDING: 2,
  NETCONFA_RP_FILTER: 3,
  NETCONFA_MC_FORWARDING: 4,
  NETCONFA_PROXY_NEIGH: 5,
  NETCONFA_IGNORE_ROUTES_WITH_LINKDOWN: 6,
  NETCONFA_INPUT: 7,
  NETCONFA_BC_FORWARDING: 8,
} as const;

/** Special NETCONFA_IFINDEX values: the `all` and `default` settings rather than a device. */
export const NetconfIfindex = {
  NETCONFA_IFINDEX_ALL: -1,
  NETCONFA_IFINDEX_DEFAULT: -2,
} as const;

export const netconfAttributes = defineAttributeSet('netconf', {
  ifindex: { type: NetconfaAttr.NETCONFA_IFINDEX, codec: s32 },
  forwarding: { type: NetconfaAttr.NETCONFA_FORWARDING, codec: s32 },
  rpFilter: { type: NetconfaAttr.NETCONFA_RP_FILTER, codec: s32 },
  mcForwarding: { type: NetconfaAttr.NETCONFA_MC_FORWARDING, codec: s32 },
  proxyNeigh: { type: NetconfaAttr.NETCONFA_PROXY_NEIGH, codec: s32 },
  ignoreRoutesWithLinkdown: { type: NetconfaAttr.NETCONFA_IGNORE_ROUTES_WITH_LINKDOWN, codec: s32 },
  input: { type: NetconfaAttr.NETCONFA_INPUT, codec: s32 },
  bcForwarding: { type: NetconfaAttr.NETCONFA_BC_FORWARDING, codec: s32 },
});
export type NetconfAttributes = AttributeValues<typeof netconfAttributes.specs>;

/** The rtnetlink netconf message family: netconfmsg + NETCONFA_* attributes. */
export const netconfMessage = defineRouteMessage(netconfmsg, netconfAttributes);
export type NetconfMessageValue = RouteMessage<Netconfmsg, NetconfAttributes>;

/** Registry codecs for the netconf message types. */
export const netconfMessageCodecs: ReadonlyMap<number, MessageCodec> = new Map<number, MessageCodec>([
  [RtmType.RTM_NEWNETCONF, netconfMessage.codec('RTM_NEWNETCONF') as MessageCodec],
  [RtmType.RTM_DELNETCONF, netconfMessage.codec('RTM_DELNETCONF') as MessageCodec],
  [RtmType.RTM_GETNETCONF, netconfMessage.codec('RTM_GETNETCONF') as MessageCodec],
]);
