/**
 * Constants of nfnetlink and nf_tables, grouped by the uapi header they come from
 * (<linux/netfilter/nfnetlink.h>, <linux/netfilter/nf_tables.h>, <linux/netfilter.h>), plus the
 * few userspace conventions of libnftnl/nft that the kernel stores but never interprets (set
 * datatypes, userdata TLVs): `nft list` needs them to print what we create. Reverse maps are
 * derived, never written twice.
 */
import { reverseMap } from '../netlink/constants.js';

// ---------------------------------------------------------------------------------------------
// <linux/netfilter/nfnetlink.h>

/** Subsystem ids: the high byte of an nfnetlink message type (NFNL_SUBSYS_*). */
export const NfnlSubsys = {
  NFNL_SUBSYS_NONE: 0,
  NFNL_SUBSYS_CTNETLINK: 1,
  NFNL_SUBSYS_CTNETLINK_EXP: 2,
  NFNL_SUBSYS_QUEUE: 3,
  NFNL_SUBSYS_ULOG: 4,
  NFNL_SUBSYS_OSF: 5,
  NFNL_SUBSYS_IPSET: 6,
  NFNL_SUBSYS_ACCT: 7,
  NFNL_SUBSYS_CTNETLINK_TIMEOUT: 8,
  NFNL_SUBSYS_CTHELPER: 9,
  NFNL_SUBSYS_NFTABLES: 10,
  NFNL_SUBSYS_NFT_COMPAT: 11,
  NFNL_SUBSYS_HOOK: 12,
} as const;

/** Reserved control messages that delimit a batch (NLMSG_MIN_TYPE and the next one). */
export const NfnlMsg = {
  NFNL_MSG_BATCH_BEGIN: 0x10,
  NFNL_MSG_BATCH_END: 0x11,
} as const;

/** enum nfnl_batch_attributes */
export const NfnlBatchAttr = {
  NFNL_BATCH_GENID: 1,
} as const;

/** enum nfnetlink_groups */
export const NfnlGroup = {
  NFNLGRP_NONE: 0,
  NFNLGRP_CONNTRACK_NEW: 1,
  NFNLGRP_CONNTRACK_UPDATE: 2,
  NFNLGRP_CONNTRACK_DESTROY: 3,
  NFNLGRP_CONNTRACK_EXP_NEW: 4,
  NFNLGRP_CONNTRACK_EXP_UPDATE: 5,
  NFNLGRP_CONNTRACK_EXP_DESTROY: 6,
  NFNLGRP_NFTABLES: 7,
  NFNLGRP_ACCT_QUOTA: 8,
  NFNLGRP_NFTRACE: 9,
} as const;

/** nfgenmsg.version */
export const NFNETLINK_V0 = 0;

/** Shift and mask splitting an nfnetlink message type into subsystem and message. */
export const NFNL_SUBSYS_SHIFT = 8;
export const NFNL_MSG_TYPE_MASK = 0xff;

// ---------------------------------------------------------------------------------------------
// <linux/netfilter/nf_tables.h>

/** enum nf_tables_msg_types */
export const NftMsg = {
  NFT_MSG_NEWTABLE: 0,
  NFT_MSG_GETTABLE: 1,
  NFT_MSG_DELTABLE: 2,
  NFT_MSG_NEWCHAIN: 3,
  NFT_MSG_GETCHAIN: 4,
  NFT_MSG_DELCHAIN: 5,
  NFT_MSG_NEWRULE: 6,
  NFT_MSG_GETRULE: 7,
  NFT_MSG_DELRULE: 8,
  NFT_MSG_NEWSET: 9,
  NFT_MSG_GETSET: 10,
  NFT_MSG_DELSET: 11,
  NFT_MSG_NEWSETELEM: 12,
  NFT_MSG_GETSETELEM: 13,
  NFT_MSG_DELSETELEM: 14,
  NFT_MSG_NEWGEN: 15,
  NFT_MSG_GETGEN: 16,
  NFT_MSG_TRACE: 17,
  NFT_MSG_NEWOBJ: 18,
  NFT_MSG_GETOBJ: 19,
  NFT_MSG_DELOBJ: 20,
  NFT_MSG_GETOBJ_RESET: 21,
  NFT_MSG_NEWFLOWTABLE: 22,
  NFT_MSG_GETFLOWTABLE: 23,
  NFT_MSG_DELFLOWTABLE: 24,
  NFT_MSG_GETRULE_RESET: 25,
  NFT_MSG_DESTROYTABLE: 26,
  NFT_MSG_DESTROYCHAIN: 27,
  NFT_MSG_DESTROYRULE: 28,
  NFT_MSG_DESTROYSET: 29,
  NFT_MSG_DESTROYSETELEM: 30,
  NFT_MSG_DESTROYOBJ: 31,
  NFT_MSG_DESTROYFLOWTABLE: 32,
  NFT_MSG_GETSETELEM_RESET: 33,
} as const;
export type NftMsgName = keyof typeof NftMsg;
export const nftMsgName = reverseMap(NftMsg);

