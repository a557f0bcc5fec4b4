/**
 * vxlan (<linux/if_link.h> IFLA_VXLAN_*). Ports, the flow label and the VNI-independent
 * addresses are in network byte order where the kernel says so (__be16, __be32).
 */
import { defineAttributeSet, type AttributeValues } from '../../attribute-set.js';
import { binary, enumOf, flag, ipAddress, u16be, u32, u32be, u8 } from '../../fields.js';
import { defineStruct } from '../../struct.js';
import { flagOrU8, type LinkKindCodecs } from './common.js';

export const IflaVxlan = {
  IFLA_VXLAN_ID: 1,
  IFLA_VXLAN_GROUP: 2,
  IFLA_VXLAN_LINK: 3,
  IFLA_VXLAN_LOCAL: 4,
  IFLA_VXLAN_TTL: 5,
  IFLA_VXLAN_TOS: 6,
  IFLA_VXLAN_LEARNING: 7,
  IFLA_VXLAN_AGEING: 8,
  IFLA_VXLAN_LIMIT: 9,
  IFLA_VXLAN_PORT_RANGE: 10,
  IFLA_VXLAN_PROXY: 11,
  IFLA_VXLAN_RSC: 12,
  IFLA_VXLAN_L2MISS: 13,
  IFLA_VXLAN_L3MISS: 14,
  IFLA_VXLAN_PORT: 15,
  IFLA_VXLAN_GROUP6: 16,
  IFLA_VXLAN_LOCAL6: 17,
  IFLA_VXLAN_UDP_CSUM: 18,
  IFLA_VXLAN_UDP_ZERO_CSUM6_TX: 19,
  IFLA_VXLAN_UDP_ZERO_CSUM6_RX: 20,
  IFLA_VXLAN_REMCSUM_TX: 21,
  IFLA_VXLAN_REMCSUM_RX: 22,
  IFLA_VXLAN_GBP: 23,
  IFLA_VXLAN_REMCSUM_NOPARTIAL: 24,
  IFLA_VXLAN_COLLECT_METADATA: 25,
  IFLA_VXLAN_LABEL: 26,
  IFLA_VXLAN_GPE: 27,
  IFLA_VXLAN_TTL_INHERIT: 28,
  IFLA_VXLAN_DF: 29,
  IFLA_VXLAN_VNIFILTER: 30,
  IFLA_VXLAN_LOCALBYPASS: 31,
  IFLA_VXLAN_LABEL_POLICY: 32,
  IFLA_VXLAN_RESERVED_BITS: 33,
  IFLA_VXLAN_MC_ROUTE: 34,
} as const;

/** enum ifla_vxlan_df */
export const vxlanDfModes = { unset: 0, set: 1, inherit: 2 } as const;
/** enum ifla_vxlan_label_policy */
export const vxlanLabelPolicies = { fixed: 0, inherit: 1 } as const;

/** struct ifla_vxlan_port_range: UDP source port range (network byte order). */
export const vxlanPortRange = defineStruct('ifla_vxlan_port_range', {
  low: 'u16be',
  high: 'u16be',
});

export const vxlanData = defineAttributeSet('vxlan', {
  id: { type: IflaVxlan.IFLA_VXLAN_ID, codec: u32 },
  group: { type: IflaVxlan.IFLA_VXLAN_GROUP, codec: ipAddress },
  link: { type: IflaVxlan.IFLA_VXLAN_LINK, codec: u32 },
  local: { type: IflaVxlan.IFLA_VXLAN_LOCAL, codec: ipAddress },
  ttl: { type: IflaVxlan.IFLA_VXLAN_TTL, codec: u8 },
  tos: { type: IflaVxlan.IFLA_VXLAN_TOS, codec: u8 },
  learning: { type: IflaVxlan.IFLA_VXLAN_LEARNING, codec: u8 },
  ageing: { type: IflaVxlan.IFLA_VXLAN_AGEING, codec: u32 },
  limit: { type: IflaVxlan.IFLA_VXLAN_LIMIT, codec: u32 },
  portRange: { type: IflaVxlan.IFLA_VXLAN_PORT_RANGE, codec: vxlanPortRange },
  proxy: { type: IflaVxlan.IFLA_VXLAN_PROXY, codec: u8 },
  rsc: { type: IflaVxlan.IFLA_VXLAN_RSC, codec: u8 },
  l2miss: { type: IflaVxlan.IFLA_VXLAN_L2MISS, codec: u8 },
  l3miss: { type: IflaVxlan.IFLA_VXLAN_L3MISS, codec: u8 },
  port: { type: IflaVxlan.IFLA_VXLAN_PORT, codec: u16be },
  group6: { type: IflaVxlan.IFLA_VXLAN_GROUP6, codec: ipAddress },
  local6: { type: IflaVxlan.IFLA_VXLAN_LOCAL6, codec: ipAddress },
  udpCsum: { type: IflaVxlan.IFLA_VXLAN_UDP_CSUM, codec: u8 },
  udpZeroCsum6Tx: { type: IflaVxlan.IFLA_VXLAN_UDP_ZERO_CSUM6_TX, codec: u8 },
  udpZeroCsum6Rx: { type: IflaVxlan.IFLA_VXLAN_UDP_ZERO_CSUM6_RX, codec: u8 },
  remcsumTx: { type: IflaVxlan.IFLA_VXLAN_REMCSUM_TX, codec: u8 },
  remcsumRx: { type: IflaVxlan.IFLA_VXLAN_REMCSUM_RX, codec: u8 },
  gbp: { type: IflaVxlan.IFLA_VXLAN_GBP, codec: flag },
  remcsumNopartial: { type: IflaVxlan.IFLA_VXLAN_REMCSUM_NOPARTIAL, codec: flag },
  collectMetadata: { type: IflaVxlan.IFLA_VXLAN_COLLECT_METADATA, codec: u8 },
  label: { type: IflaVxlan.IFLA_VXLAN_LABEL, codec: u32be },
  gpe: { type: IflaVxlan.IFLA_VXLAN_GPE, codec: flag },
  ttlInherit: { type: IflaVxlan.IFLA_VXLAN_TTL_INHERIT, codec: flagOrU8 },
  df: { type: IflaVxlan.IFLA_VXLAN_DF, codec: enumOf(u8, vxlanDfModes) },
  vnifilter: { type: IflaVxlan.IFLA_VXLAN_VNIFILTER, codec: u8 },
  localbypass: { type: IflaVxlan.IFLA_VXLAN_LOCALBYPASS, codec: u8 },
  labelPolicy: { type: IflaVxlan.IFLA_VXLAN_LABEL_POLICY, codec: enumOf(u32, vxlanLabelPolicies) },
  reservedBits: { type: IflaVxlan.IFLA_VXLAN_RESERVED_BITS, codec: binary },
  mcRoute: { type: IflaVxlan.IFLA_VXLAN_MC_ROUTE, codec: u8 },
}, { nested: false });

export type VxlanData = AttributeValues<typeof vxlanData.specs>;

export const vxlanKind: LinkKindCodecs = { kind: 'vxlan', data: vxlanData };
