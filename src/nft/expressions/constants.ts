/**
 * Constants of the nf_tables expressions, grouped by the uapi header they come from
 * (<linux/netfilter/nf_tables.h>, <linux/netfilter.h>, <linux/netfilter/nf_nat.h>,
 * <linux/netfilter/nf_log.h>). Attribute numbers keep the kernel's names (`NFTA_*`); enumerated
 * values are keyed by the name `nft --debug=netlink` prints for them, with the kernel's constant
 * beside each entry. Reverse maps are derived, never written twice. Constants shared with the
 * nf_tables objects (NFTA_LIMIT_*, NFTA_QUOTA_*, NFTA_COUNTER_*, NFPROTO_*) live in
 * ../constants.ts.
 */
import { reverseMap } from '../../netlink/constants.js';

// ---------------------------------------------------------------------------------------------
// <linux/netfilter/nf_tables.h>: registers, verdicts, data

/**
 * enum nft_registers. NFT_REG_1..4 are the 16-byte registers; NFT_REG32_00..15 address the same
 * storage in 4-byte units (NFT_REG_1 = NFT_REG32_00..03), which nft uses for concatenations.
 */
export const NftRegister = {
  NFT_REG_VERDICT: 0,
  NFT_REG_1: 1,
  NFT_REG_2: 2,
  NFT_REG_3: 3,
  NFT_REG_4: 4,
  NFT_REG32_00: 8,
  NFT_REG32_15: 23,
} as const;
/** NFT_REG_SIZE and NFT_REG32_SIZE: bytes in a 16-byte and a 4-byte register. */
export const NFT_REG_SIZE = 16;
export const NFT_REG32_SIZE = 4;
/** NFT_DATA_VALUE_MAXLEN: the largest NFTA_DATA_VALUE the kernel accepts. */
export const NFT_DATA_VALUE_MAXLEN = 64;
/** NFT_NAME_MAXLEN (tables, chains, sets and objects: names are at most 255 bytes + NUL). */
export const NFT_NAME_MAXLEN = 256;

/** Verdict codes: NF_* (<linux/netfilter.h>) and enum nft_verdicts, by the name nft prints. */
export const VerdictCode = {
  drop: 0, // NF_DROP
  accept: 1, // NF_ACCEPT
  stolen: 2, // NF_STOLEN
  queue: 3, // NF_QUEUE
  repeat: 4, // NF_REPEAT
  stop: 5, // NF_STOP
  continue: -1, // NFT_CONTINUE
  break: -2, // NFT_BREAK
  jump: -3, // NFT_JUMP
  goto: -4, // NFT_GOTO
  return: -5, // NFT_RETURN
} as const;
export type VerdictCodeName = keyof typeof VerdictCode;
export const verdictCodeName = reverseMap(VerdictCode);

/** enum nft_data_attributes */
export const NftaData = {
  NFTA_DATA_VALUE: 1,
  NFTA_DATA_VERDICT: 2,
} as const;

/** enum nft_verdict_attributes */
export const NftaVerdict = {
  NFTA_VERDICT_CODE: 1,
  NFTA_VERDICT_CHAIN: 2,
  NFTA_VERDICT_CHAIN_ID: 3,
} as const;

/** enum nft_expr_attributes (one element of NFTA_RULE_EXPRESSIONS) */
export const NftaExpr = {
  NFTA_EXPR_NAME: 1,
  NFTA_EXPR_DATA: 2,
} as const;

// ---------------------------------------------------------------------------------------------
// <linux/netfilter/nf_tables.h>: one group per expression

/** enum nft_immediate_attributes */
export const NftaImmediate = {
  NFTA_IMMEDIATE_DREG: 1,
  NFTA_IMMEDIATE_DATA: 2,
} as const;

/** enum nft_bitwise_attributes */
export const NftaBitwise = {
  NFTA_BITWISE_SREG: 1,
  NFTA_BITWISE_DREG: 2,
  NFTA_BITWISE_LEN: 3,
  NFTA_BITWISE_MASK: 4,
  NFTA_BITWISE_XOR: 5,
  NFTA_BITWISE_OP: 6,
  NFTA_BITWISE_DATA: 7,
  NFTA_BITWISE_SREG2: 8,
} as const;
/** enum nft_bitwise_ops */
export const BitwiseOp = {
  mask_xor: 0, // NFT_BITWISE_MASK_XOR (formerly NFT_BITWISE_BOOL)
  lshift: 1, // NFT_BITWISE_LSHIFT
  rshift: 2, // NFT_BITWISE_RSHIFT
  and: 3, // NFT_BITWISE_AND
  or: 4, // NFT_BITWISE_OR
  xor: 5, // NFT_BITWISE_XOR
} as const;

