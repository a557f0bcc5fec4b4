/**
 * Namespace ids: RTM_NEWNSID / RTM_DELNSID / RTM_GETNSID. A struct rtgenmsg (one family byte,
 * padded to 4 as the kernel and iproute2 send it), then NETNSA_* attributes
 * (<linux/net_namespace.h>).
 *
 * An nsid names a *peer* namespace as seen from the namespace the socket lives in; it is what
 * IFLA_LINK_NETNSID and NDA_LINK_NETNSID refer to.
 */
import { defineAttributeSet, type AttributeValues } from '../attribute-set.js';
import { s32, u32 } from '../fields.js';
import type { MessageCodec } from '../registry.js';
import { defineStruct } from '../struct.js';
import { RtmType } from './constants.js';
import { defineRouteMessage, type RouteMessage } from './route-message-codec.js';

/** struct rtgenmsg, with the alignment padding the kernel puts before the attributes. */
export const rtgenmsg = defineStruct('rtgenmsg', {
  family: 'u8',
  _pad: { pad: 3 },
});
export type Rtgenmsg = ReturnType<typeof rtgenmsg.decodeAt>;

/** NETNSA_* attribute types. */
export const NetnsaAttr = {
  NETNSA_NONE: 0,
  NETNSA_NSID: 1,
  NETNSA_PID: 2,
  NETNSA_FD: 3,
  NETNSA_TARGET_NSID: 4,
  NETNSA_CURRENT_NSID: 5,
} as const;

/** NETNSA_NSID_NOT_ASSIGNED: the peer has no id in this namespace. */
export const NETNSA_NSID_NOT_ASSIGNED = -1;

export const nsidAttributes = defineAttributeSet('nsid', {
  nsid: { type: NetnsaAttr.NETNSA_NSID, codec: s32 },
  pid: { type: NetnsaAttr.NETNSA_PID, codec: u32 },
  fd: { type: NetnsaAttr.NETNSA_FD, codec: u32 },
  targetNsid: { type: NetnsaAttr.NETNSA_TARGET_NSID, codec: s32 },
  currentNsid: { type: NetnsaAttr.NETNSA_CURRENT_NSID, codec: s32 },
});
export type NsidAttributes = AttributeValues<typeof nsidAttributes.specs>;

/** The rtnetlink nsid message family: rtgenmsg + NETNSA_* attributes. */
export const nsidMessage = defineRouteMessage(rtgenmsg, nsidAttributes);
export type NsidMessageValue = RouteMessage<Rtgenmsg, NsidAttributes>;

/** Registry codecs for the nsid message types. */
export const nsidMessageCodecs: ReadonlyMap<number, MessageCodec> = new Map<number, MessageCodec>([
  [RtmType.RTM_NEWNSID, nsidMessage.codec('RTM_NEWNSID') as MessageCodec],
  [RtmType.RTM_DELNSID, nsidMessage.codec('RTM_DELNSID') as MessageCodec],
  [RtmType.RTM_GETNSID, nsidMessage.codec('RTM_GETNSID') as MessageCodec],
]);
