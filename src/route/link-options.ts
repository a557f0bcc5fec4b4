/**
 * The options of link creation and change, as users write them (`stp: true`, `hairpin: true`),
 * and their translation to the kernel's attributes (IFLA_BR_STP_STATE 1, IFLA_BRPORT_MODE 1).
 * Every option is validated here, before anything is sent.
 */
import { parseIp } from '../netlink/addresses.js';
import { ValidationError } from '../netlink/errors.js';
import type { AddrGenMode } from '../netlink/route/af-spec.js';
import { addrGenModes } from '../netlink/route/af-spec.js';
import type { Ipv4DevconfValues } from '../netlink/route/af-spec-devconf.js';
import { validateIpv4Devconf } from '../netlink/route/af-spec-devconf.js';
import { bridgeVlanProtocols, type BridgeData } from '../netlink/route/link-info/bridge.js';
import { bridgePortStates, type BridgePortData, type BridgePortState } from '../netlink/route/link-info/bridge-port.js';
import { macvlanModes, type MacvlanData, type MacvlanMode } from '../netlink/route/link-info/macvlan.js';
import type { VxlanData } from '../netlink/route/link-info/vxlan.js';
import type { NetnsRef } from '../netns/handle.js';
import { rejectUnknownKeys, validateBoolean, validateInteger, validateU32, type LinkRef } from './link-validate.js';

const U8_MAX = 0xff;
const U16_MAX = 0xffff;
const VNI_MAX = 0xffffff;
const PORT_MIN = 1;
const PORT_MAX = 0xffff;
const VID_MAX = 4094;
/** STP port path cost and priority ranges (BR_MIN_PATH_COST … BR_MAX_PORT_PRIORITY). */
const PORT_COST_MIN = 1;
const PORT_COST_MAX = 65535;
const PORT_PRIORITY_MAX = 63;

/** Options every created link accepts. */
export interface CommonLinkOptions {
  mtu?: number;
  /** MAC address, e.g. `02:00:00:00:00:01`. */
  address?: string;
  txqueuelen?: number;
  group?: number;
  alias?: string;
  /** Bring the link up as it is created. */
  up?: boolean;
  /** Create the link directly inside this namespace. */
  netns?: NetnsRef;
  /** Attach to this bridge as it is created. */
  master?: LinkRef;
}
export const COMMON_OPTION_KEYS = ['name', 'mtu', 'address', 'txqueuelen', 'group', 'alias', 'up', 'netns', 'master'] as const;

/** Bridge options (IFLA_BR_*). Times are in 1/100 s, as `ip link … type bridge` takes them. */
export interface BridgeOptions {
  /** Spanning tree on or off (IFLA_BR_STP_STATE). */
  stp?: boolean;
  /** Forward delay in 1/100 s (1500 = 15 s; the kernel wants 2–30 s while STP is on). */
  forwardDelay?: number;
  helloTime?: number;
  maxAge?: number;
  /** How long learned MAC addresses live, in 1/100 s (30000 = 300 s). */
  ageingTime?: number;
  /** STP bridge priority, 0–65535. */
  priority?: number;
  vlanFiltering?: boolean;
  vlanProtocol?: keyof typeof bridgeVlanProtocols;
  vlanDefaultPvid?: number;
  mcastSnooping?: boolean;
  groupFwdMask?: number;
}
const BRIDGE_KEYS = ['stp', 'forwardDelay', 'helloTime', 'maxAge', 'ageingTime', 'priority', 'vlanFiltering', 'vlanProtocol', 'vlanDefaultPvid', 'mcastSnooping', 'groupFwdMask'] as const;

const bit = (b: boolean): number => (b ? 1 : 0);

