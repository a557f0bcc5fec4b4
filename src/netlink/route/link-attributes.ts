/**
 * The IFLA_* attribute set of link messages (<linux/if_link.h>), declared once. It comes in
 * variants that differ only where the wire format does:
 * - requests vs replies (see link-direction.ts): IFLA_IFALIAS and kind names without the NUL
 *   in iproute2's requests, IPv4 devconf as a nest in requests and an array in replies;
 * - AF_BRIDGE messages, whose IFLA_PROTINFO holds bridge port options and IFLA_AF_SPEC the
 *   IFLA_BRIDGE_* attributes directly (not keyed by address family);
 * - AF_INET6 messages, whose IFLA_PROTINFO holds the IPv6 link information.
 */
import { defineAttributeSet, lazy, type AttributeValues } from '../attribute-set.js';
import { DecodeError } from '../errors.js';
import type { FieldCodec } from '../field.js';
import { binary, cstring, enumOf, flagsOf, linkAddress, rawString, s32, u16, u32, u8 } from '../fields.js';
import { defineGrowableStruct } from '../struct.js';
import { afSpecReply, afSpecRequest, bridgeAfSet, type AfSpec } from './af-spec.js';
import { IflaEvent, Ifla, IflaProtoDownReason, IflaXdp, linkModes, operStates, RtextFilter } from './link-constants.js';
import type { Direction } from './link-direction.js';
import { bridgePortData } from './link-info/bridge-port.js';
import { opaqueNest } from './link-info/common.js';
import { linkInfoCodec, type LinkInfo } from './link-info/linkinfo.js';
import { rtnlLinkStats, rtnlLinkStats64 } from './link-stats.js';

/** struct rtnl_link_ifmap (IFLA_MAP): hardware resources of old ISA-style devices. */
export const rtnlLinkIfmap = defineGrowableStruct('rtnl_link_ifmap', {
  memStart: 'u64',
  memEnd: 'u64',
  baseAddr: 'u64',
  irq: 'u16',
  dma: 'u8',
  port: 'u8',
  _pad: { pad: 4 },
});

const U32_BYTES = 4;
const U64_BYTES = 8;

/**
 * NLA_UINT: an unsigned integer the kernel writes as 4 bytes when it fits and 8 otherwise
 * (e.g. IFLA_MAX_PACING_OFFLOAD_HORIZON). Always a bigint here.
 */
export const uint: FieldCodec<bigint> = {
  kind: 'uint',
  encode(w, v) {
    if (v <= 0xffffffffn) w.u32(Number(v));
    else w.u64(v);
  },
  decode(bytes, at, path) {
    const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    if (bytes.length === U32_BYTES) return BigInt(view.getUint32(0, true));
    if (bytes.length === U64_BYTES) return view.getBigUint64(0, true);
    throw new DecodeError(path, at, `want 4 or 8 bytes, got ${bytes.length}`);
  },
  validate(v) {
    return typeof v === 'bigint' && v >= 0n && v < 2n ** 64n ? undefined : 'must be a bigint from 0 to 2^64-1';
  },
  shape: { t: 'bigint', signed: false },
};

export const xdpAttributes = defineAttributeSet('xdp', {
  fd: { type: IflaXdp.IFLA_XDP_FD, codec: s32 },
  attached: { type: IflaXdp.IFLA_XDP_ATTACHED, codec: u8 },
  flags: { type: IflaXdp.IFLA_XDP_FLAGS, codec: u32 },
  progId: { type: IflaXdp.IFLA_XDP_PROG_ID, codec: u32 },
  drvProgId: { type: IflaXdp.IFLA_XDP_DRV_PROG_ID, codec: u32 },
  skbProgId: { type: IflaXdp.IFLA_XDP_SKB_PROG_ID, codec: u32 },
  hwProgId: { type: IflaXdp.IFLA_XDP_HW_PROG_ID, codec: u32 },
  expectedFd: { type: IflaXdp.IFLA_XDP_EXPECTED_FD, codec: s32 },
}, { nested: false });

/** IFLA_PROP_LIST: link properties, today the alternative names (IFLA_ALT_IFNAME). */
export const propListAttributes = defineAttributeSet('propList', {
  altIfname: { type: Ifla.IFLA_ALT_IFNAME, codec: cstring, repeated: true },
});

