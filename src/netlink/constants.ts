/**
 * Constants from <linux/netlink.h>, grouped as in the header. Reverse maps are derived, never
 * written twice.
 */
import { getSystemErrorMap } from 'node:util';

/** Invert a `{ NAME: number }` table: number → NAME. First name wins on duplicates. */
export function reverseMap<T extends Record<string, number>>(table: T): Map<number, keyof T & string> {
  const out = new Map<number, keyof T & string>();
  for (const [name, value] of Object.entries(table)) if (!out.has(value)) out.set(value, name as keyof T & string);
  return out;
}

/** Netlink protocols (socket(AF_NETLINK, …, protocol)). */
export const NetlinkProtocol = {
  NETLINK_ROUTE: 0,
  NETLINK_NETFILTER: 12,
} as const;

/** Control message types (NLMSG_*). Types below NLMSG_MIN_TYPE are reserved. */
export const NlmsgType = {
  NLMSG_NOOP: 0x1,
  NLMSG_ERROR: 0x2,
  NLMSG_DONE: 0x3,
  NLMSG_OVERRUN: 0x4,
} as const;
export const NLMSG_MIN_TYPE = 0x10;
export const NLMSG_HDRLEN = 16;
export const NLMSG_ALIGNTO = 4;

/** nlmsghdr.nlmsg_flags. The 0x100+ bits mean different things per request kind. */
export const NlmFlags = {
  NLM_F_REQUEST: 0x01,
  NLM_F_MULTI: 0x02,
  NLM_F_ACK: 0x04,
  NLM_F_ECHO: 0x08,
  NLM_F_DUMP_INTR: 0x10,
  NLM_F_DUMP_FILTERED: 0x20,
  // GET requests
  NLM_F_ROOT: 0x100,
  NLM_F_MATCH: 0x200,
  NLM_F_ATOMIC: 0x400,
  NLM_F_DUMP: 0x300,
  // NEW requests
  NLM_F_REPLACE: 0x100,
  NLM_F_EXCL: 0x200,
  NLM_F_CREATE: 0x400,
  NLM_F_APPEND: 0x800,
  // DELETE requests
  NLM_F_NONREC: 0x100,
  NLM_F_BULK: 0x200,
  // ACK messages
  NLM_F_CAPPED: 0x100,
  NLM_F_ACK_TLVS: 0x200,
} as const;

/** Attribute type flags (nlattr.nla_type high bits). */
export const NLA_F_NESTED = 1 << 15;
export const NLA_F_NET_BYTEORDER = 1 << 14;
export const NLA_TYPE_MASK = ~(NLA_F_NESTED | NLA_F_NET_BYTEORDER) & 0xffff;
export const NLA_HDRLEN = 4;
export const NLA_ALIGNTO = 4;

/** Extended ack TLVs after an NLMSG_ERROR (enum nlmsgerr_attrs). */
export const NlmsgerrAttr = {
  NLMSGERR_ATTR_UNUSED: 0,
  NLMSGERR_ATTR_MSG: 1,
  NLMSGERR_ATTR_OFFS: 2,
  NLMSGERR_ATTR_COOKIE: 3,
  NLMSGERR_ATTR_POLICY: 4,
  NLMSGERR_ATTR_MISS_TYPE: 5,
  NLMSGERR_ATTR_MISS_NEST: 6,
} as const;

/** Socket option levels and the options the core sets. */
export const SOL_SOCKET = 1;
export const SOL_NETLINK = 270;
export const NetlinkSockopt = {
  NETLINK_ADD_MEMBERSHIP: 1,
  NETLINK_DROP_MEMBERSHIP: 2,
  NETLINK_PKTINFO: 3,
  NETLINK_BROADCAST_ERROR: 4,
  NETLINK_NO_ENOBUFS: 5,
  NETLINK_LISTEN_ALL_NSID: 8,
  NETLINK_LIST_MEMBERSHIPS: 9,
  NETLINK_CAP_ACK: 10,
  NETLINK_EXT_ACK: 11,
  NETLINK_GET_STRICT_CHK: 12,
} as const;
export const SocketSockopt = {
  SO_SNDBUF: 7,
  SO_RCVBUF: 8,
  SO_SNDBUFFORCE: 32,
  SO_RCVBUFFORCE: 33,
} as const;

const systemErrors = getSystemErrorMap();
/** Where libuv's name differs from the one Linux (and iproute2 users) know. */
const LINUX_ERRNO_NAMES: Record<number, [string, string]> = {
  85: ['ERESTART', 'interrupted system call should be restarted'],
  95: ['EOPNOTSUPP', 'operation not supported'],
};

/** Errno number (positive) → `{ code: 'EEXIST', description: 'file already exists' }`. */
export function describeErrno(errno: number): { code: string; description: string } {
  const entry = systemErrors.get(-Math.abs(errno));
  const linux = LINUX_ERRNO_NAMES[Math.abs(errno)];
  if (linux) return { code: linux[0], description: linux[1] };
  if (entry) return { code: entry[0], description: entry[1] };
  return { code: `E${errno}`, description: `unknown error ${errno}` };
}
