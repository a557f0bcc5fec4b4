/**
 * ctnetlink constants (<linux/netfilter/nfnetlink_conntrack.h>,
 * <linux/netfilter/nf_conntrack_common.h>). Messages are nfnetlink messages of subsystem
 * NFNL_SUBSYS_CTNETLINK; attributes are big-endian.
 */
import { reverseMap } from '../netlink/constants.js';

/** enum cntl_msg_types */
export const CtMsg = {
  IPCTNL_MSG_CT_NEW: 0,
  IPCTNL_MSG_CT_GET: 1,
  IPCTNL_MSG_CT_DELETE: 2,
  IPCTNL_MSG_CT_GET_CTRZERO: 3,
  IPCTNL_MSG_CT_GET_STATS_CPU: 4,
  IPCTNL_MSG_CT_GET_STATS: 5,
  IPCTNL_MSG_CT_GET_DYING: 6,
  IPCTNL_MSG_CT_GET_UNCONFIRMED: 7,
} as const;
export const ctMsgName = reverseMap(CtMsg);

/** enum ip_conntrack_status: bits of CTA_STATUS. */
export const CtStatus = {
  expected: 1 << 0, // IPS_EXPECTED
  'seen-reply': 1 << 1, // IPS_SEEN_REPLY
  assured: 1 << 2, // IPS_ASSURED
  confirmed: 1 << 3, // IPS_CONFIRMED
  'src-nat': 1 << 4, // IPS_SRC_NAT
  'dst-nat': 1 << 5, // IPS_DST_NAT
  'seq-adjust': 1 << 6, // IPS_SEQ_ADJUST
  'src-nat-done': 1 << 7, // IPS_SRC_NAT_DONE
  'dst-nat-done': 1 << 8, // IPS_DST_NAT_DONE
  dying: 1 << 9, // IPS_DYING
  'fixed-timeout': 1 << 10, // IPS_FIXED_TIMEOUT
  template: 1 << 11, // IPS_TEMPLATE
  untracked: 1 << 12, // IPS_UNTRACKED
  helper: 1 << 13, // IPS_HELPER
  offload: 1 << 14, // IPS_OFFLOAD
  'hw-offload': 1 << 15, // IPS_HW_OFFLOAD
} as const;

/** IP protocol numbers used in tuples. */
export const IpProto = { icmp: 1, tcp: 6, udp: 17, icmpv6: 58, sctp: 132 } as const;
