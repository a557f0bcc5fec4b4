/**
 * The names nft gives to what expressions load, as data shared by the renderer and a future
 * parser: header fields (`ip saddr` = network header, bit 96, 32 bits), meta keys, conntrack
 * keys and TCP options, each with its datatype and byte order.
 */
import type { CtKeyName, MetaKeyName, PayloadBaseName } from '../expressions/constants.js';
import type { ByteOrder } from './bytes.js';
import type { Datatype } from './datatypes.js';

/** A header field: offset and length in bits from the start of its header. */
export interface HeaderField {
  offset: number;
  length: number;
  type: Datatype;
}

/** A protocol header nft knows by name. */
export interface HeaderProtocol {
  /** The payload base its header starts at. */
  base: PayloadBaseName;
  fields: Readonly<Record<string, HeaderField>>;
}

const f = (offset: number, length: number, type: Datatype = 'integer'): HeaderField => ({ offset, length, type });

/** Header protocols by the name nft uses (`th` is any transport header with ports). */
export const HEADER_PROTOCOLS = {
  ether: { base: 'link', fields: { daddr: f(0, 48, 'ether_addr'), saddr: f(48, 48, 'ether_addr'), type: f(96, 16, 'ether_type') } },
  ip: {
    base: 'network',
    fields: {
      version: f(0, 4), hdrlength: f(4, 4), dscp: f(8, 6, 'dscp'), ecn: f(14, 2, 'ecn'), length: f(16, 16), id: f(32, 16),
      'frag-off': f(48, 16, 'hex'), ttl: f(64, 8), protocol: f(72, 8, 'inet_proto'), checksum: f(80, 16),
      saddr: f(96, 32, 'ipv4_addr'), daddr: f(128, 32, 'ipv4_addr'),
    },
  },
  ip6: {
    base: 'network',
    fields: {
      version: f(0, 4), dscp: f(4, 6, 'dscp'), ecn: f(10, 2, 'ecn'), flowlabel: f(12, 20), length: f(32, 16),
      nexthdr: f(48, 8, 'inet_proto'), hoplimit: f(56, 8), saddr: f(64, 128, 'ipv6_addr'), daddr: f(192, 128, 'ipv6_addr'),
    },
  },
  tcp: {
    base: 'transport',
    fields: {
      sport: f(0, 16, 'inet_service'), dport: f(16, 16, 'inet_service'), sequence: f(32, 32), ackseq: f(64, 32),
      doff: f(96, 4), reserved: f(100, 4), flags: f(104, 8, 'tcp_flag'), window: f(112, 16), checksum: f(128, 16), urgptr: f(144, 16),
    },
  },
  udp: { base: 'transport', fields: { sport: f(0, 16, 'inet_service'), dport: f(16, 16, 'inet_service'), length: f(32, 16), checksum: f(48, 16) } },
  udplite: { base: 'transport', fields: { sport: f(0, 16, 'inet_service'), dport: f(16, 16, 'inet_service'), csumcov: f(32, 16), checksum: f(48, 16) } },
  sctp: { base: 'transport', fields: { sport: f(0, 16, 'inet_service'), dport: f(16, 16, 'inet_service'), vtag: f(32, 32), checksum: f(64, 32) } },
  dccp: { base: 'transport', fields: { sport: f(0, 16, 'inet_service'), dport: f(16, 16, 'inet_service') } },
  icmp: {
    base: 'transport',
    fields: { type: f(0, 8, 'icmp_type'), code: f(8, 8), checksum: f(16, 16), id: f(32, 16), sequence: f(48, 16), gateway: f(32, 32, 'ipv4_addr'), mtu: f(48, 16) },
  },
  icmpv6: {
    base: 'transport',
    fields: { type: f(0, 8, 'icmpv6_type'), code: f(8, 8), checksum: f(16, 16), mtu: f(32, 32), id: f(32, 16), sequence: f(48, 16), 'max-delay': f(32, 16) },
  },
  th: { base: 'transport', fields: { sport: f(0, 16, 'inet_service'), dport: f(16, 16, 'inet_service') } },
} as const satisfies Record<string, HeaderProtocol>;
export type HeaderProtocolName = keyof typeof HEADER_PROTOCOLS;

/** Which header protocol a protocol number selects at the next layer. */
export const TRANSPORT_BY_INET_PROTO: Readonly<Record<number, HeaderProtocolName>> = { 1: 'icmp', 6: 'tcp', 17: 'udp', 33: 'dccp', 58: 'icmpv6', 132: 'sctp', 136: 'udplite' };
export const NETWORK_BY_NFPROTO: Readonly<Record<number, HeaderProtocolName>> = { 2: 'ip', 10: 'ip6' };
export const NETWORK_BY_ETHER_TYPE: Readonly<Record<number, HeaderProtocolName>> = { 0x0800: 'ip', 0x86dd: 'ip6' };
/** ARPHRD_ETHER: `meta iiftype ether` makes the link layer Ethernet. */
export const LINK_BY_INTERFACE_TYPE: Readonly<Record<number, HeaderProtocolName>> = { 1: 'ether' };

