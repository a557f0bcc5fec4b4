/**
 * Interface addresses: RTM_NEWADDR / RTM_DELADDR / RTM_GETADDR. struct ifaddrmsg, then IFA_*
 * attributes (<linux/if_addr.h>).
 *
 * IFA_ADDRESS is the prefix (peer) address and IFA_LOCAL the interface's own address; on
 * broadcast interfaces both hold the same value. IFA_FLAGS (u32) supersedes ifa_flags (u8).
 */
import { defineAttributeSet, type AttributeValues } from '../attribute-set.js';
import { cstring, enumOf, flagsOf, ipAddress, s32, u32, u8 } from '../fields.js';
import type { MessageCodec } from '../registry.js';
import { defineStruct } from '../struct.js';
import { RtmType } from './constants.js';
import { defineRouteMessage, type RouteMessage } from './route-message-codec.js';

/** struct ifaddrmsg */
export const ifaddrmsg = defineStruct('ifaddrmsg', {
  family: 'u8',
  prefixlen: 'u8',
  /** The low 8 IFA_F_* bits; IFA_FLAGS carries all of them. */
  flags: 'u8',
  scope: 'u8',
  index: 'u32',
});
export type Ifaddrmsg = ReturnType<typeof ifaddrmsg.decodeAt>;

/** IFA_* attribute types. */
export const IfaAttr = {
  IFA_UNSPEC: 0,
  IFA_ADDRESS: 1,
  IFA_LOCAL: 2,
  IFA_LABEL: 3,
  IFA_BROADCAST: 4,
  IFA_ANYCAST: 5,
  IFA_CACHEINFO: 6,
  IFA_MULTICAST: 7,
  IFA_FLAGS: 8,
  IFA_RT_PRIORITY: 9,
  IFA_TARGET_NETNSID: 10,
  IFA_PROTO: 11,
} as const;

/** ifa_flags / IFA_FLAGS bits (IFA_F_*). IFA_F_TEMPORARY is IFA_F_SECONDARY for IPv6. */
export const IfaFlag = {
  IFA_F_SECONDARY: 0x01,
  IFA_F_NODAD: 0x02,
  IFA_F_OPTIMISTIC: 0x04,
  IFA_F_DADFAILED: 0x08,
  IFA_F_HOMEADDRESS: 0x10,
  IFA_F_DEPRECATED: 0x20,
  IFA_F_TENTATIVE: 0x40,
  IFA_F_PERMANENT: 0x80,
  IFA_F_MANAGETEMPADDR: 0x100,
  IFA_F_NOPREFIXROUTE: 0x200,
  IFA_F_MCAUTOJOIN: 0x400,
  IFA_F_STABLE_PRIVACY: 0x800,
} as const;

/** Address flags as `ip address` names them. */
export const addressFlagNames = {
  secondary: IfaFlag.IFA_F_SECONDARY,
  nodad: IfaFlag.IFA_F_NODAD,
  optimistic: IfaFlag.IFA_F_OPTIMISTIC,
  dadfailed: IfaFlag.IFA_F_DADFAILED,
  home: IfaFlag.IFA_F_HOMEADDRESS,
  deprecated: IfaFlag.IFA_F_DEPRECATED,
  tentative: IfaFlag.IFA_F_TENTATIVE,
  permanent: IfaFlag.IFA_F_PERMANENT,
  mngtmpaddr: IfaFlag.IFA_F_MANAGETEMPADDR,
  noprefixroute: IfaFlag.IFA_F_NOPREFIXROUTE,
  autojoin: IfaFlag.IFA_F_MCAUTOJOIN,
  'stable-privacy': IfaFlag.IFA_F_STABLE_PRIVACY,
} as const;
export type AddressFlagName = keyof typeof addressFlagNames;

/** IFA_PROTO values (IFAPROT_*): who added the address. */
export const IfaProto = {
  IFAPROT_UNSPEC: 0,
  IFAPROT_KERNEL_LO: 1,
  IFAPROT_KERNEL_RA: 2,
  IFAPROT_KERNEL_LL: 3,
} as const;

export const addressProtocolNames = {
  unspec: IfaProto.IFAPROT_UNSPEC,
  kernel_lo: IfaProto.IFAPROT_KERNEL_LO,
  kernel_ra: IfaProto.IFAPROT_KERNEL_RA,
  kernel_ll: IfaProto.IFAPROT_KERNEL_LL,
} as const;

/** INFINITY_LIFE_TIME: a lifetime that never ends ("forever"). */
export const INFINITY_LIFE_TIME = 0xffffffff;

/**
 * struct ifa_cacheinfo. Lifetimes in seconds (INFINITY_LIFE_TIME = forever); `cstamp` and
 * `tstamp` (created, updated) in hundredths of a second since boot.
 */
export const ifaCacheinfo = defineStruct('ifa_cacheinfo', {
  preferred: 'u32',
  valid: 'u32',
  cstamp: 'u32',
  tstamp: 'u32',
});

export const addressAttributes = defineAttributeSet('address', {
  address: { type: IfaAttr.IFA_ADDRESS, codec: ipAddress },
  local: { type: IfaAttr.IFA_LOCAL, codec: ipAddress },
  label: { type: IfaAttr.IFA_LABEL, codec: cstring },
  broadcast: { type: IfaAttr.IFA_BROADCAST, codec: ipAddress },
  anycast: { type: IfaAttr.IFA_ANYCAST, codec: ipAddress },
  cacheinfo: { type: IfaAttr.IFA_CACHEINFO, codec: ifaCacheinfo },
  multicast: { type: IfaAttr.IFA_MULTICAST, codec: ipAddress },
  flags: { type: IfaAttr.IFA_FLAGS, codec: flagsOf(u32, addressFlagNames) },
  rtPriority: { type: IfaAttr.IFA_RT_PRIORITY, codec: u32 },
  targetNetnsid: { type: IfaAttr.IFA_TARGET_NETNSID, codec: s32 },
  proto: { type: IfaAttr.IFA_PROTO, codec: enumOf(u8, addressProtocolNames) },
});
export type AddressAttributes = AttributeValues<typeof addressAttributes.specs>;

/** The rtnetlink address message family: ifaddrmsg + IFA_* attributes. */
export const addressMessage = defineRouteMessage(ifaddrmsg, addressAttributes);
export type AddressMessageValue = RouteMessage<Ifaddrmsg, AddressAttributes>;

/** Registry codecs for the address message types. */
export const addressMessageCodecs: ReadonlyMap<number, MessageCodec> = new Map<number, MessageCodec>([
  [RtmType.RTM_NEWADDR, addressMessage.codec('RTM_NEWADDR') as MessageCodec],
  [RtmType.RTM_DELADDR, addressMessage.codec('RTM_DELADDR') as MessageCodec],
  [RtmType.RTM_GETADDR, addressMessage.codec('RTM_GETADDR') as MessageCodec],
]);
