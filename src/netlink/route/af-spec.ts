/**
 * IFLA_AF_SPEC: per address family link settings (<linux/if_link.h>, <linux/if_bridge.h>). The
 * nest is keyed by address family: AF_INET (IPv4 devconf), AF_INET6 (IPv6 flags, devconf,
 * statistics, address generation mode, token) and AF_BRIDGE (bridge port flags and VLANs).
 * Families this file does not know (AF_MPLS …) are kept as unknown attributes.
 */
import { defineAttributeSet, type AttributeValues } from '../attribute-set.js';
import { DecodeError } from '../errors.js';
import { viewOfBuffer, withInPlaceReader } from '../codec-hints.js';
import type { FieldCodec } from '../field.js';
import { binary, enumOf, flagsOf, ipAddress, u16, u32, u8 } from '../fields.js';
import { defineStruct } from '../struct.js';
import { AddressFamily } from './constants.js';
import { ipv4DevconfArray, ipv4DevconfRequest, ipv6DevconfArray } from './af-spec-devconf.js';
import type { Direction } from './link-direction.js';

/** IFLA_INET_* (<linux/if_link.h>). */
export const IflaInet = {
  IFLA_INET_CONF: 1,
} as const;

/** IFLA_INET6_* (<linux/if_link.h>). */
export const IflaInet6 = {
  IFLA_INET6_FLAGS: 1,
  IFLA_INET6_CONF: 2,
  IFLA_INET6_STATS: 3,
  IFLA_INET6_MCAST: 4,
  IFLA_INET6_CACHEINFO: 5,
  IFLA_INET6_ICMP6STATS: 6,
  IFLA_INET6_TOKEN: 7,
  IFLA_INET6_ADDR_GEN_MODE: 8,
  IFLA_INET6_RA_MTU: 9,
} as const;

/** IPv6 interface flags of IFLA_INET6_FLAGS (<linux/if_addr.h>/<net/if_inet6.h> IF_*). */
export const Inet6Flags = {
  IF_RS_SENT: 0x10,
  IF_RA_RCVD: 0x20,
  IF_RA_MANAGED: 0x40,
  IF_RA_OTHERCONF: 0x80,
  IF_READY: 0x80000000,
} as const;

/** enum in6_addr_gen_mode (IFLA_INET6_ADDR_GEN_MODE). */
export const In6AddrGenMode = {
  IN6_ADDR_GEN_MODE_EUI64: 0,
  IN6_ADDR_GEN_MODE_NONE: 1,
  IN6_ADDR_GEN_MODE_STABLE_PRIVACY: 2,
  IN6_ADDR_GEN_MODE_RANDOM: 3,
} as const;

/** The names `ip link set … addrgenmode` uses. */
export const addrGenModes = {
  eui64: In6AddrGenMode.IN6_ADDR_GEN_MODE_EUI64,
  none: In6AddrGenMode.IN6_ADDR_GEN_MODE_NONE,
  stable_secret: In6AddrGenMode.IN6_ADDR_GEN_MODE_STABLE_PRIVACY,
  random: In6AddrGenMode.IN6_ADDR_GEN_MODE_RANDOM,
} as const;
export type AddrGenMode = keyof typeof addrGenModes;

/** IFLA_BRIDGE_* inside AF_BRIDGE (<linux/if_bridge.h>). */
export const IflaBridge = {
  IFLA_BRIDGE_FLAGS: 0,
  IFLA_BRIDGE_MODE: 1,
  IFLA_BRIDGE_VLAN_INFO: 2,
  IFLA_BRIDGE_VLAN_TUNNEL_INFO: 3,
  IFLA_BRIDGE_MRP: 4,
  IFLA_BRIDGE_CFM: 5,
  IFLA_BRIDGE_MST: 6,
} as const;

/** BRIDGE_FLAGS_* of IFLA_BRIDGE_FLAGS: whom a bridge port request addresses. */
export const BridgeFlags = {
  BRIDGE_FLAGS_MASTER: 1,
  BRIDGE_FLAGS_SELF: 2,
} as const;

/** BRIDGE_MODE_* of IFLA_BRIDGE_MODE. */
export const BridgeMode = {
  BRIDGE_MODE_VEB: 0,
  BRIDGE_MODE_VEPA: 1,
} as const;

const U64_BYTES = 8;

/**
 * An array of u64 counters (IFLA_INET6_STATS, IFLA_INET6_ICMP6STATS). Element 0 is the
 * number of counters; their order changed across kernels, so they stay an array.
 */
