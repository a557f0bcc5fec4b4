/**
 * Values of the rtmsg header fields (<linux/rtnetlink.h>): route types (rtm_type, also used by
 * ndm_type), routing protocols (rtm_protocol, NDA_PROTOCOL), scopes (rtm_scope, ifa_scope),
 * reserved table ids (rtm_table, RTA_TABLE) and rtm_flags. Each table has the uapi names; the
 * lower-case tables beside them are the names `ip` prints and accepts, derived from the same
 * numbers.
 */
import { reverseMap } from '../constants.js';

/** enum rtm_type (RTN_*). */
export const RtnType = {
  RTN_UNSPEC: 0,
  RTN_UNICAST: 1,
  RTN_LOCAL: 2,
  RTN_BROADCAST: 3,
  RTN_ANYCAST: 4,
  RTN_MULTICAST: 5,
  RTN_BLACKHOLE: 6,
  RTN_UNREACHABLE: 7,
  RTN_PROHIBIT: 8,
  RTN_THROW: 9,
  RTN_NAT: 10,
  RTN_XRESOLVE: 11,
} as const;
export const rtnTypeName = reverseMap(RtnType);

/** Route types as `ip route` names them. */
export const routeTypeNames = {
  unspec: RtnType.RTN_UNSPEC,
  unicast: RtnType.RTN_UNICAST,
  local: RtnType.RTN_LOCAL,
  broadcast: RtnType.RTN_BROADCAST,
  anycast: RtnType.RTN_ANYCAST,
  multicast: RtnType.RTN_MULTICAST,
  blackhole: RtnType.RTN_BLACKHOLE,
  unreachable: RtnType.RTN_UNREACHABLE,
  prohibit: RtnType.RTN_PROHIBIT,
  throw: RtnType.RTN_THROW,
  nat: RtnType.RTN_NAT,
  xresolve: RtnType.RTN_XRESOLVE,
} as const;
export type RouteTypeName = keyof typeof routeTypeNames;

/** rtm_protocol (RTPROT_*): who installed a route. Values above RTPROT_STATIC are by convention. */
export const RtProtocol = {
  RTPROT_UNSPEC: 0,
  RTPROT_REDIRECT: 1,
  RTPROT_KERNEL: 2,
  RTPROT_BOOT: 3,
  RTPROT_STATIC: 4,
  RTPROT_GATED: 8,
  RTPROT_RA: 9,
  RTPROT_MRT: 10,
  RTPROT_ZEBRA: 11,
  RTPROT_BIRD: 12,
  RTPROT_DNROUTED: 13,
  RTPROT_XORP: 14,
  RTPROT_NTK: 15,
  RTPROT_DHCP: 16,
  RTPROT_MROUTED: 17,
  RTPROT_KEEPALIVED: 18,
  RTPROT_BABEL: 42,
  RTPROT_OPENR: 99,
  RTPROT_BGP: 186,
  RTPROT_ISIS: 187,
  RTPROT_OSPF: 188,
  RTPROT_RIP: 189,
  RTPROT_EIGRP: 192,
} as const;

/** Protocols as `ip route` names them (/usr/share/iproute2/rt_protos). */
export const routeProtocolNames = {
  unspec: RtProtocol.RTPROT_UNSPEC,
  redirect: RtProtocol.RTPROT_REDIRECT,
  kernel: RtProtocol.RTPROT_KERNEL,
  boot: RtProtocol.RTPROT_BOOT,
  static: RtProtocol.RTPROT_STATIC,
  gated: RtProtocol.RTPROT_GATED,
  ra: RtProtocol.RTPROT_RA,
  mrt: RtProtocol.RTPROT_MRT,
  zebra: RtProtocol.RTPROT_ZEBRA,
  bird: RtProtocol.RTPROT_BIRD,
  dnrouted: RtProtocol.RTPROT_DNROUTED,
  xorp: RtProtocol.RTPROT_XORP,
  ntk: RtProtocol.RTPROT_NTK,
  dhcp: RtProtocol.RTPROT_DHCP,
  mrouted: RtProtocol.RTPROT_MROUTED,
  keepalived: RtProtocol.RTPROT_KEEPALIVED,
  babel: RtProtocol.RTPROT_BABEL,
  openr: RtProtocol.RTPROT_OPENR,
  bgp: RtProtocol.RTPROT_BGP,
  isis: RtProtocol.RTPROT_ISIS,
  ospf: RtProtocol.RTPROT_OSPF,
  rip: RtProtocol.RTPROT_RIP,
  eigrp: RtProtocol.RTPROT_EIGRP,
} as const;
export type RouteProtocolName = keyof typeof routeProtocolNames;

/** enum rt_scope_t: the "distance" to a destination (rtm_scope, ifa_scope). */
export const RtScope = {
  RT_SCOPE_UNIVERSE: 0,
  RT_SCOPE_SITE: 200,
  RT_SCOPE_LINK: 253,
  RT_SCOPE_HOST: 254,
  RT_SCOPE_NOWHERE: 255,
} as const;

/** Scopes as `ip` names them (RT_SCOPE_UNIVERSE prints as `global`). */
export const scopeNames = {
  global: RtScope.RT_SCOPE_UNIVERSE,
  site: RtScope.RT_SCOPE_SITE,
  link: RtScope.RT_SCOPE_LINK,
  host: RtScope.RT_SCOPE_HOST,
  nowhere: RtScope.RT_SCOPE_NOWHERE,
} as const;
export type ScopeName = keyof typeof scopeNames;