export function bridgeData(o: BridgeOptions, field = ''): BridgeData {
  const f = (k: string): string => (field ? `${field}.${k}` : k);
  const d: BridgeData = {};
  if (o.stp !== undefined) (validateBoolean(o.stp, f('stp')), (d.stpState = bit(o.stp)));
  if (o.forwardDelay !== undefined) (validateU32(o.forwardDelay, f('forwardDelay')), (d.forwardDelay = o.forwardDelay));
  if (o.helloTime !== undefined) (validateU32(o.helloTime, f('helloTime')), (d.helloTime = o.helloTime));
  if (o.maxAge !== undefined) (validateU32(o.maxAge, f('maxAge')), (d.maxAge = o.maxAge));
  if (o.ageingTime !== undefined) (validateU32(o.ageingTime, f('ageingTime')), (d.ageingTime = o.ageingTime));
  if (o.priority !== undefined) (validateInteger(o.priority, f('priority'), 0, U16_MAX), (d.priority = o.priority));
  if (o.vlanFiltering !== undefined) (validateBoolean(o.vlanFiltering, f('vlanFiltering')), (d.vlanFiltering = bit(o.vlanFiltering)));
  if (o.vlanProtocol !== undefined) {
    if (!Object.hasOwn(bridgeVlanProtocols, o.vlanProtocol)) throw new ValidationError(f('vlanProtocol'), `must be one of ${Object.keys(bridgeVlanProtocols).join(', ')}`, o.vlanProtocol);
    d.vlanProtocol = o.vlanProtocol;
  }
  if (o.vlanDefaultPvid !== undefined) (validateInteger(o.vlanDefaultPvid, f('vlanDefaultPvid'), 0, VID_MAX), (d.vlanDefaultPvid = o.vlanDefaultPvid));
  if (o.mcastSnooping !== undefined) (validateBoolean(o.mcastSnooping, f('mcastSnooping')), (d.mcastSnooping = bit(o.mcastSnooping)));
  if (o.groupFwdMask !== undefined) (validateInteger(o.groupFwdMask, f('groupFwdMask'), 0, U16_MAX), (d.groupFwdMask = o.groupFwdMask));
  return d;
}
export { BRIDGE_KEYS };

/** Bridge port options (IFLA_BRPORT_*), as `ip link set X type bridge_slave …` sets them. */
export interface BridgePortOptions {
  /** Let frames leave by the port they came in on (IFLA_BRPORT_MODE). */
  hairpin?: boolean;
  learning?: boolean;
  /** Flood unknown unicast to this port (IFLA_BRPORT_UNICAST_FLOOD). */
  flood?: boolean;
  /** Isolated ports only talk to non-isolated ones. */
  isolated?: boolean;
  mcastFlood?: boolean;
  bcastFlood?: boolean;
  guard?: boolean;
  fastLeave?: boolean;
  proxyArp?: boolean;
  neighSuppress?: boolean;
  cost?: number;
  priority?: number;
  state?: BridgePortState;
}
export const BRIDGE_PORT_KEYS = ['hairpin', 'learning', 'flood', 'isolated', 'mcastFlood', 'bcastFlood', 'guard', 'fastLeave', 'proxyArp', 'neighSuppress', 'cost', 'priority', 'state'] as const;

const PORT_BOOLEANS: ReadonlyArray<[keyof BridgePortOptions, keyof BridgePortData]> = [
  ['hairpin', 'mode'],
  ['learning', 'learning'],
  ['flood', 'unicastFlood'],
  ['isolated', 'isolated'],
  ['mcastFlood', 'mcastFlood'],
  ['bcastFlood', 'bcastFlood'],
  ['guard', 'guard'],
  ['fastLeave', 'fastLeave'],
  ['proxyArp', 'proxyarp'],
  ['neighSuppress', 'neighSuppress'],
];

export function bridgePortData(o: BridgePortOptions): BridgePortData {
  rejectUnknownKeys(o, BRIDGE_PORT_KEYS, '');
  const d: Record<string, unknown> = {};
  for (const [option, attribute] of PORT_BOOLEANS) {
    const v = o[option];
    if (v === undefined) continue;
    validateBoolean(v, option);
    d[attribute] = bit(v);
  }
  if (o.cost !== undefined) (validateInteger(o.cost, 'cost', PORT_COST_MIN, PORT_COST_MAX), (d.cost = o.cost));
  if (o.priority !== undefined) (validateInteger(o.priority, 'priority', 0, PORT_PRIORITY_MAX), (d.priority = o.priority));
  if (o.state !== undefined) {
    if (!Object.hasOwn(bridgePortStates, o.state)) throw new ValidationError('state', `must be one of ${Object.keys(bridgePortStates).join(', ')}`, o.state);
    d.state = o.state;
  }
  if (Object.keys(d).length === 0) throw new ValidationError('options', 'give at least one bridge port option');
  return d as BridgePortData;
}

export interface MacvlanOptions {
  /** `private`, `vepa`, `bridge` (default of ip: vepa), `passthru` or `source`. */
  mode?: MacvlanMode;
}

export function macvlanData(o: MacvlanOptions): MacvlanData {
  const d: MacvlanData = {};
  if (o.mode !== undefined) {
    if (!Object.hasOwn(macvlanModes, o.mode)) throw new ValidationError('mode', `must be one of ${Object.keys(macvlanModes).join(', ')}`, o.mode);
    d.mode = o.mode;
  }
  return d;
}