/** enum nft_cmp_attributes */
export const NftaCmp = {
  NFTA_CMP_SREG: 1,
  NFTA_CMP_OP: 2,
  NFTA_CMP_DATA: 3,
} as const;
/** enum nft_cmp_ops */
export const CmpOp = {
  eq: 0, // NFT_CMP_EQ
  neq: 1, // NFT_CMP_NEQ
  lt: 2, // NFT_CMP_LT
  lte: 3, // NFT_CMP_LTE
  gt: 4, // NFT_CMP_GT
  gte: 5, // NFT_CMP_GTE
} as const;
export type CmpOpName = keyof typeof CmpOp;

/** enum nft_range_attributes */
export const NftaRange = {
  NFTA_RANGE_SREG: 1,
  NFTA_RANGE_OP: 2,
  NFTA_RANGE_FROM_DATA: 3,
  NFTA_RANGE_TO_DATA: 4,
} as const;
/** enum nft_range_ops */
export const RangeOp = {
  eq: 0, // NFT_RANGE_EQ
  neq: 1, // NFT_RANGE_NEQ
} as const;

/** enum nft_lookup_attributes */
export const NftaLookup = {
  NFTA_LOOKUP_SET: 1,
  NFTA_LOOKUP_SREG: 2,
  NFTA_LOOKUP_DREG: 3,
  NFTA_LOOKUP_SET_ID: 4,
  NFTA_LOOKUP_FLAGS: 5,
} as const;
/** enum nft_lookup_flags */
export const LookupFlags = {
  inv: 0x1, // NFT_LOOKUP_F_INV
} as const;

/** enum nft_dynset_attributes */
export const NftaDynset = {
  NFTA_DYNSET_SET_NAME: 1,
  NFTA_DYNSET_SET_ID: 2,
  NFTA_DYNSET_OP: 3,
  NFTA_DYNSET_SREG_KEY: 4,
  NFTA_DYNSET_SREG_DATA: 5,
  NFTA_DYNSET_TIMEOUT: 6,
  NFTA_DYNSET_EXPR: 7,
  NFTA_DYNSET_PAD: 8,
  NFTA_DYNSET_FLAGS: 9,
  NFTA_DYNSET_EXPRESSIONS: 10,
} as const;
/** enum nft_dynset_ops */
export const DynsetOp = {
  add: 0, // NFT_DYNSET_OP_ADD
  update: 1, // NFT_DYNSET_OP_UPDATE
  delete: 2, // NFT_DYNSET_OP_DELETE
} as const;
/** enum nft_dynset_flags */
export const DynsetFlags = {
  inv: 0x1, // NFT_DYNSET_F_INV
  expr: 0x2, // NFT_DYNSET_F_EXPR
} as const;

/** enum nft_payload_attributes */
export const NftaPayload = {
  NFTA_PAYLOAD_DREG: 1,
  NFTA_PAYLOAD_BASE: 2,
  NFTA_PAYLOAD_OFFSET: 3,
  NFTA_PAYLOAD_LEN: 4,
  NFTA_PAYLOAD_SREG: 5,
  NFTA_PAYLOAD_CSUM_TYPE: 6,
  NFTA_PAYLOAD_CSUM_OFFSET: 7,
  NFTA_PAYLOAD_CSUM_FLAGS: 8,
} as const;
/** enum nft_payload_bases */
export const PayloadBase = {
  link: 0, // NFT_PAYLOAD_LL_HEADER
  network: 1, // NFT_PAYLOAD_NETWORK_HEADER
  transport: 2, // NFT_PAYLOAD_TRANSPORT_HEADER
  inner: 3, // NFT_PAYLOAD_INNER_HEADER
  tunnel: 4, // NFT_PAYLOAD_TUN_HEADER
} as const;
export type PayloadBaseName = keyof typeof PayloadBase;
/** enum nft_payload_csum_types */
export const PayloadCsumType = {
  none: 0, // NFT_PAYLOAD_CSUM_NONE
  inet: 1, // NFT_PAYLOAD_CSUM_INET
  sctp: 2, // NFT_PAYLOAD_CSUM_SCTP
} as const;
/** enum nft_payload_csum_flags */
export const PayloadCsumFlags = {
  pseudohdr: 0x1, // NFT_PAYLOAD_L4CSUM_PSEUDOHDR
} as const;

