/**
 * Relational matches as nft prints them: `ip saddr 10.0.0.0/24`, `tcp dport != 20-30`,
 * `ct state established,related`, `tcp flags syn / syn,ack`, `meta l4proto tcp` — and what each
 * match means for nft's dependency bookkeeping (which protocol it uses and which it selects).
 */
import type { TableFamily } from '../constants.js';
import type { CmpOpName } from '../expressions/constants.js';
import { fromBigInt, toBigInt } from './bytes.js';
import { FLAG_TYPES, flagNames, formatValue, type FormatContext } from './datatypes.js';
import { HEADER_PROTOCOLS, LINK_BY_INTERFACE_TYPE, NETWORK_BY_ETHER_TYPE, NETWORK_BY_NFPROTO, TRANSPORT_BY_INET_PROTO, type HeaderField, type HeaderProtocolName } from './fields.js';
import { protocolAt, viewPayload, type Layer, type Operand, type PayloadOperand, type ProtocolContext } from './operands.js';

/** A match's text, and the protocol it establishes (nft's dependency bookkeeping). */
export interface Match {
  text: string;
  /** The protocol of the header field it reads (a dependency on it can be dropped). */
  uses?: { layer: Layer; protocol: HeaderProtocolName };
  /** The protocol an equality match on a protocol key selects (`meta l4proto tcp`: tcp). */
  defines?: { layer: Layer; protocol: HeaderProtocolName };
}

export interface MatchEnvironment {
  family: TableFamily;
  context: ProtocolContext;
  format: FormatContext;
}

const OPERATOR: Readonly<Record<CmpOpName, string>> = { eq: '', neq: '!= ', lt: '< ', lte: '<= ', gt: '> ', gte: '>= ' };
/** Header fields whose equality match selects the next layer's protocol. */
const PROTOCOL_KEYS: Readonly<Record<string, Layer>> = { 'ip protocol': 'transport', 'ip6 nexthdr': 'transport', 'ether type': 'network' };
const KEY_TABLES: Readonly<Record<Layer, Readonly<Record<number, HeaderProtocolName>>>> = {
  link: LINK_BY_INTERFACE_TYPE,
  network: { ...NETWORK_BY_NFPROTO, ...NETWORK_BY_ETHER_TYPE },
  transport: TRANSPORT_BY_INET_PROTO,
};

/** What an equality match on a protocol key establishes, if anything. */
function defined(layer: Layer | undefined, value: Uint8Array, order: 'big' | 'host'): Match['defines'] {
  if (!layer) return undefined;
  const protocol = KEY_TABLES[layer][Number(toBigInt(value, order))];
  return protocol ? { layer, protocol } : undefined;
}

/**
 * `left [op ]value` for a register compared with a constant, or with a range `value-to`.
 * Undefined when nft would not print it this way (the caller prints it raw).
 */
export function matchText(env: MatchEnvironment, left: Operand | undefined, op: CmpOpName, value: Uint8Array, to?: Uint8Array): Match | undefined {
  if (!left) return undefined;
  const operator = OPERATOR[op];
  if (left.kind === 'payload') {
    const view = viewPayload(left, env.family, env.context);
    if (!view) return undefined;
    const uses = { layer: view.layer, protocol: view.protocol };
    if (view.match === 'flags') {
      const table = FLAG_TYPES[view.type]!;
      const mask = flagNames(table, toBigInt(left.mask!, 'big')).join(',');
      if (to) return undefined;
      // `tcp flags syn`: any of the bits; `tcp flags syn / syn,ack`: these bits, of those.
      if (op === 'neq' && toBigInt(value, 'big') === 0n) return { text: `${view.text} ${mask}`, uses };
      if (op === 'eq') return { text: `${view.text} ${flagNames(table, toBigInt(value, 'big')).join(',')} / ${mask}`, uses };
      return undefined;
    }
    const show = (bytes: Uint8Array): string => {
      if (view.match === 'prefix') {
        const full = new Uint8Array(view.size);
        full.set(bytes.subarray(0, view.size));
        return `${formatValue(view.type, full, 'big', env.format)}/${view.prefix}`;
      }
      if (view.match === 'bits') {
        const n = (toBigInt(bytes, 'big') >> BigInt(view.shift!)) & ((1n << BigInt(view.field.length)) - 1n);
        return formatValue(view.type, fromBigInt(n, view.size, 'big'), 'big', env.format);
      }
      return formatValue(view.type, bytes, 'big', env.format);
    };
    const text = `${view.text} ${operator}${to ? `${show(value)}-${show(to)}` : show(value)}`;
    const key = PROTOCOL_KEYS[view.text];
    const defines = op === 'eq' && !to && view.match === 'exact' ? defined(key, value, 'big') : undefined;
    return { text, uses, ...(defines ? { defines } : {}) };
  }
  if (left.kind !== 'named') return undefined;
  if (left.mask) {
    const flags = FLAG_TYPES[left.type];
    if (!flags || op !== 'neq' || to || toBigInt(value, left.order) !== 0n || !left.xor || toBigInt(left.xor, left.order) !== 0n) return undefined;
    return { text: `${left.text} ${flagNames(flags, toBigInt(left.mask, left.order)).join(',')}` };
  }
  const show = (bytes: Uint8Array): string => formatValue(left.type, bytes, left.order, env.format);
  const text = `${left.text} ${operator}${to ? `${show(value)}-${show(to)}` : show(value)}`;
  const defines = op === 'eq' && !to ? defined(left.defines, value, left.order) : undefined;
  return { text, ...(defines ? { defines } : {}) };
}

/**
 * A load of several adjacent header fields compared at once (nft merges `tcp sport 1 tcp dport
 * 2` into one 4-byte load and cmp) as one match per field, the way nft lists it. Undefined
 * unless the loaded bytes are exactly a run of whole, byte-aligned fields.
 */
export function splitMatches(env: MatchEnvironment, left: PayloadOperand, op: 'eq' | 'neq', value: Uint8Array): Match[] | undefined {
  if (left.mask || left.xor || value.length !== left.len) return undefined;
  const where = protocolAt(left.base, env.family, env.context);
  if (!where) return undefined;
  const fields = Object.values(HEADER_PROTOCOLS[where.protocol].fields) as HeaderField[];
  const out: Match[] = [];
  const end = (left.offset + left.len) * 8;
  for (let pos = left.offset * 8; pos < end; ) {
    const field = fields.find((f) => f.offset === pos && f.length % 8 === 0 && pos + f.length <= end);
    if (!field) return undefined;
    const from = pos / 8 - left.offset;
    const part: PayloadOperand = { ...left, offset: pos / 8, len: field.length / 8, raw: [] };
    const match = matchText(env, part, op, value.subarray(from, from + field.length / 8));
    if (!match) return undefined;
    out.push(match);
    pos += field.length;
  }
  return out.length > 1 ? out : undefined;
}