/** enum nft_list_attributes */
export const NFTA_LIST_ELEM = 1;

/** enum nft_hook_attributes */
export const NftaHook = {
  NFTA_HOOK_HOOKNUM: 1,
  NFTA_HOOK_PRIORITY: 2,
  NFTA_HOOK_DEV: 3,
  NFTA_HOOK_DEVS: 4,
} as const;

/** enum nft_devices_attributes */
export const NftaDevice = {
  NFTA_DEVICE_NAME: 1,
  NFTA_DEVICE_PREFIX: 2,
} as const;

/** enum nft_table_flags */
export const NftTableFlags = {
  dormant: 0x1, // NFT_TABLE_F_DORMANT
  owner: 0x2, // NFT_TABLE_F_OWNER
  persist: 0x4, // NFT_TABLE_F_PERSIST
} as const;

/** enum nft_table_attributes */
export const NftaTable = {
  NFTA_TABLE_NAME: 1,
  NFTA_TABLE_FLAGS: 2,
  NFTA_TABLE_USE: 3,
  NFTA_TABLE_HANDLE: 4,
  NFTA_TABLE_PAD: 5,
  NFTA_TABLE_USERDATA: 6,
  NFTA_TABLE_OWNER: 7,
} as const;

/** enum nft_chain_flags */
export const NftChainFlags = {
  base: 0x1, // NFT_CHAIN_BASE
  'hw-offload': 0x2, // NFT_CHAIN_HW_OFFLOAD
  binding: 0x4, // NFT_CHAIN_BINDING
} as const;

/** enum nft_chain_attributes */
export const NftaChain = {
  NFTA_CHAIN_TABLE: 1,
  NFTA_CHAIN_HANDLE: 2,
  NFTA_CHAIN_NAME: 3,
  NFTA_CHAIN_HOOK: 4,
  NFTA_CHAIN_POLICY: 5,
  NFTA_CHAIN_USE: 6,
  NFTA_CHAIN_TYPE: 7,
  NFTA_CHAIN_COUNTERS: 8,
  NFTA_CHAIN_PAD: 9,
  NFTA_CHAIN_FLAGS: 10,
  NFTA_CHAIN_ID: 11,
  NFTA_CHAIN_USERDATA: 12,
} as const;

/** enum nft_counter_attributes (chain counters and the counter object) */
export const NftaCounter = {
  NFTA_COUNTER_BYTES: 1,
  NFTA_COUNTER_PACKETS: 2,
  NFTA_COUNTER_PAD: 3,
} as const;

/** enum nft_rule_attributes */
export const NftaRule = {
  NFTA_RULE_TABLE: 1,
  NFTA_RULE_CHAIN: 2,
  NFTA_RULE_HANDLE: 3,
  NFTA_RULE_EXPRESSIONS: 4,
  NFTA_RULE_COMPAT: 5,
  NFTA_RULE_POSITION: 6,
  NFTA_RULE_USERDATA: 7,
  NFTA_RULE_PAD: 8,
  NFTA_RULE_ID: 9,
  NFTA_RULE_POSITION_ID: 10,
  NFTA_RULE_CHAIN_ID: 11,
} as const;

/** enum nft_rule_compat_attributes and enum nft_rule_compat_flags */
export const NftaRuleCompat = {
  NFTA_RULE_COMPAT_PROTO: 1,
  NFTA_RULE_COMPAT_FLAGS: 2,
} as const;
export const NftRuleCompatFlags = {
  unused: 0x1, // NFT_RULE_COMPAT_F_UNUSED
  inv: 0x2, // NFT_RULE_COMPAT_F_INV
} as const;