/** enum nft_exthdr_attributes */
export const NftaExthdr = {
  NFTA_EXTHDR_DREG: 1,
  NFTA_EXTHDR_TYPE: 2,
  NFTA_EXTHDR_OFFSET: 3,
  NFTA_EXTHDR_LEN: 4,
  NFTA_EXTHDR_FLAGS: 5,
  NFTA_EXTHDR_OP: 6,
  NFTA_EXTHDR_SREG: 7,
} as const;
/** enum nft_exthdr_op */
export const ExthdrOp = {
  ipv6: 0, // NFT_EXTHDR_OP_IPV6
  tcpopt: 1, // NFT_EXTHDR_OP_TCPOPT
  ipv4: 2, // NFT_EXTHDR_OP_IPV4
  sctp: 3, // NFT_EXTHDR_OP_SCTP
  dccp: 4, // NFT_EXTHDR_OP_DCCP
} as const;
/** enum nft_exthdr_flags */
export const ExthdrFlags = {
  present: 0x1, // NFT_EXTHDR_F_PRESENT
} as const;

/** enum nft_meta_attributes */
export const NftaMeta = {
  NFTA_META_DREG: 1,
  NFTA_META_KEY: 2,
  NFTA_META_SREG: 3,
} as const;
/** enum nft_meta_keys, by the name libnftnl prints (nft's own names are in render/fields.ts). */
export const MetaKey = {
  len: 0, // NFT_META_LEN
  protocol: 1, // NFT_META_PROTOCOL
  priority: 2, // NFT_META_PRIORITY
  mark: 3, // NFT_META_MARK
  iif: 4, // NFT_META_IIF
  oif: 5, // NFT_META_OIF
  iifname: 6, // NFT_META_IIFNAME
  oifname: 7, // NFT_META_OIFNAME
  iiftype: 8, // NFT_META_IIFTYPE
  oiftype: 9, // NFT_META_OIFTYPE
  skuid: 10, // NFT_META_SKUID
  skgid: 11, // NFT_META_SKGID
  nftrace: 12, // NFT_META_NFTRACE
  rtclassid: 13, // NFT_META_RTCLASSID
  secmark: 14, // NFT_META_SECMARK
  nfproto: 15, // NFT_META_NFPROTO
  l4proto: 16, // NFT_META_L4PROTO
  bri_iifname: 17, // NFT_META_BRI_IIFNAME
  bri_oifname: 18, // NFT_META_BRI_OIFNAME
  pkttype: 19, // NFT_META_PKTTYPE
  cpu: 20, // NFT_META_CPU
  iifgroup: 21, // NFT_META_IIFGROUP
  oifgroup: 22, // NFT_META_OIFGROUP
  cgroup: 23, // NFT_META_CGROUP
  prandom: 24, // NFT_META_PRANDOM
  secpath: 25, // NFT_META_SECPATH
  iifkind: 26, // NFT_META_IIFKIND
  oifkind: 27, // NFT_META_OIFKIND
  bri_iifpvid: 28, // NFT_META_BRI_IIFPVID
  bri_iifvproto: 29, // NFT_META_BRI_IIFVPROTO
  time: 30, // NFT_META_TIME_NS
  day: 31, // NFT_META_TIME_DAY
  hour: 32, // NFT_META_TIME_HOUR
  sdif: 33, // NFT_META_SDIF
  sdifname: 34, // NFT_META_SDIFNAME
  broute: 35, // NFT_META_BRI_BROUTE
} as const;
export type MetaKeyName = keyof typeof MetaKey;