export const protoDownReasonAttributes = defineAttributeSet('protoDownReason', {
  mask: { type: IflaProtoDownReason.IFLA_PROTO_DOWN_REASON_MASK, codec: u32 },
  value: { type: IflaProtoDownReason.IFLA_PROTO_DOWN_REASON_VALUE, codec: u32 },
}, { nested: false });

/** The body of a link message as VETH_INFO_PEER nests it (see link-messages.ts). */
export type PeerCodecFactory = (direction: Direction) => FieldCodec<any>;

function linkSpecs(direction: Direction, protinfo: FieldCodec<any>, afSpec: FieldCodec<AfSpec>, linkinfo: FieldCodec<LinkInfo>) {
  // iproute2 sends the alias without its NUL; the kernel replies with it.
  const aliasText = direction === 'request' ? rawString : cstring;
  return {
    address: { type: Ifla.IFLA_ADDRESS, codec: linkAddress },
    broadcast: { type: Ifla.IFLA_BROADCAST, codec: linkAddress },
    ifname: { type: Ifla.IFLA_IFNAME, codec: cstring },
    mtu: { type: Ifla.IFLA_MTU, codec: u32 },
    link: { type: Ifla.IFLA_LINK, codec: u32 },
    qdisc: { type: Ifla.IFLA_QDISC, codec: cstring },
    stats: { type: Ifla.IFLA_STATS, codec: rtnlLinkStats },
    master: { type: Ifla.IFLA_MASTER, codec: u32 },
    wireless: { type: Ifla.IFLA_WIRELESS, codec: binary },
    protinfo: { type: Ifla.IFLA_PROTINFO, codec: protinfo },
    txqlen: { type: Ifla.IFLA_TXQLEN, codec: u32 },
    map: { type: Ifla.IFLA_MAP, codec: rtnlLinkIfmap },
    weight: { type: Ifla.IFLA_WEIGHT, codec: u32 },
    operstate: { type: Ifla.IFLA_OPERSTATE, codec: enumOf(u8, operStates) },
    linkmode: { type: Ifla.IFLA_LINKMODE, codec: enumOf(u8, linkModes) },
    linkinfo: { type: Ifla.IFLA_LINKINFO, codec: linkinfo },
    netNsPid: { type: Ifla.IFLA_NET_NS_PID, codec: u32 },
    ifalias: { type: Ifla.IFLA_IFALIAS, codec: aliasText },
    numVf: { type: Ifla.IFLA_NUM_VF, codec: u32 },
    vfinfoList: { type: Ifla.IFLA_VFINFO_LIST, codec: binary },
    stats64: { type: Ifla.IFLA_STATS64, codec: rtnlLinkStats64 },
    vfPorts: { type: Ifla.IFLA_VF_PORTS, codec: binary },
    portSelf: { type: Ifla.IFLA_PORT_SELF, codec: binary },
    afSpec: { type: Ifla.IFLA_AF_SPEC, codec: afSpec },
    group: { type: Ifla.IFLA_GROUP, codec: u32 },
    netNsFd: { type: Ifla.IFLA_NET_NS_FD, codec: s32 },
    extMask: { type: Ifla.IFLA_EXT_MASK, codec: flagsOf(u32, RtextFilter) },
    promiscuity: { type: Ifla.IFLA_PROMISCUITY, codec: u32 },
    numTxQueues: { type: Ifla.IFLA_NUM_TX_QUEUES, codec: u32 },
    numRxQueues: { type: Ifla.IFLA_NUM_RX_QUEUES, codec: u32 },
    carrier: { type: Ifla.IFLA_CARRIER, codec: u8 },
    physPortId: { type: Ifla.IFLA_PHYS_PORT_ID, codec: binary },
    carrierChanges: { type: Ifla.IFLA_CARRIER_CHANGES, codec: u32 },
    physSwitchId: { type: Ifla.IFLA_PHYS_SWITCH_ID, codec: binary },
    linkNetnsid: { type: Ifla.IFLA_LINK_NETNSID, codec: s32 },
    physPortName: { type: Ifla.IFLA_PHYS_PORT_NAME, codec: cstring },
    protoDown: { type: Ifla.IFLA_PROTO_DOWN, codec: u8 },
    gsoMaxSegs: { type: Ifla.IFLA_GSO_MAX_SEGS, codec: u32 },
    gsoMaxSize: { type: Ifla.IFLA_GSO_MAX_SIZE, codec: u32 },
    xdp: { type: Ifla.IFLA_XDP, codec: xdpAttributes },
    event: { type: Ifla.IFLA_EVENT, codec: enumOf(u32, IflaEvent) },
    newNetnsid: { type: Ifla.IFLA_NEW_NETNSID, codec: s32 },
    targetNetnsid: { type: Ifla.IFLA_TARGET_NETNSID, codec: s32 },
    carrierUpCount: { type: Ifla.IFLA_CARRIER_UP_COUNT, codec: u32 },
    carrierDownCount: { type: Ifla.IFLA_CARRIER_DOWN_COUNT, codec: u32 },
    newIfindex: { type: Ifla.IFLA_NEW_IFINDEX, codec: s32 },
    minMtu: { type: Ifla.IFLA_MIN_MTU, codec: u32 },
    maxMtu: { type: Ifla.IFLA_MAX_MTU, codec: u32 },
    propList: { type: Ifla.IFLA_PROP_LIST, codec: propListAttributes },
    altIfname: { type: Ifla.IFLA_ALT_IFNAME, codec: cstring },
    permAddress: { type: Ifla.IFLA_PERM_ADDRESS, codec: linkAddress },
    protoDownReason: { type: Ifla.IFLA_PROTO_DOWN_REASON, codec: protoDownReasonAttributes },
    parentDevName: { type: Ifla.IFLA_PARENT_DEV_NAME, codec: cstring },
    parentDevBusName: { type: Ifla.IFLA_PARENT_DEV_BUS_NAME, codec: cstring },
    groMaxSize: { type: Ifla.IFLA_GRO_MAX_SIZE, codec: u32 },
    tsoMaxSize: { type: Ifla.IFLA_TSO_MAX_SIZE, codec: u32 },
    tsoMaxSegs: { type: Ifla.IFLA_TSO_MAX_SEGS, codec: u32 },
    allmulti: { type: Ifla.IFLA_ALLMULTI, codec: u32 },
    devlinkPort: { type: Ifla.IFLA_DEVLINK_PORT, codec: opaqueNest },
    gsoIpv4MaxSize: { type: Ifla.IFLA_GSO_IPV4_MAX_SIZE, codec: u32 },
    groIpv4MaxSize: { type: Ifla.IFLA_GRO_IPV4_MAX_SIZE, codec: u32 },
    dpllPin: { type: Ifla.IFLA_DPLL_PIN, codec: opaqueNest },
    maxPacingOffloadHorizon: { type: Ifla.IFLA_MAX_PACING_OFFLOAD_HORIZON, codec: uint },
    netnsImmutable: { type: Ifla.IFLA_NETNS_IMMUTABLE, codec: u8 },
    headroom: { type: Ifla.IFLA_HEADROOM, codec: u16 },
    tailroom: { type: Ifla.IFLA_TAILROOM, codec: u16 },
  } as const;
}

type LinkSpecs = ReturnType<typeof linkSpecs>;
/** The decoded IFLA_* attributes of a link message. */
export type LinkAttributes = AttributeValues<LinkSpecs>;

/** Which header family a set variant is for. */
export type LinkFamilyVariant = 'unspec' | 'bridge' | 'inet6';

/**
 * Build the set variant for a direction and family. `peer` gives the codec of a whole link
 * message body for VETH_INFO_PEER (resolved lazily: the peer contains this very set).
 */
export function linkAttributeSet(direction: Direction, family: LinkFamilyVariant, peer: PeerCodecFactory) {
  const linkinfo = linkInfoCodec(direction, lazy(() => peer(direction)));
  const afSpec = family === 'bridge' ? (bridgeAfSet as unknown as FieldCodec<AfSpec>) : direction === 'request' ? afSpecRequest : afSpecReply;
  // The kernel and `bridge link set` nest bridge port options with NLA_F_NESTED here.
  const protinfo: FieldCodec<any> =
    family === 'bridge' ? { ...bridgePortData, nested: true } : family === 'inet6' ? (afSpecReply.specs.inet6.codec as FieldCodec<any>) : binary;
  return defineAttributeSet('link', linkSpecs(direction, protinfo, afSpec, linkinfo));
}