/** enum nft_set_flags */
export const NftSetFlags = {
  anonymous: 0x1, // NFT_SET_ANONYMOUS
  constant: 0x2, // NFT_SET_CONSTANT
  interval: 0x4, // NFT_SET_INTERVAL
  map: 0x8, // NFT_SET_MAP
  timeout: 0x10, // NFT_SET_TIMEOUT
  eval: 0x20, // NFT_SET_EVAL
  object: 0x40, // NFT_SET_OBJECT
  concat: 0x80, // NFT_SET_CONCAT
  expr: 0x100, // NFT_SET_EXPR
} as const;

/** enum nft_set_policies */
export const NftSetPolicy = {
  performance: 0, // NFT_SET_POL_PERFORMANCE
  memory: 1, // NFT_SET_POL_MEMORY
} as const;

/** enum nft_set_desc_attributes */
export const NftaSetDesc = {
  NFTA_SET_DESC_SIZE: 1,
  NFTA_SET_DESC_CONCAT: 2,
} as const;

/** enum nft_set_field_attributes */
export const NftaSetField = {
  NFTA_SET_FIELD_LEN: 1,
} as const;

/** enum nft_set_attributes */
export const NftaSet = {
  NFTA_SET_TABLE: 1,
  NFTA_SET_NAME: 2,
  NFTA_SET_FLAGS: 3,
  NFTA_SET_KEY_TYPE: 4,
  NFTA_SET_KEY_LEN: 5,
  NFTA_SET_DATA_TYPE: 6,
  NFTA_SET_DATA_LEN: 7,
  NFTA_SET_POLICY: 8,
  NFTA_SET_DESC: 9,
  NFTA_SET_ID: 10,
  NFTA_SET_TIMEOUT: 11,
  NFTA_SET_GC_INTERVAL: 12,
  NFTA_SET_USERDATA: 13,
  NFTA_SET_PAD: 14,
  NFTA_SET_OBJ_TYPE: 15,
  NFTA_SET_HANDLE: 16,
  NFTA_SET_EXPR: 17,
  NFTA_SET_EXPRESSIONS: 18,
  NFTA_SET_TYPE: 19,
  NFTA_SET_COUNT: 20,
} as const;

/** enum nft_set_elem_flags */
export const NftSetElemFlags = {
  'interval-end': 0x1, // NFT_SET_ELEM_INTERVAL_END
  catchall: 0x2, // NFT_SET_ELEM_CATCHALL
} as const;

/** enum nft_set_elem_attributes */
export const NftaSetElem = {
  NFTA_SET_ELEM_KEY: 1,
  NFTA_SET_ELEM_DATA: 2,
  NFTA_SET_ELEM_FLAGS: 3,
  NFTA_SET_ELEM_TIMEOUT: 4,
  NFTA_SET_ELEM_EXPIRATION: 5,
  NFTA_SET_ELEM_USERDATA: 6,
  NFTA_SET_ELEM_EXPR: 7,
  NFTA_SET_ELEM_PAD: 8,
  NFTA_SET_ELEM_OBJREF: 9,
  NFTA_SET_ELEM_KEY_END: 10,
  NFTA_SET_ELEM_EXPRESSIONS: 11,
} as const;

/** enum nft_set_elem_list_attributes */
export const NftaSetElemList = {
  NFTA_SET_ELEM_LIST_TABLE: 1,
  NFTA_SET_ELEM_LIST_SET: 2,
  NFTA_SET_ELEM_LIST_ELEMENTS: 3,
  NFTA_SET_ELEM_LIST_SET_ID: 4,
} as const;

/** enum nft_data_types: the data type of a verdict map's values. */
export const NftDataType = {
  NFT_DATA_VALUE: 0,
  NFT_DATA_VERDICT: 0xffffff00,
} as const;

/** enum nft_gen_attributes */
export const NftaGen = {
  NFTA_GEN_ID: 1,
  NFTA_GEN_PROC_PID: 2,
  NFTA_GEN_PROC_NAME: 3,
} as const;