export const u64Array: FieldCodec<bigint[]> = withInPlaceReader({
  kind: 'u64[]',
  decode(bytes, at, path) {
    if (bytes.length % U64_BYTES !== 0) throw new DecodeError(path, at, `${bytes.length} bytes is not a whole number of u64 counters`);
    const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    const out: bigint[] = new Array(bytes.length / U64_BYTES);
    for (let i = 0; i < out.length; i++) out[i] = view.getBigUint64(i * U64_BYTES, true);
    return out;
  },
  encode(w, value) {
    for (const n of value) w.u64(n);
  },
  validate(value) {
    if (!Array.isArray(value)) return 'must be an array of bigint counters';
    return value.every((n) => typeof n === 'bigint' && n >= 0n && n < 2n ** 64n) ? undefined : 'counters must be bigints from 0 to 2^64-1';
  },
}, (b, o, l) => {
  // In place, through the buffer's shared view (no subarray or DataView per attribute).
  if (l % U64_BYTES !== 0) return undefined;
  const view = viewOfBuffer(b);
  const out: bigint[] = new Array(l / U64_BYTES);
  for (let i = 0; i < out.length; i++) out[i] = view.getBigUint64(b.byteOffset + o + i * U64_BYTES, true);
  return out;
});

/** struct ifla_cacheinfo (IFLA_INET6_CACHEINFO); times in milliseconds, tstamp in 1/100 s. */
export const iflaCacheinfo = defineStruct('ifla_cacheinfo', {
  maxReasmLen: 'u32',
  tstamp: 'u32',
  reachableTime: 'u32',
  retransTime: 'u32',
});

/** struct bridge_vlan_info (IFLA_BRIDGE_VLAN_INFO). */
export const bridgeVlanInfo = defineStruct('bridge_vlan_info', {
  flags: 'u16',
  vid: 'u16',
});

function inetSet(direction: Direction) {
  return defineAttributeSet('inet', {
    conf: { type: IflaInet.IFLA_INET_CONF, codec: direction === 'request' ? ipv4DevconfRequest : ipv4DevconfArray },
  }, { nested: false });
}

const inet6Set = defineAttributeSet('inet6', {
  flags: { type: IflaInet6.IFLA_INET6_FLAGS, codec: flagsOf(u32, Inet6Flags) },
  conf: { type: IflaInet6.IFLA_INET6_CONF, codec: ipv6DevconfArray },
  stats: { type: IflaInet6.IFLA_INET6_STATS, codec: u64Array },
  mcast: { type: IflaInet6.IFLA_INET6_MCAST, codec: binary },
  cacheinfo: { type: IflaInet6.IFLA_INET6_CACHEINFO, codec: iflaCacheinfo },
  icmp6stats: { type: IflaInet6.IFLA_INET6_ICMP6STATS, codec: u64Array },
  token: { type: IflaInet6.IFLA_INET6_TOKEN, codec: ipAddress },
  addrGenMode: { type: IflaInet6.IFLA_INET6_ADDR_GEN_MODE, codec: enumOf(u8, addrGenModes) },
  raMtu: { type: IflaInet6.IFLA_INET6_RA_MTU, codec: u32 },
}, { nested: false });

/** The AF_BRIDGE part: port flags, mode and VLANs (bridge ports and `bridge link set`). */
export const bridgeAfSet = defineAttributeSet('bridge', {
  flags: { type: IflaBridge.IFLA_BRIDGE_FLAGS, codec: flagsOf(u16, BridgeFlags) },
  mode: { type: IflaBridge.IFLA_BRIDGE_MODE, codec: enumOf(u16, { veb: BridgeMode.BRIDGE_MODE_VEB, vepa: BridgeMode.BRIDGE_MODE_VEPA }) },
  vlanInfo: { type: IflaBridge.IFLA_BRIDGE_VLAN_INFO, codec: bridgeVlanInfo, repeated: true },
  vlanTunnelInfo: { type: IflaBridge.IFLA_BRIDGE_VLAN_TUNNEL_INFO, codec: binary, repeated: true },
  mrp: { type: IflaBridge.IFLA_BRIDGE_MRP, codec: binary },
  cfm: { type: IflaBridge.IFLA_BRIDGE_CFM, codec: binary },
  mst: { type: IflaBridge.IFLA_BRIDGE_MST, codec: binary },
}, { nested: false });

function afSpecSet(direction: Direction) {
  return defineAttributeSet('afSpec', {
    inet: { type: AddressFamily.AF_INET, codec: inetSet(direction) },
    inet6: { type: AddressFamily.AF_INET6, codec: inet6Set },
    bridge: { type: AddressFamily.AF_BRIDGE, codec: bridgeAfSet },
  }, { nested: false });
}

/** IFLA_AF_SPEC as the kernel sends it (IPv4 devconf as an array). */
export const afSpecReply = afSpecSet('reply');
/** IFLA_AF_SPEC as requests carry it (IPv4 devconf as a nest of indexed attributes). */
export const afSpecRequest = afSpecSet('request') as unknown as typeof afSpecReply;

export type AfSpec = AttributeValues<typeof afSpecReply.specs>;
export type Inet6Info = AttributeValues<typeof inet6Set.specs>;
export type BridgeAfSpec = AttributeValues<typeof bridgeAfSet.specs>;
