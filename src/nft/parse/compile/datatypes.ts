/**
 * From text to register bytes, per nft datatype: `10.0.0.1` → 0a 00 00 01, `ssh` → 00 16,
 * `established,related` → 6 in host order, `"eth0"` → 16 NUL-padded bytes. The symbol tables
 * are the renderer's (render/datatypes.ts), read in the other direction, so what the parser
 * accepts is what the lister prints. Also the ids nft stores as set key and data types.
 */
import { parseIp, parseLinkAddress } from '../../../netlink/addresses.js';
import { encodeKernelText } from '../../../netlink/text.js';
import { NFT_DATATYPE_BITS, NftDatatype } from '../../constants.js';
import { fromBigInt, type ByteOrder } from '../../render/bytes.js';
import {
  CT_DIRECTIONS, CT_STATES, CT_STATUSES, DSCP_VALUES, ECN_VALUES, ETHER_TYPES, FIB_ADDRESS_TYPES, FLAG_TYPES, ICMP_TYPES, ICMPV6_TYPES,
  INET_PROTOCOLS, INTERFACE_TYPES, NF_PROTOCOLS, PACKET_TYPES, TCP_FLAGS, type Datatype, type SymbolTable,
} from '../../render/datatypes.js';
import type { ListValue, WordValue } from '../ast.js';
import { durationMs, integerOf } from '../units.js';
import { CompileError } from './compile-error.js';

/**
 * nft's datatype ids (enum datatypes in nftables' datatype.h) for the types this compiler can
 * put in a set; the ones src/nft/constants.ts already names are taken from there.
 */
export const DATATYPE_IDS = {
  ...NftDatatype,
  time: 18, // TYPE_TIME
  iface_type: 21, // TYPE_ARPHRD
  ct_dir: 27, // TYPE_CT_DIR
  ct_status: 28, // TYPE_CT_STATUS
  icmpv6_type: 29, // TYPE_ICMP6_TYPE
  pkttype: 31, // TYPE_PKTTYPE
  dscp: 36, // TYPE_DSCP
  ecn: 37, // TYPE_ECN
  fib_addrtype: 38, // TYPE_FIB_ADDR
  boolean: 39, // TYPE_BOOLEAN
} as const;

/** The set datatype id of a renderer datatype. */
export function datatypeId(type: Datatype): number {
  switch (type) {
    case 'hex': return DATATYPE_IDS.integer;
    case 'string': return DATATYPE_IDS.string;
    default: return (DATATYPE_IDS as Record<string, number>)[type] ?? DATATYPE_IDS.integer;
  }
}

/** The datatype id of a concatenation: each part's id shifted in NFT_DATATYPE_BITS at a time. */
export function concatenatedTypeId(ids: readonly number[]): number {
  return ids.reduce((t, id) => ((t << NFT_DATATYPE_BITS) | id) >>> 0, 0);
}

/** The ids a (possibly concatenated) datatype id is made of, first part first. */
export function splitTypeId(type: number): number[] {
  const ids: number[] = [];
  const base = 2 ** NFT_DATATYPE_BITS;
  for (let t = type; t > 0; t = Math.floor(t / base)) ids.unshift(t % base);
  return ids;
}

/** Renderer datatypes by set datatype id (for printing named sets' elements). */
export const DATATYPE_BY_ID: ReadonlyMap<number, Datatype> = new Map(
  (Object.entries(DATATYPE_IDS) as Array<[string, number]>)
    .filter(([name]) => name !== 'verdict' && name !== 'bitmask' && name !== 'lladdr' && name !== 'arp_op')
    .map(([name, id]) => [id, name as Datatype]),
);

/** Symbolic names each enumerated datatype accepts. */
const SYMBOLS: Partial<Record<Datatype, SymbolTable>> = {
  inet_proto: INET_PROTOCOLS, nf_proto: NF_PROTOCOLS, ether_type: ETHER_TYPES, iface_type: INTERFACE_TYPES, pkttype: PACKET_TYPES,
  ct_dir: CT_DIRECTIONS, fib_addrtype: FIB_ADDRESS_TYPES, dscp: DSCP_VALUES, ecn: ECN_VALUES, icmp_type: ICMP_TYPES, icmpv6_type: ICMPV6_TYPES,
  ct_state: CT_STATES, ct_status: CT_STATUSES, tcp_flag: TCP_FLAGS,
};

/** Lookups a value may need from outside: interface indexes and service names. */
export interface ValueResolvers {
  /** The index of a network interface (for `iif`, `oif`), or undefined when there is none. */
  interfaceIndex?(name: string): number | undefined;
  /** A port number for a service name (`ssh`), as /etc/services has it. */
  serviceNumber?(name: string): number | undefined;
}

/** What a value has to be: its datatype, size and byte order in the register. */
export interface ValueShape {
  type: Datatype;
  size: number;
  order: ByteOrder;
}