/** NFT_OBJECT_* */
export const NftObjectType = {
  counter: 1, // NFT_OBJECT_COUNTER
  quota: 2, // NFT_OBJECT_QUOTA
  'ct helper': 3, // NFT_OBJECT_CT_HELPER
  limit: 4, // NFT_OBJECT_LIMIT
  connlimit: 5, // NFT_OBJECT_CONNLIMIT
  tunnel: 6, // NFT_OBJECT_TUNNEL
  'ct timeout': 7, // NFT_OBJECT_CT_TIMEOUT
  secmark: 8, // NFT_OBJECT_SECMARK
  'ct expectation': 9, // NFT_OBJECT_CT_EXPECT
  synproxy: 10, // NFT_OBJECT_SYNPROXY
} as const;
export type NftObjectTypeName = keyof typeof NftObjectType;

/** enum nft_object_attributes */
export const NftaObj = {
  NFTA_OBJ_TABLE: 1,
  NFTA_OBJ_NAME: 2,
  NFTA_OBJ_TYPE: 3,
  NFTA_OBJ_DATA: 4,
  NFTA_OBJ_USE: 5,
  NFTA_OBJ_HANDLE: 6,
  NFTA_OBJ_PAD: 7,
  NFTA_OBJ_USERDATA: 8,
} as const;

/** enum nft_quota_attributes and enum nft_quota_flags */
export const NftaQuota = {
  NFTA_QUOTA_BYTES: 1,
  NFTA_QUOTA_FLAGS: 2,
  NFTA_QUOTA_PAD: 3,
  NFTA_QUOTA_CONSUMED: 4,
} as const;
export const NftQuotaFlags = {
  inv: 0x1, // NFT_QUOTA_F_INV
  depleted: 0x2, // NFT_QUOTA_F_DEPLETED
} as const;

/** enum nft_limit_attributes, enum nft_limit_type and enum nft_limit_flags */
export const NftaLimit = {
  NFTA_LIMIT_RATE: 1,
  NFTA_LIMIT_UNIT: 2,
  NFTA_LIMIT_BURST: 3,
  NFTA_LIMIT_TYPE: 4,
  NFTA_LIMIT_FLAGS: 5,
  NFTA_LIMIT_PAD: 6,
} as const;
export const NftLimitType = {
  packets: 0, // NFT_LIMIT_PKTS
  bytes: 1, // NFT_LIMIT_PKT_BYTES
} as const;
export const NftLimitFlags = {
  inv: 0x1, // NFT_LIMIT_F_INV
} as const;

/** enum nft_connlimit_attributes and enum nft_connlimit_flags */
export const NftaConnlimit = {
  NFTA_CONNLIMIT_COUNT: 1,
  NFTA_CONNLIMIT_FLAGS: 2,
} as const;
export const NftConnlimitFlags = {
  inv: 0x1, // NFT_CONNLIMIT_F_INV
} as const;

/** enum nft_ct_helper_attributes */
export const NftaCtHelper = {
  NFTA_CT_HELPER_NAME: 1,
  NFTA_CT_HELPER_L3PROTO: 2,
  NFTA_CT_HELPER_L4PROTO: 3,
} as const;

/** enum nft_ct_expectation_attributes */
export const NftaCtExpect = {
  NFTA_CT_EXPECT_L3PROTO: 1,
  NFTA_CT_EXPECT_L4PROTO: 2,
  NFTA_CT_EXPECT_DPORT: 3,
  NFTA_CT_EXPECT_TIMEOUT: 4,
  NFTA_CT_EXPECT_SIZE: 5,
} as const;

/** enum nft_secmark_attributes */
export const NftaSecmark = {
  NFTA_SECMARK_CTX: 1,
} as const;

/** enum nft_synproxy_attributes */
export const NftaSynproxy = {
  NFTA_SYNPROXY_MSS: 1,
  NFTA_SYNPROXY_WSCALE: 2,
  NFTA_SYNPROXY_FLAGS: 3,
} as const;

/** enum nft_flowtable_flags */
export const NftFlowtableFlags = {
  offload: 0x1, // NFT_FLOWTABLE_HW_OFFLOAD
  counter: 0x2, // NFT_FLOWTABLE_COUNTER
} as const;