/** enum nft_ct_attributes */
export const NftaCt = {
  NFTA_CT_DREG: 1,
  NFTA_CT_KEY: 2,
  NFTA_CT_DIRECTION: 3,
  NFTA_CT_SREG: 4,
} as const;
/** enum nft_ct_keys, by the name libnftnl prints */
export const CtKey = {
  state: 0, // NFT_CT_STATE
  direction: 1, // NFT_CT_DIRECTION
  status: 2, // NFT_CT_STATUS
  mark: 3, // NFT_CT_MARK
  secmark: 4, // NFT_CT_SECMARK
  expiration: 5, // NFT_CT_EXPIRATION
  helper: 6, // NFT_CT_HELPER
  l3protocol: 7, // NFT_CT_L3PROTOCOL
  src: 8, // NFT_CT_SRC
  dst: 9, // NFT_CT_DST
  protocol: 10, // NFT_CT_PROTOCOL
  proto_src: 11, // NFT_CT_PROTO_SRC
  proto_dst: 12, // NFT_CT_PROTO_DST
  label: 13, // NFT_CT_LABELS
  packets: 14, // NFT_CT_PKTS
  bytes: 15, // NFT_CT_BYTES
  avgpkt: 16, // NFT_CT_AVGPKT
  zone: 17, // NFT_CT_ZONE
  event: 18, // NFT_CT_EVENTMASK
  src_ip: 19, // NFT_CT_SRC_IP
  dst_ip: 20, // NFT_CT_DST_IP
  src_ip6: 21, // NFT_CT_SRC_IP6
  dst_ip6: 22, // NFT_CT_DST_IP6
  id: 23, // NFT_CT_ID
} as const;
export type CtKeyName = keyof typeof CtKey;
/** enum ip_conntrack_dir (<linux/netfilter/nf_conntrack_tuple_common.h>) */
export const CtDirection = {
  original: 0, // IP_CT_DIR_ORIGINAL
  reply: 1, // IP_CT_DIR_REPLY
} as const;

/** enum nft_nat_attributes */
export const NftaNat = {
  NFTA_NAT_TYPE: 1,
  NFTA_NAT_FAMILY: 2,
  NFTA_NAT_REG_ADDR_MIN: 3,
  NFTA_NAT_REG_ADDR_MAX: 4,
  NFTA_NAT_REG_PROTO_MIN: 5,
  NFTA_NAT_REG_PROTO_MAX: 6,
  NFTA_NAT_FLAGS: 7,
} as const;
/** enum nft_nat_types */
export const NatType = {
  snat: 0, // NFT_NAT_SNAT
  dnat: 1, // NFT_NAT_DNAT
} as const;

/** enum nft_masq_attributes */
export const NftaMasq = {
  NFTA_MASQ_FLAGS: 1,
  NFTA_MASQ_REG_PROTO_MIN: 2,
  NFTA_MASQ_REG_PROTO_MAX: 3,
} as const;

/** enum nft_redir_attributes */
export const NftaRedir = {
  NFTA_REDIR_REG_PROTO_MIN: 1,
  NFTA_REDIR_REG_PROTO_MAX: 2,
  NFTA_REDIR_FLAGS: 3,
} as const;

/** enum nft_log_attributes */
export const NftaLog = {
  NFTA_LOG_GROUP: 1,
  NFTA_LOG_PREFIX: 2,
  NFTA_LOG_SNAPLEN: 3,
  NFTA_LOG_QTHRESHOLD: 4,
  NFTA_LOG_LEVEL: 5,
  NFTA_LOG_FLAGS: 6,
} as const;
/** enum nft_log_level, by the name nft uses */
export const LogLevel = {
  emerg: 0, // NFT_LOGLEVEL_EMERG
  alert: 1, // NFT_LOGLEVEL_ALERT
  crit: 2, // NFT_LOGLEVEL_CRIT
  err: 3, // NFT_LOGLEVEL_ERR
  warn: 4, // NFT_LOGLEVEL_WARNING
  notice: 5, // NFT_LOGLEVEL_NOTICE
  info: 6, // NFT_LOGLEVEL_INFO
  debug: 7, // NFT_LOGLEVEL_DEBUG
  audit: 8, // NFT_LOGLEVEL_AUDIT
} as const;
export type LogLevelName = keyof typeof LogLevel;
export const logLevelName = reverseMap(LogLevel);