/** enum rt_class_t: reserved routing table ids. */
export const RtTable = {
  RT_TABLE_UNSPEC: 0,
  RT_TABLE_COMPAT: 252,
  RT_TABLE_DEFAULT: 253,
  RT_TABLE_MAIN: 254,
  RT_TABLE_LOCAL: 255,
  RT_TABLE_MAX: 0xffffffff,
} as const;

/** Tables as `ip route` names them. */
export const tableNames = {
  default: RtTable.RT_TABLE_DEFAULT,
  main: RtTable.RT_TABLE_MAIN,
  local: RtTable.RT_TABLE_LOCAL,
} as const;
export type TableName = keyof typeof tableNames;

/** rtm_flags (RTM_F_*; the low byte holds RTNH_F_* next-hop flags). */
export const RtmFlag = {
  RTM_F_NOTIFY: 0x100,
  RTM_F_CLONED: 0x200,
  RTM_F_EQUALIZE: 0x400,
  RTM_F_PREFIX: 0x800,
  RTM_F_LOOKUP_TABLE: 0x1000,
  RTM_F_FIB_MATCH: 0x2000,
  RTM_F_OFFLOAD: 0x4000,
  RTM_F_TRAP: 0x8000,
  RTM_F_OFFLOAD_FAILED: 0x20000000,
} as const;

/** RTA_PREF values: IPv6 router preference (ICMPV6_ROUTER_PREF_* in <linux/icmpv6.h>). */
export const RouterPreference = {
  ICMPV6_ROUTER_PREF_MEDIUM: 0x0,
  ICMPV6_ROUTER_PREF_HIGH: 0x1,
  ICMPV6_ROUTER_PREF_INVALID: 0x2,
  ICMPV6_ROUTER_PREF_LOW: 0x3,
} as const;

export const routerPreferenceNames = {
  medium: RouterPreference.ICMPV6_ROUTER_PREF_MEDIUM,
  high: RouterPreference.ICMPV6_ROUTER_PREF_HIGH,
  invalid: RouterPreference.ICMPV6_ROUTER_PREF_INVALID,
  low: RouterPreference.ICMPV6_ROUTER_PREF_LOW,
} as const;

/** enum lwtunnel_encap_types (<linux/lwtunnel.h>): RTA_ENCAP_TYPE. */
export const LwtunnelEncap = {
  LWTUNNEL_ENCAP_NONE: 0,
  LWTUNNEL_ENCAP_MPLS: 1,
  LWTUNNEL_ENCAP_IP: 2,
  LWTUNNEL_ENCAP_ILA: 3,
  LWTUNNEL_ENCAP_IP6: 4,
  LWTUNNEL_ENCAP_SEG6: 5,
  LWTUNNEL_ENCAP_BPF: 6,
  LWTUNNEL_ENCAP_SEG6_LOCAL: 7,
  LWTUNNEL_ENCAP_RPL: 8,
  LWTUNNEL_ENCAP_IOAM6: 9,
  LWTUNNEL_ENCAP_XFRM: 10,
} as const;

export const encapTypeNames = {
  none: LwtunnelEncap.LWTUNNEL_ENCAP_NONE,
  mpls: LwtunnelEncap.LWTUNNEL_ENCAP_MPLS,
  ip: LwtunnelEncap.LWTUNNEL_ENCAP_IP,
  ila: LwtunnelEncap.LWTUNNEL_ENCAP_ILA,
  ip6: LwtunnelEncap.LWTUNNEL_ENCAP_IP6,
  seg6: LwtunnelEncap.LWTUNNEL_ENCAP_SEG6,
  bpf: LwtunnelEncap.LWTUNNEL_ENCAP_BPF,
  seg6local: LwtunnelEncap.LWTUNNEL_ENCAP_SEG6_LOCAL,
  rpl: LwtunnelEncap.LWTUNNEL_ENCAP_RPL,
  ioam6: LwtunnelEncap.LWTUNNEL_ENCAP_IOAM6,
  xfrm: LwtunnelEncap.LWTUNNEL_ENCAP_XFRM,
} as const;

/** enum rtattr_type_t: route attribute types (RTA_*), shared by routes and their next hops. */
export const RtaAttr = {
  RTA_UNSPEC: 0,
  RTA_DST: 1,
  RTA_SRC: 2,
  RTA_IIF: 3,
  RTA_OIF: 4,
  RTA_GATEWAY: 5,
  RTA_PRIORITY: 6,
  RTA_PREFSRC: 7,
  RTA_METRICS: 8,
  RTA_MULTIPATH: 9,
  RTA_PROTOINFO: 10,
  RTA_FLOW: 11,
  RTA_CACHEINFO: 12,
  RTA_SESSION: 13,
  RTA_MP_ALGO: 14,
  RTA_TABLE: 15,
  RTA_MARK: 16,
  RTA_MFC_STATS: 17,
  RTA_VIA: 18,
  RTA_NEWDST: 19,
  RTA_PREF: 20,
  RTA_ENCAP_TYPE: 21,
  RTA_ENCAP: 22,
  RTA_EXPIRES: 23,
  RTA_PAD: 24,
  RTA_UID: 25,
  RTA_TTL_PROPAGATE: 26,
  RTA_IP_PROTO: 27,
  RTA_SPORT: 28,
  RTA_DPORT: 29,
  RTA_NH_ID: 30,
  RTA_FLOWLABEL: 31,
} as const;