/** enum nft_flowtable_attributes */
export const NftaFlowtable = {
  NFTA_FLOWTABLE_TABLE: 1,
  NFTA_FLOWTABLE_NAME: 2,
  NFTA_FLOWTABLE_HOOK: 3,
  NFTA_FLOWTABLE_USE: 4,
  NFTA_FLOWTABLE_HANDLE: 5,
  NFTA_FLOWTABLE_PAD: 6,
  NFTA_FLOWTABLE_FLAGS: 7,
} as const;

/** enum nft_flowtable_hook_attributes */
export const NftaFlowtableHook = {
  NFTA_FLOWTABLE_HOOK_NUM: 1,
  NFTA_FLOWTABLE_HOOK_PRIORITY: 2,
  NFTA_FLOWTABLE_HOOK_DEVS: 3,
} as const;

/** enum nft_trace_attributes */
export const NftaTrace = {
  NFTA_TRACE_TABLE: 1,
  NFTA_TRACE_CHAIN: 2,
  NFTA_TRACE_RULE_HANDLE: 3,
  NFTA_TRACE_TYPE: 4,
  NFTA_TRACE_VERDICT: 5,
  NFTA_TRACE_ID: 6,
  NFTA_TRACE_LL_HEADER: 7,
  NFTA_TRACE_NETWORK_HEADER: 8,
  NFTA_TRACE_TRANSPORT_HEADER: 9,
  NFTA_TRACE_IIF: 10,
  NFTA_TRACE_IIFTYPE: 11,
  NFTA_TRACE_OIF: 12,
  NFTA_TRACE_OIFTYPE: 13,
  NFTA_TRACE_MARK: 14,
  NFTA_TRACE_NFPROTO: 15,
  NFTA_TRACE_POLICY: 16,
  NFTA_TRACE_PAD: 17,
  NFTA_TRACE_CT_ID: 18,
  NFTA_TRACE_CT_DIRECTION: 19,
  NFTA_TRACE_CT_STATUS: 20,
  NFTA_TRACE_CT_STATE: 21,
} as const;

/** enum nft_trace_types */
export const NftTraceType = {
  policy: 1, // NFT_TRACETYPE_POLICY
  return: 2, // NFT_TRACETYPE_RETURN
  rule: 3, // NFT_TRACETYPE_RULE
} as const;

// ---------------------------------------------------------------------------------------------
// <linux/netfilter.h>

/** NFPROTO_*, under the names nft uses for table families. */
export const NfProto = {
  unspec: 0, // NFPROTO_UNSPEC
  inet: 1, // NFPROTO_INET
  ip: 2, // NFPROTO_IPV4
  arp: 3, // NFPROTO_ARP
  netdev: 5, // NFPROTO_NETDEV
  bridge: 7, // NFPROTO_BRIDGE
  ip6: 10, // NFPROTO_IPV6
} as const;
export type NfProtoName = keyof typeof NfProto;
/** The families a table can have. */
export type TableFamily = Exclude<NfProtoName, 'unspec'>;
export const TABLE_FAMILIES: readonly TableFamily[] = ['ip', 'ip6', 'inet', 'arp', 'bridge', 'netdev'];
export const nfProtoName = reverseMap(NfProto);

/** enum nf_inet_hooks (also used by the ip, ip6, inet and bridge families) */
export const NfInetHook = {
  prerouting: 0, // NF_INET_PRE_ROUTING
  input: 1, // NF_INET_LOCAL_IN
  forward: 2, // NF_INET_FORWARD
  output: 3, // NF_INET_LOCAL_OUT
  postrouting: 4, // NF_INET_POST_ROUTING
  ingress: 5, // NF_INET_INGRESS
} as const;

/** enum nf_dev_hooks */
export const NfNetdevHook = {
  ingress: 0, // NF_NETDEV_INGRESS
  egress: 1, // NF_NETDEV_EGRESS
} as const;

/** NF_ARP_* hooks (<linux/netfilter_arp.h>) */
export const NfArpHook = {
  input: 0, // NF_ARP_IN
  output: 1, // NF_ARP_OUT
  forward: 2, // NF_ARP_FORWARD
} as const;

/** Verdicts usable as a base chain policy (NF_DROP, NF_ACCEPT). */
export const NfVerdict = {
  drop: 0, // NF_DROP
  accept: 1, // NF_ACCEPT
} as const;

// ---------------------------------------------------------------------------------------------
// Userspace conventions (libnftnl/nft), stored by the kernel as opaque data.

