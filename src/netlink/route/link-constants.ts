/**
 * Link constants from <linux/if_link.h>, <linux/if.h>, <linux/if_arp.h> and
 * <linux/rtnetlink.h>, grouped as in the headers. Display names (the form `ip -j link` prints,
 * e.g. `UP`, `LOWER_UP`, `ether`) are derived from the kernel names, never written twice.
 */
import { reverseMap } from '../constants.js';

/** IFLA_* attribute types of RTM_NEWLINK / RTM_GETLINK (<linux/if_link.h>). */
export const Ifla = {
  IFLA_UNSPEC: 0,
  IFLA_ADDRESS: 1,
  IFLA_BROADCAST: 2,
  IFLA_IFNAME: 3,
  IFLA_MTU: 4,
  IFLA_LINK: 5,
  IFLA_QDISC: 6,
  IFLA_STATS: 7,
  IFLA_COST: 8,
  IFLA_PRIORITY: 9,
  IFLA_MASTER: 10,
  IFLA_WIRELESS: 11,
  IFLA_PROTINFO: 12,
  IFLA_TXQLEN: 13,
  IFLA_MAP: 14,
  IFLA_WEIGHT: 15,
  IFLA_OPERSTATE: 16,
  IFLA_LINKMODE: 17,
  IFLA_LINKINFO: 18,
  IFLA_NET_NS_PID: 19,
  IFLA_IFALIAS: 20,
  IFLA_NUM_VF: 21,
  IFLA_VFINFO_LIST: 22,
  IFLA_STATS64: 23,
  IFLA_VF_PORTS: 24,
  IFLA_PORT_SELF: 25,
  IFLA_AF_SPEC: 26,
  IFLA_GROUP: 27,
  IFLA_NET_NS_FD: 28,
  IFLA_EXT_MASK: 29,
  IFLA_PROMISCUITY: 30,
  IFLA_NUM_TX_QUEUES: 31,
  IFLA_NUM_RX_QUEUES: 32,
  IFLA_CARRIER: 33,
  IFLA_PHYS_PORT_ID: 34,
  IFLA_CARRIER_CHANGES: 35,
  IFLA_PHYS_SWITCH_ID: 36,
  IFLA_LINK_NETNSID: 37,
  IFLA_PHYS_PORT_NAME: 38,
  IFLA_PROTO_DOWN: 39,
  IFLA_GSO_MAX_SEGS: 40,
  IFLA_GSO_MAX_SIZE: 41,
  IFLA_PAD: 42,
  IFLA_XDP: 43,
  IFLA_EVENT: 44,
  IFLA_NEW_NETNSID: 45,
  IFLA_TARGET_NETNSID: 46,
  IFLA_CARRIER_UP_COUNT: 47,
  IFLA_CARRIER_DOWN_COUNT: 48,
  IFLA_NEW_IFINDEX: 49,
  IFLA_MIN_MTU: 50,
  IFLA_MAX_MTU: 51,
  IFLA_PROP_LIST: 52,
  IFLA_ALT_IFNAME: 53,
  IFLA_PERM_ADDRESS: 54,
  IFLA_PROTO_DOWN_REASON: 55,
  IFLA_PARENT_DEV_NAME: 56,
  IFLA_PARENT_DEV_BUS_NAME: 57,
  IFLA_GRO_MAX_SIZE: 58,
  IFLA_TSO_MAX_SIZE: 59,
  IFLA_TSO_MAX_SEGS: 60,
  IFLA_ALLMULTI: 61,
  IFLA_DEVLINK_PORT: 62,
  IFLA_GSO_IPV4_MAX_SIZE: 63,
  IFLA_GRO_IPV4_MAX_SIZE: 64,
  IFLA_DPLL_PIN: 65,
  IFLA_MAX_PACING_OFFLOAD_HORIZON: 66,
  IFLA_NETNS_IMMUTABLE: 67,
  IFLA_HEADROOM: 68,
  IFLA_TAILROOM: 69,
} as const;
export const iflaName = reverseMap(Ifla);

/** IFLA_LINKINFO nest (<linux/if_link.h> IFLA_INFO_*). */
export const IflaInfo = {
  IFLA_INFO_KIND: 1,
  IFLA_INFO_DATA: 2,
  IFLA_INFO_XSTATS: 3,
  IFLA_INFO_SLAVE_KIND: 4,
  IFLA_INFO_SLAVE_DATA: 5,
} as const;

/** IFLA_XDP nest (<linux/if_link.h> IFLA_XDP_*). */
export const IflaXdp = {
  IFLA_XDP_FD: 1,
  IFLA_XDP_ATTACHED: 2,
  IFLA_XDP_FLAGS: 3,
  IFLA_XDP_PROG_ID: 4,
  IFLA_XDP_DRV_PROG_ID: 5,
  IFLA_XDP_SKB_PROG_ID: 6,
  IFLA_XDP_HW_PROG_ID: 7,
  IFLA_XDP_EXPECTED_FD: 8,
} as const;

/** IFLA_PROTO_DOWN_REASON nest. */
export const IflaProtoDownReason = {
  IFLA_PROTO_DOWN_REASON_MASK: 1,
  IFLA_PROTO_DOWN_REASON_VALUE: 2,
} as const;

/** IFLA_EVENT values: why the kernel sent a link notification. */
export const IflaEvent = {
  IFLA_EVENT_NONE: 0,
  IFLA_EVENT_REBOOT: 1,
  IFLA_EVENT_FEATURES: 2,
  IFLA_EVENT_BONDING_FAILOVER: 3,
  IFLA_EVENT_NOTIFY_PEERS: 4,
  IFLA_EVENT_IGMP_RESEND: 5,
  IFLA_EVENT_BONDING_OPTIONS: 6,
} as const;

