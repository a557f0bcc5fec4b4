/**
 * nft's datatypes as the renderer prints them: how the bytes of a value become text
 * (`10.0.0.1`, `22`, `tcp`, `"eth0"`, `established,related`, `0x00000001`). The symbol tables
 * are plain data, so a parser can map the same names back to numbers.
 */
import { formatIp, formatLinkAddress } from '../../netlink/addresses.js';
import { decodeKernelText, escapeForDisplay } from '../../netlink/text.js';
import { toBigInt, type ByteOrder } from './bytes.js';

/** Symbolic constants: name → number (an enumeration) or bit (a flag set). */
export type SymbolTable = Readonly<Record<string, number>>;

/** IP protocol numbers (/etc/protocols names, as nft prints them). */
export const INET_PROTOCOLS: SymbolTable = {
  icmp: 1, igmp: 2, tcp: 6, egp: 8, udp: 17, ipv6: 41, gre: 47, esp: 50, ah: 51, 'ipv6-icmp': 58,
  dccp: 33, comp: 108, sctp: 132, udplite: 136,
};
/** NFPROTO_* as nft's nf_proto datatype prints them. */
export const NF_PROTOCOLS: SymbolTable = { ipv4: 2, ipv6: 10 };
/** Ethernet types (ether type, meta protocol). */
export const ETHER_TYPES: SymbolTable = { ip: 0x0800, arp: 0x0806, ip6: 0x86dd, vlan: 0x8100, '8021ad': 0x88a8 };
/** ARPHRD_* interface types (meta iiftype). */
export const INTERFACE_TYPES: SymbolTable = { ether: 1, ppp: 512, ipip: 768, ipip6: 769, loopback: 772, sit: 776, ipgre: 778 };
/** Conntrack state bits (NF_CT_STATE_*_BIT). */
export const CT_STATES: SymbolTable = { invalid: 1, established: 2, related: 4, new: 8, untracked: 64 };
/** Conntrack status bits (IPS_*). */
export const CT_STATUSES: SymbolTable = { expected: 1, 'seen-reply': 2, assured: 4, confirmed: 8, snat: 16, dnat: 32, dying: 512 };
/** Conntrack directions (enum ip_conntrack_dir). */
export const CT_DIRECTIONS: SymbolTable = { original: 0, reply: 1 };
/** TCP header flag bits. */
export const TCP_FLAGS: SymbolTable = { fin: 1, syn: 2, rst: 4, psh: 8, ack: 16, urg: 32, ecn: 64, cwr: 128 };
/** Route types (RTN_*) that `fib … type` loads. */
export const FIB_ADDRESS_TYPES: SymbolTable = {
  unspec: 0, unicast: 1, local: 2, broadcast: 3, anycast: 4, multicast: 5, blackhole: 6, unreachable: 7,
  prohibit: 8, throw: 9, nat: 10, xresolve: 11,
};
/** DSCP code points. */
export const DSCP_VALUES: SymbolTable = {
  cs0: 0, cs1: 8, cs2: 16, cs3: 24, cs4: 32, cs5: 40, cs6: 48, cs7: 56, af11: 10, af12: 12, af13: 14, af21: 18,
  af22: 20, af23: 22, af31: 26, af32: 28, af33: 30, af41: 34, af42: 36, af43: 38, va: 44, ef: 46,
};
/** ECN code points. */
export const ECN_VALUES: SymbolTable = { 'not-ect': 0, ect1: 1, ect0: 2, ce: 3 };
/** ICMP types. */
export const ICMP_TYPES: SymbolTable = {
  'echo-reply': 0, 'destination-unreachable': 3, 'source-quench': 4, redirect: 5, 'echo-request': 8,
  'router-advertisement': 9, 'router-solicitation': 10, 'time-exceeded': 11, 'parameter-problem': 12,
  'timestamp-request': 13, 'timestamp-reply': 14, 'info-request': 15, 'info-reply': 16,
  'address-mask-request': 17, 'address-mask-reply': 18,
};
/** ICMPv6 types. */
export const ICMPV6_TYPES: SymbolTable = {
  'destination-unreachable': 1, 'packet-too-big': 2, 'time-exceeded': 3, 'parameter-problem': 4,
  'echo-request': 128, 'echo-reply': 129, 'mld-listener-query': 130, 'mld-listener-report': 131,
  'mld-listener-done': 132, 'nd-router-solicit': 133, 'nd-router-advert': 134, 'nd-neighbor-solicit': 135,
  'nd-neighbor-advert': 136, 'nd-redirect': 137, 'router-renumbering': 138, 'mld2-listener-report': 143,
};
/** Packet types (PACKET_*). */
export const PACKET_TYPES: SymbolTable = { host: 0, broadcast: 1, multicast: 2, other: 3 };
/** ICMP destination-unreachable codes usable in `reject with icmp`. */
export const ICMP_REJECT_CODES: SymbolTable = {
  'net-unreachable': 0, 'host-unreachable': 1, 'prot-unreachable': 2, 'port-unreachable': 3,
  'net-prohibited': 9, 'host-prohibited': 10, 'admin-prohibited': 13,
};
/** ICMPv6 destination-unreachable codes usable in `reject with icmpv6`. */
export const ICMPV6_REJECT_CODES: SymbolTable = {
  'no-route': 0, 'admin-prohibited': 1, 'addr-unreachable': 3, 'port-unreachable': 4, 'policy-fail': 5, 'reject-route': 6,
};