/**
 * nft's datatype ids (enum datatypes in nftables' datatype.h), stored in NFTA_SET_KEY_TYPE /
 * NFTA_SET_DATA_TYPE. A concatenation's type is the ids shifted in NFT_DATATYPE_BITS at a time.
 */
export const NftDatatype = {
  verdict: 1, // TYPE_VERDICT
  nf_proto: 2, // TYPE_NFPROTO
  bitmask: 3, // TYPE_BITMASK
  integer: 4, // TYPE_INTEGER
  string: 5, // TYPE_STRING
  lladdr: 6, // TYPE_LLADDR
  ipv4_addr: 7, // TYPE_IPADDR
  ipv6_addr: 8, // TYPE_IP6ADDR
  ether_addr: 9, // TYPE_ETHERADDR
  ether_type: 10, // TYPE_ETHERTYPE
  arp_op: 11, // TYPE_ARPOP
  inet_proto: 12, // TYPE_INET_PROTOCOL
  inet_service: 13, // TYPE_INET_SERVICE
  icmp_type: 14, // TYPE_ICMP_TYPE
  tcp_flag: 15, // TYPE_TCP_FLAG
  mark: 19, // TYPE_MARK
  iface_index: 20, // TYPE_IFINDEX
  ct_state: 26, // TYPE_CT_STATE
  ifname: 41, // TYPE_IFNAME
} as const;
export type NftDatatypeName = keyof typeof NftDatatype;
/** TYPE_BITS in nftables: width of one component of a concatenated datatype id. */
export const NFT_DATATYPE_BITS = 6;

/** Bytes each datatype occupies in a set key (fixed-size types only). */
export const NFT_DATATYPE_LENGTH: Partial<Record<NftDatatypeName, number>> = {
  nf_proto: 1,
  ipv4_addr: 4,
  ipv6_addr: 16,
  ether_addr: 6,
  ether_type: 2,
  inet_proto: 1,
  inet_service: 2,
  mark: 4,
  iface_index: 4,
  ct_state: 4,
  ifname: 16,
};

/** Userdata TLV types of a rule (enum nftnl_udata_rule_types). */
export const NftnlUdataRule = {
  comment: 0, // NFTNL_UDATA_RULE_COMMENT
  'ebtables-policy': 1, // NFTNL_UDATA_RULE_EBTABLES_POLICY
} as const;

/** Userdata TLV types of a table, chain or object: only a comment (NFTNL_UDATA_*_COMMENT). */
export const NftnlUdataComment = {
  comment: 0, // NFTNL_UDATA_TABLE_COMMENT, NFTNL_UDATA_CHAIN_COMMENT, NFTNL_UDATA_OBJ_COMMENT
} as const;

/** Userdata TLV types of a set (enum nftnl_udata_set_types). */
export const NftnlUdataSet = {
  'key-byteorder': 0, // NFTNL_UDATA_SET_KEYBYTEORDER
  'data-byteorder': 1, // NFTNL_UDATA_SET_DATABYTEORDER
  'merge-elements': 2, // NFTNL_UDATA_SET_MERGE_ELEMENTS
  'key-typeof': 3, // NFTNL_UDATA_SET_KEY_TYPEOF
  'data-typeof': 4, // NFTNL_UDATA_SET_DATA_TYPEOF
  expr: 5, // NFTNL_UDATA_SET_EXPR
  'data-interval': 6, // NFTNL_UDATA_SET_DATA_INTERVAL
  comment: 7, // NFTNL_UDATA_SET_COMMENT
} as const;

/** Userdata TLV types of a set element (enum nftnl_udata_set_elem_types). */
export const NftnlUdataSetElem = {
  comment: 0, // NFTNL_UDATA_SET_ELEM_COMMENT
  flags: 1, // NFTNL_UDATA_SET_ELEM_FLAGS
} as const;

/** Byte order values in set userdata (enum byteorder in nftables). */
export const NftByteorder = {
  invalid: 0, // BYTEORDER_INVALID
  host: 1, // BYTEORDER_HOST_ENDIAN
  big: 2, // BYTEORDER_BIG_ENDIAN
} as const;

/** ERESTART: the batch's NFNL_BATCH_GENID no longer matches the ruleset generation. */
export const ERESTART = 85;