/** A meta key as nft names and prints it. */
export interface MetaField {
  name: string;
  type: Datatype;
  order: ByteOrder;
  /** Printed without the `meta` keyword (`iifname`, not `meta iifname`). */
  unqualified?: boolean;
}

const m = (name: string, type: Datatype, order: ByteOrder = 'host', unqualified = false): MetaField => ({ name, type, order, ...(unqualified ? { unqualified } : {}) });

/** Meta keys (by the expression's key name) as nft prints them. */
export const META_FIELDS: Readonly<Partial<Record<MetaKeyName, MetaField>>> = {
  len: m('length', 'integer'),
  protocol: m('protocol', 'ether_type', 'big'),
  mark: m('mark', 'mark'),
  iif: m('iif', 'iface_index', 'host', true),
  oif: m('oif', 'iface_index', 'host', true),
  iifname: m('iifname', 'ifname', 'host', true),
  oifname: m('oifname', 'ifname', 'host', true),
  iiftype: m('iiftype', 'iface_type'),
  oiftype: m('oiftype', 'iface_type'),
  skuid: m('skuid', 'integer'),
  skgid: m('skgid', 'integer'),
  nftrace: m('nftrace', 'integer'),
  nfproto: m('nfproto', 'nf_proto'),
  l4proto: m('l4proto', 'inet_proto'),
  pkttype: m('pkttype', 'pkttype'),
  cpu: m('cpu', 'integer'),
  iifgroup: m('iifgroup', 'integer', 'host', true),
  oifgroup: m('oifgroup', 'integer', 'host', true),
  cgroup: m('cgroup', 'integer'),
  prandom: m('random', 'integer', 'big'),
  iifkind: m('iifkind', 'string'),
  oifkind: m('oifkind', 'string'),
  sdif: m('sdif', 'iface_index'),
  sdifname: m('sdifname', 'ifname'),
};

/** A conntrack key as nft prints it. `family` keys print as `ip saddr` / `ip6 daddr`. */
export interface CtField {
  name: string;
  type: Datatype;
  order: ByteOrder;
}

const c = (name: string, type: Datatype, order: ByteOrder = 'host'): CtField => ({ name, type, order });

/** Conntrack keys (by the expression's key name) as nft prints them. */
export const CT_FIELDS: Readonly<Partial<Record<CtKeyName, CtField>>> = {
  state: c('state', 'ct_state'),
  direction: c('direction', 'ct_dir'),
  status: c('status', 'ct_status'),
  mark: c('mark', 'mark'),
  expiration: c('expiration', 'time'),
  helper: c('helper', 'string'),
  l3protocol: c('l3proto', 'nf_proto'),
  protocol: c('protocol', 'inet_proto'),
  proto_src: c('proto-src', 'inet_service', 'big'),
  proto_dst: c('proto-dst', 'inet_service', 'big'),
  packets: c('packets', 'integer'),
  bytes: c('bytes', 'integer'),
  avgpkt: c('avgpkt', 'integer'),
  zone: c('zone', 'integer'),
  src_ip: c('ip saddr', 'ipv4_addr', 'big'),
  dst_ip: c('ip daddr', 'ipv4_addr', 'big'),
  src_ip6: c('ip6 saddr', 'ipv6_addr', 'big'),
  dst_ip6: c('ip6 daddr', 'ipv6_addr', 'big'),
  id: c('id', 'integer'),
};

/** TCP options nft names, by option kind, with their fields (bit offsets within the option). */
export const TCP_OPTIONS: Readonly<Record<number, { name: string; fields: Readonly<Record<string, HeaderField>> }>> = {
  0: { name: 'eol', fields: { kind: f(0, 8) } },
  1: { name: 'nop', fields: { kind: f(0, 8) } },
  2: { name: 'maxseg', fields: { kind: f(0, 8), length: f(8, 8), size: f(16, 16) } },
  3: { name: 'window', fields: { kind: f(0, 8), length: f(8, 8), count: f(16, 8) } },
  4: { name: 'sack-perm', fields: { kind: f(0, 8), length: f(8, 8) } },
  5: { name: 'sack', fields: { kind: f(0, 8), length: f(8, 8), left: f(16, 32), right: f(48, 32) } },
  8: { name: 'timestamp', fields: { kind: f(0, 8), length: f(8, 8), tsval: f(16, 32), tsecr: f(48, 32) } },
};

/** IPv6 extension headers nft names (`exthdr frag exists`), by next-header number. */
export const IPV6_EXTENSION_HEADERS: Readonly<Record<number, string>> = { 0: 'hbh', 43: 'rt', 44: 'frag', 60: 'dst', 135: 'mh' };

/** Verdict names nft prints (jump and goto are followed by the chain). */
export const VERDICT_NAMES = ['accept', 'drop', 'continue', 'return', 'jump', 'goto', 'queue'] as const;