/** VXLAN options, named as `ip link add … type vxlan` names them. */
export interface VxlanOptions {
  /** VXLAN network identifier, 0–16777215. */
  vni: number;
  /** Unicast remote endpoint (IPv4 or IPv6). */
  remote?: string;
  /** Multicast group (IPv4 or IPv6), `ip … type vxlan group ADDR`; needs `dev`. */
  multicastGroup?: string;
  local?: string;
  /** UDP destination port (4789 is the IANA port; the kernel's default is 8472). */
  dstport?: number;
  /** UDP source port range. */
  srcPortRange?: { low: number; high: number };
  ttl?: number;
  tos?: number;
  learning?: boolean;
  /** FDB entry lifetime in seconds. */
  ageing?: number;
  udpCsum?: boolean;
}
export const VXLAN_KEYS = ['vni', 'remote', 'multicastGroup', 'local', 'dstport', 'srcPortRange', 'ttl', 'tos', 'learning', 'ageing', 'udpCsum', 'dev'] as const;

export function vxlanData(o: VxlanOptions, dev: number | undefined): VxlanData {
  validateInteger(o.vni, 'vni', 0, VNI_MAX);
  const d: VxlanData = { id: o.vni };
  if (o.remote !== undefined && o.multicastGroup !== undefined) throw new ValidationError('multicastGroup', 'give either remote or multicastGroup, not both', o.multicastGroup);
  const peer = o.remote ?? o.multicastGroup;
  const peerField = o.remote !== undefined ? 'remote' : 'multicastGroup';
  let family: 4 | 6 | undefined;
  if (peer !== undefined) {
    const ip = parseIp(peer, peerField);
    const multicast = ip.family === 4 ? ip.bytes[0]! >= 224 && ip.bytes[0]! <= 239 : ip.bytes[0] === 0xff;
    if (o.multicastGroup !== undefined && !multicast) throw new ValidationError('multicastGroup', `${peer} is not a multicast address`, peer);
    if (o.remote !== undefined && multicast) throw new ValidationError('remote', `${peer} is multicast: use multicastGroup`, peer);
    family = ip.family;
    if (ip.family === 4) d.group = peer;
    else d.group6 = peer;
  }
  if (o.local !== undefined) {
    const ip = parseIp(o.local, 'local', family);
    if (ip.family === 4) d.local = o.local;
    else d.local6 = o.local;
  }
  if (dev !== undefined) d.link = dev;
  if (o.ttl !== undefined) (validateInteger(o.ttl, 'ttl', 0, U8_MAX), (d.ttl = o.ttl));
  if (o.tos !== undefined) (validateInteger(o.tos, 'tos', 0, U8_MAX), (d.tos = o.tos));
  if (o.learning !== undefined) (validateBoolean(o.learning, 'learning'), (d.learning = bit(o.learning)));
  if (o.ageing !== undefined) (validateU32(o.ageing, 'ageing'), (d.ageing = o.ageing));
  if (o.srcPortRange !== undefined) {
    validateInteger(o.srcPortRange.low, 'srcPortRange.low', PORT_MIN, PORT_MAX);
    validateInteger(o.srcPortRange.high, 'srcPortRange.high', o.srcPortRange.low, PORT_MAX);
    d.portRange = { low: o.srcPortRange.low, high: o.srcPortRange.high };
  }
  if (o.dstport !== undefined) (validateInteger(o.dstport, 'dstport', PORT_MIN, PORT_MAX), (d.port = o.dstport));
  if (o.udpCsum !== undefined) (validateBoolean(o.udpCsum, 'udpCsum'), (d.udpCsum = bit(o.udpCsum)));
  return d;
}

/** Per-device IPv4 settings that can be changed over netlink (IFLA_AF_SPEC / AF_INET). */
export type Ipv4Settings = Omit<Ipv4DevconfValues, 'more' | 'unknown'>;

/** IPv6 link settings the kernel accepts over netlink (IFLA_AF_SPEC / AF_INET6). */
export interface Ipv6Settings {
  /** How link-local addresses are made: `eui64`, `none`, `stable_secret`, `random`. */
  addrGenMode?: AddrGenMode;
  /** Interface identifier token for SLAAC (`::1:2:3:4`). */
  token?: string;
}

export function validateIpv4Settings(o: Ipv4Settings): void {
  validateIpv4Devconf(o as Record<string, unknown>, 'ipv4');
}

export function validateIpv6Settings(o: Ipv6Settings): void {
  rejectUnknownKeys(o, ['addrGenMode', 'token'], 'ipv6');
  if (o.addrGenMode !== undefined && !Object.hasOwn(addrGenModes, o.addrGenMode)) {
    throw new ValidationError('ipv6.addrGenMode', `must be one of ${Object.keys(addrGenModes).join(', ')}`, o.addrGenMode);
  }
  if (o.token !== undefined) parseIp(o.token, 'ipv6.token', 6);
}