/** The datatypes the renderer knows. */
export type Datatype =
  | 'integer' | 'hex' | 'mark' | 'boolean' | 'string' | 'ifname' | 'iface_index'
  | 'ipv4_addr' | 'ipv6_addr' | 'ether_addr' | 'inet_service'
  | 'inet_proto' | 'nf_proto' | 'ether_type' | 'iface_type' | 'pkttype' | 'ct_dir' | 'fib_addrtype'
  | 'dscp' | 'ecn' | 'icmp_type' | 'icmpv6_type'
  | 'ct_state' | 'ct_status' | 'tcp_flag'
  | 'time';

/** Enumerations: printed by name when known, else as a number. */
const ENUMS: Partial<Record<Datatype, SymbolTable>> = {
  inet_proto: INET_PROTOCOLS, nf_proto: NF_PROTOCOLS, ether_type: ETHER_TYPES, iface_type: INTERFACE_TYPES,
  pkttype: PACKET_TYPES, ct_dir: CT_DIRECTIONS, fib_addrtype: FIB_ADDRESS_TYPES, dscp: DSCP_VALUES,
  ecn: ECN_VALUES, icmp_type: ICMP_TYPES, icmpv6_type: ICMPV6_TYPES,
};
/** Flag sets: printed as the names of the set bits, comma-separated, in bit order. */
export const FLAG_TYPES: Partial<Record<Datatype, SymbolTable>> = { ct_state: CT_STATES, ct_status: CT_STATUSES, tcp_flag: TCP_FLAGS };

/** Name of a value in a table (first match), if any. */
export function symbolName(table: SymbolTable, value: number): string | undefined {
  for (const [name, n] of Object.entries(table)) if (n === value) return name;
  return undefined;
}

function hexOf(n: bigint, bytes: number): string {
  return `0x${n.toString(16).padStart(bytes * 2, '0')}`;
}

/** Names of the set bits of a flag value, in increasing bit order; unknown bits in hex. */
export function flagNames(table: SymbolTable, value: bigint): string[] {
  const entries = Object.entries(table).sort((a, b) => a[1] - b[1]);
  const out: string[] = [];
  let rest = value;
  for (const [name, bit] of entries) {
    if (bit !== 0 && (rest & BigInt(bit)) === BigInt(bit)) {
      out.push(name);
      rest &= ~BigInt(bit);
    }
  }
  if (rest !== 0n) out.push(`0x${rest.toString(16)}`);
  return out;
}

/** What the renderer needs to know to print a value (interface names come from the caller). */
export interface FormatContext {
  /** Interface name for an index (`iif`, `oif`, `fib … oif`); numbers are printed without it. */
  ifname?: (index: number) => string | undefined;
}

/** An interface name as nft prints it: quoted, `*` for a prefix match (no terminating NUL). */
function formatIfname(bytes: Uint8Array): string {
  const nul = bytes.indexOf(0);
  const name = escapeForDisplay(decodeKernelText(nul >= 0 ? bytes.subarray(0, nul) : bytes));
  return nul >= 0 ? `"${name}"` : `"${name}*"`;
}

/** nft's time format (milliseconds in, `1d2h3m4s5ms` out). */
export function formatDuration(ms: bigint): string {
  if (ms === 0n) return '0s';
  const units: Array<[bigint, string]> = [[86400000n, 'd'], [3600000n, 'h'], [60000n, 'm'], [1000n, 's'], [1n, 'ms']];
  let rest = ms;
  let out = '';
  for (const [size, suffix] of units) {
    if (rest >= size) {
      out += `${rest / size}${suffix}`;
      rest %= size;
    }
  }
  return out;
}

/** Print a value of `type` held in `bytes` (in `order`), the way `nft list` does. */
export function formatValue(type: Datatype, bytes: Uint8Array, order: ByteOrder, context: FormatContext = {}): string {
  const n = (): bigint => toBigInt(bytes, order);
  switch (type) {
    case 'ipv4_addr':
    case 'ipv6_addr':
      return bytes.length === 4 || bytes.length === 16 ? formatIp(bytes) : hexOf(n(), bytes.length);
    case 'ether_addr':
      return formatLinkAddress(bytes);
    case 'string':
    case 'ifname':
      return formatIfname(bytes);
    case 'iface_index': {
      const index = Number(n());
      const name = context.ifname?.(index);
      return name === undefined ? String(index) : `"${escapeForDisplay(name)}"`;
    }
    case 'mark':
      return hexOf(n(), 4);
    case 'hex':
      return hexOf(n(), bytes.length);
    case 'boolean':
      return n() === 0n ? 'missing' : 'exists';
    case 'time':
      return formatDuration(n());
    case 'integer':
    case 'inet_service':
      return n().toString();
    default: {
      const flags = FLAG_TYPES[type];
      if (flags) return flagNames(flags, n()).join(',') || hexOf(0n, bytes.length);
      const table = ENUMS[type];
      const value = n();
      const name = table && value <= BigInt(Number.MAX_SAFE_INTEGER) ? symbolName(table, Number(value)) : undefined;
      if (name !== undefined) return name;
      return type === 'ether_type' || type === 'dscp' ? hexOf(value, bytes.length) : value.toString();
    }
  }
}
