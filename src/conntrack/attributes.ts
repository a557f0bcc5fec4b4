/**
 * ctnetlink attribute sets (enum ctattr_type and its nests). Only what conntrack listing and
 * deletion need is typed; everything else is kept as unknown attributes, byte-exact.
 */
import { defineAttributeSet, type AttributeValues } from '../netlink/attribute-set.js';
import { enumOf, flagsOf, ipAddress, u16be, u32be, u64be, u8 } from '../netlink/fields.js';
import { CtStatus, IpProto } from './constants.js';

/** enum ctattr_ip */
export const ctIpAttributes = defineAttributeSet('ip', {
  v4Src: { type: 1, codec: ipAddress }, // CTA_IP_V4_SRC
  v4Dst: { type: 2, codec: ipAddress }, // CTA_IP_V4_DST
  v6Src: { type: 3, codec: ipAddress }, // CTA_IP_V6_SRC
  v6Dst: { type: 4, codec: ipAddress }, // CTA_IP_V6_DST
});

/** enum ctattr_l4proto */
export const ctProtoAttributes = defineAttributeSet('proto', {
  num: { type: 1, codec: enumOf(u8, IpProto) }, // CTA_PROTO_NUM
  srcPort: { type: 2, codec: u16be }, // CTA_PROTO_SRC_PORT
  dstPort: { type: 3, codec: u16be }, // CTA_PROTO_DST_PORT
  icmpId: { type: 4, codec: u16be }, // CTA_PROTO_ICMP_ID
  icmpType: { type: 5, codec: u8 }, // CTA_PROTO_ICMP_TYPE
  icmpCode: { type: 6, codec: u8 }, // CTA_PROTO_ICMP_CODE
  icmpv6Id: { type: 7, codec: u16be }, // CTA_PROTO_ICMPV6_ID
  icmpv6Type: { type: 8, codec: u8 }, // CTA_PROTO_ICMPV6_TYPE
  icmpv6Code: { type: 9, codec: u8 }, // CTA_PROTO_ICMPV6_CODE
});

/** enum ctattr_tuple */
export const ctTupleAttributes = defineAttributeSet('tuple', {
  ip: { type: 1, codec: ctIpAttributes }, // CTA_TUPLE_IP
  proto: { type: 2, codec: ctProtoAttributes }, // CTA_TUPLE_PROTO
  zone: { type: 3, codec: u16be }, // CTA_TUPLE_ZONE
});
export type CtTupleAttributes = AttributeValues<typeof ctTupleAttributes.specs>;

/** enum ctattr_counters */
export const ctCounterAttributes = defineAttributeSet('counters', {
  packets: { type: 1, codec: u64be }, // CTA_COUNTERS_PACKETS
  bytes: { type: 2, codec: u64be }, // CTA_COUNTERS_BYTES
});

/** enum ctattr_type */
export const conntrackAttributes = defineAttributeSet('conntrack', {
  orig: { type: 1, codec: ctTupleAttributes }, // CTA_TUPLE_ORIG
  reply: { type: 2, codec: ctTupleAttributes }, // CTA_TUPLE_REPLY
  status: { type: 3, codec: flagsOf(u32be, CtStatus) }, // CTA_STATUS
  timeout: { type: 7, codec: u32be }, // CTA_TIMEOUT (seconds)
  mark: { type: 8, codec: u32be }, // CTA_MARK
  countersOrig: { type: 9, codec: ctCounterAttributes }, // CTA_COUNTERS_ORIG
  countersReply: { type: 10, codec: ctCounterAttributes }, // CTA_COUNTERS_REPLY
  use: { type: 11, codec: u32be }, // CTA_USE
  id: { type: 12, codec: u32be }, // CTA_ID
  zone: { type: 18, codec: u16be }, // CTA_ZONE
});
export type ConntrackAttributes = AttributeValues<typeof conntrackAttributes.specs>;