/** RTEXT_FILTER_* bits of IFLA_EXT_MASK (<linux/rtnetlink.h>). */
export const RtextFilter = {
  RTEXT_FILTER_VF: 1 << 0,
  RTEXT_FILTER_BRVLAN: 1 << 1,
  RTEXT_FILTER_BRVLAN_COMPRESSED: 1 << 2,
  RTEXT_FILTER_SKIP_STATS: 1 << 3,
  RTEXT_FILTER_MRP: 1 << 4,
  RTEXT_FILTER_CFM_CONFIG: 1 << 5,
  RTEXT_FILTER_CFM_STATUS: 1 << 6,
  RTEXT_FILTER_MST: 1 << 7,
} as const;

/** Interface flags of ifinfomsg.ifi_flags (<linux/if.h> enum net_device_flags). */
export const Iff = {
  IFF_UP: 1 << 0,
  IFF_BROADCAST: 1 << 1,
  IFF_DEBUG: 1 << 2,
  IFF_LOOPBACK: 1 << 3,
  IFF_POINTOPOINT: 1 << 4,
  IFF_NOTRAILERS: 1 << 5,
  IFF_RUNNING: 1 << 6,
  IFF_NOARP: 1 << 7,
  IFF_PROMISC: 1 << 8,
  IFF_ALLMULTI: 1 << 9,
  IFF_MASTER: 1 << 10,
  IFF_SLAVE: 1 << 11,
  IFF_MULTICAST: 1 << 12,
  IFF_PORTSEL: 1 << 13,
  IFF_AUTOMEDIA: 1 << 14,
  IFF_DYNAMIC: 1 << 15,
  IFF_LOWER_UP: 1 << 16,
  IFF_DORMANT: 1 << 17,
  IFF_ECHO: 1 << 18,
} as const;

/** RFC 2863 operational states of IFLA_OPERSTATE (<linux/if.h> IF_OPER_*). */
export const IfOper = {
  IF_OPER_UNKNOWN: 0,
  IF_OPER_NOTPRESENT: 1,
  IF_OPER_DOWN: 2,
  IF_OPER_LOWERLAYERDOWN: 3,
  IF_OPER_TESTING: 4,
  IF_OPER_DORMANT: 5,
  IF_OPER_UP: 6,
} as const;

/** IFLA_LINKMODE values (<linux/if.h> IF_LINK_MODE_*). */
export const IfLinkMode = {
  IF_LINK_MODE_DEFAULT: 0,
  IF_LINK_MODE_DORMANT: 1,
  IF_LINK_MODE_TESTING: 2,
} as const;

/** Hardware types of ifinfomsg.ifi_type (<linux/if_arp.h> ARPHRD_*), the ones links here have. */
export const Arphrd = {
  ARPHRD_NETROM: 0,
  ARPHRD_ETHER: 1,
  ARPHRD_INFINIBAND: 32,
  ARPHRD_SLIP: 256,
  ARPHRD_CAN: 280,
  ARPHRD_PPP: 512,
  ARPHRD_TUNNEL: 768,
  ARPHRD_TUNNEL6: 769,
  ARPHRD_LOOPBACK: 772,
  ARPHRD_SIT: 776,
  ARPHRD_IPGRE: 778,
  ARPHRD_IEEE80211: 801,
  ARPHRD_IEEE80211_RADIOTAP: 803,
  ARPHRD_IP6GRE: 823,
  ARPHRD_NETLINK: 824,
  ARPHRD_6LOWPAN: 825,
  ARPHRD_NONE: 0xfffe,
  ARPHRD_VOID: 0xffff,
} as const;

type Strip<K, P extends string> = K extends `${P}${infer R}` ? R : never;

/** `{ IFF_UP: 1 }` → `{ UP: 1 }`: the names `ip` prints, from the kernel's table. */
function stripPrefix<T extends Record<string, number>, P extends string>(table: T, prefix: P, lower = false) {
  const out: Record<string, number> = {};
  for (const [name, value] of Object.entries(table)) {
    const short = name.slice(prefix.length);
    out[lower ? short.toLowerCase() : short] = value;
  }
  return out as { [K in keyof T as Strip<K, P>]: T[K] };
}

/** Interface flag names as `ip` prints them: `UP`, `BROADCAST`, `LOWER_UP` … */
export const linkFlagBits = stripPrefix(Iff, 'IFF_');
export type LinkFlagName = keyof typeof linkFlagBits;

/** Operational state names as `ip` prints them: `UP`, `DOWN`, `LOWERLAYERDOWN` … */
export const operStates = stripPrefix(IfOper, 'IF_OPER_');
export type OperState = keyof typeof operStates;

export const linkModes = stripPrefix(IfLinkMode, 'IF_LINK_MODE_', true);
export type LinkMode = keyof typeof linkModes;

export const linkEvents = stripPrefix(IflaEvent, 'IFLA_EVENT_', true);

/** Link type names as `ip` prints them (`link/ether`): `ether`, `loopback`, `none` … */
export const linkTypes = stripPrefix(Arphrd, 'ARPHRD_', true);
export type LinkType = keyof typeof linkTypes;
export const linkTypeName = reverseMap(linkTypes);

/** Longest interface name in bytes (IFNAMSIZ 16, less the NUL). */
export const IFNAMSIZ_MAX_BYTES = 15;
/** Longest interface alias in bytes (IFALIASZ 256, less the NUL). */
export const IFALIAS_MAX_BYTES = 255;
/** Longest link-layer address (MAX_ADDR_LEN). */
export const MAX_ADDR_LEN = 32;
/** Ethernet address length (ETH_ALEN). */
export const ETH_ALEN = 6;