/** The bytes of a value; `prefix` for an interface name with a trailing `*` (only that many bytes). */
export interface EncodedValue {
  bytes: Uint8Array;
  prefix?: boolean;
}

const IFNAMSIZ = 16;

function describe(type: Datatype): string {
  switch (type) {
    case 'ipv4_addr': return 'an IPv4 address';
    case 'ipv6_addr': return 'an IPv6 address';
    case 'ether_addr': return 'an Ethernet address';
    case 'inet_service': return 'a port number (0-65535) or a service name';
    case 'inet_proto': return 'a protocol name (tcp, udp, icmp …) or number';
    case 'iface_index': return 'an interface name';
    case 'ifname': case 'string': return 'a name';
    case 'time': return 'a duration such as 30s';
    default: {
      const table = SYMBOLS[type];
      return table ? `one of ${Object.keys(table).join(', ')} or a number` : 'a number';
    }
  }
}

function integerFits(n: bigint, size: number): boolean {
  return n >= 0n && n < 1n << BigInt(size * 8);
}

/** The number a word means in `shape` (symbol, number, port, duration …), or undefined. */
function numberOf(word: WordValue, shape: ValueShape, resolvers: ValueResolvers): bigint | undefined {
  const text = word.text;
  const table = SYMBOLS[shape.type];
  if (table && Object.hasOwn(table, text)) return BigInt(table[text]!);
  const n = integerOf(text);
  if (n !== undefined) return n;
  if (shape.type === 'inet_service') {
    const port = resolvers.serviceNumber?.(text);
    return port === undefined ? undefined : BigInt(port);
  }
  if (shape.type === 'time') return durationMs(text);
  if (shape.type === 'boolean') return text === 'exists' ? 1n : text === 'missing' ? 0n : undefined;
  if (shape.type === 'iface_index') {
    const index = resolvers.interfaceIndex?.(text);
    if (index === undefined) throw new CompileError(`interface '${text}' does not exist`, word.span);
    return BigInt(index);
  }
  return undefined;
}

/** Encode one word as a value of `shape`. @throws CompileError (at the value's span) */
export function encodeWord(word: WordValue, shape: ValueShape, resolvers: ValueResolvers = {}): EncodedValue {
  const { type, size, order } = shape;
  switch (type) {
    case 'ipv4_addr':
    case 'ipv6_addr': {
      try {
        return { bytes: parseIp(word.text, 'address', type === 'ipv4_addr' ? 4 : 6).bytes };
      } catch {
        throw new CompileError(`'${word.text}' is not ${describe(type)}`, word.span);
      }
    }
    case 'ether_addr': {
      const bytes = /^[0-9a-fA-F]{1,2}(:[0-9a-fA-F]{1,2}){5}$/.test(word.text) ? parseLinkAddress(word.text) : undefined;
      if (!bytes) throw new CompileError(`'${word.text}' is not ${describe(type)}`, word.span);
      return { bytes };
    }
    case 'ifname':
    case 'string': {
      const wildcard = word.text.endsWith('*');
      const text = encodeKernelText(wildcard ? word.text.slice(0, -1) : word.text);
      if (text.includes(0) || text.length >= IFNAMSIZ || (!wildcard && text.length === 0)) {
        throw new CompileError(`'${word.text}' is not an interface name (1 to ${IFNAMSIZ - 1} bytes)`, word.span);
      }
      if (wildcard) return { bytes: text, prefix: true };
      const bytes = new Uint8Array(size);
      bytes.set(text);
      return { bytes };
    }
    default: {
      const n = numberOf(word, shape, resolvers);
      if (n === undefined) throw new CompileError(`'${word.text}' is not ${describe(type)}`, word.span);
      if (!integerFits(n, size)) throw new CompileError(`${word.text} does not fit in ${size * 8} bits`, word.span);
      return { bytes: fromBigInt(n, size, order) };
    }
  }
}

/** `established,related`: the OR of flag values (flag datatypes only). @throws CompileError (at the value's span) */
export function encodeFlagList(list: ListValue, shape: ValueShape, resolvers: ValueResolvers = {}): Uint8Array {
  if (!FLAG_TYPES[shape.type]) throw new CompileError(`a list of values needs braces here: { ${list.items.map((i) => i.text).join(', ')} }`, list.span);
  let n = 0n;
  for (const item of list.items) {
    const v = numberOf(item, shape, resolvers);
    if (v === undefined) throw new CompileError(`'${item.text}' is not ${describe(shape.type)}`, item.span);
    n |= v;
  }
  return fromBigInt(n, shape.size, shape.order);
}

/** Whether a datatype is a set of flag bits (a bare value tests any of them). */
export function isFlagType(type: Datatype): boolean {
  return FLAG_TYPES[type] !== undefined;
}