/** enum nft_reject_attributes */
export const NftaReject = {
  NFTA_REJECT_TYPE: 1,
  NFTA_REJECT_ICMP_CODE: 2,
} as const;
/** enum nft_reject_types */
export const RejectType = {
  icmp: 0, // NFT_REJECT_ICMP_UNREACH
  'tcp reset': 1, // NFT_REJECT_TCP_RST
  icmpx: 2, // NFT_REJECT_ICMPX_UNREACH
} as const;
/** enum nft_reject_inet_code: the family-independent ICMP codes of NFT_REJECT_ICMPX_UNREACH */
export const RejectIcmpxCode = {
  'no-route': 0, // NFT_REJECT_ICMPX_NO_ROUTE
  'port-unreachable': 1, // NFT_REJECT_ICMPX_PORT_UNREACH
  'host-unreachable': 2, // NFT_REJECT_ICMPX_HOST_UNREACH
  'admin-prohibited': 3, // NFT_REJECT_ICMPX_ADMIN_PROHIBITED
} as const;

/** enum nft_objref_attributes */
export const NftaObjref = {
  NFTA_OBJREF_IMM_TYPE: 1,
  NFTA_OBJREF_IMM_NAME: 2,
  NFTA_OBJREF_SET_SREG: 3,
  NFTA_OBJREF_SET_NAME: 4,
  NFTA_OBJREF_SET_ID: 5,
} as const;

/** enum nft_fib_attributes */
export const NftaFib = {
  NFTA_FIB_DREG: 1,
  NFTA_FIB_RESULT: 2,
  NFTA_FIB_FLAGS: 3,
} as const;
/** enum nft_fib_result */
export const FibResult = {
  unspec: 0, // NFT_FIB_RESULT_UNSPEC
  oif: 1, // NFT_FIB_RESULT_OIF
  oifname: 2, // NFT_FIB_RESULT_OIFNAME
  type: 3, // NFT_FIB_RESULT_ADDRTYPE
} as const;
/** enum nft_fib_flags, in the order nft prints them */
export const FibFlags = {
  saddr: 0x1, // NFTA_FIB_F_SADDR
  daddr: 0x2, // NFTA_FIB_F_DADDR
  mark: 0x4, // NFTA_FIB_F_MARK
  iif: 0x8, // NFTA_FIB_F_IIF
  oif: 0x10, // NFTA_FIB_F_OIF
  present: 0x20, // NFTA_FIB_F_PRESENT
} as const;

// ---------------------------------------------------------------------------------------------
// <linux/netfilter/nf_nat.h>

/** NF_NAT_RANGE_* flags of the nat, masq and redir expressions */
export const NatRangeFlags = {
  'map-ips': 0x1, // NF_NAT_RANGE_MAP_IPS
  'proto-specified': 0x2, // NF_NAT_RANGE_PROTO_SPECIFIED
  random: 0x4, // NF_NAT_RANGE_PROTO_RANDOM
  persistent: 0x8, // NF_NAT_RANGE_PERSISTENT
  'fully-random': 0x10, // NF_NAT_RANGE_PROTO_RANDOM_FULLY
  'proto-offset': 0x20, // NF_NAT_RANGE_PROTO_OFFSET
  netmap: 0x40, // NF_NAT_RANGE_NETMAP
} as const;
export type NatRangeFlagName = keyof typeof NatRangeFlags;

// ---------------------------------------------------------------------------------------------
// <linux/netfilter/nf_log.h>

/** NF_LOG_* flags of the log expression, in the order libnftnl prints them */
export const LogFlags = {
  tcpseq: 0x01, // NF_LOG_TCPSEQ
  tcpopt: 0x02, // NF_LOG_TCPOPT
  ipopt: 0x04, // NF_LOG_IPOPT
  uid: 0x08, // NF_LOG_UID
  nflog: 0x10, // NF_LOG_NFLOG (unsupported by the kernel, kept so no bit is lost)
  macdecode: 0x20, // NF_LOG_MACDECODE
} as const;
/** NF_LOG_MASK: every flag `log flags all` sets. */
export const NF_LOG_MASK = 0x2f;
/** NF_LOG_PREFIXLEN: the longest log prefix, NUL included. */
export const NF_LOG_PREFIXLEN = 128;
