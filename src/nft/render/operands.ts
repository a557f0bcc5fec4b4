/**
 * What a register holds while the renderer walks a rule: a payload load not yet named (its
 * name depends on the protocol context and on a later mask), a named key (meta, ct, fib, TCP
 * option), a constant, or the result of a map lookup. And how a payload load is named:
 * `ip saddr`, a prefix of it (`/24`), a bit field (`ip dscp`) or a flag test (`tcp flags syn`).
 */
import type { TableFamily } from '../constants.js';
import type { Expression } from '../expressions/expression.js';
import type { PayloadBaseName } from '../expressions/constants.js';
import { prefixLength, type ByteOrder } from './bytes.js';
import { FLAG_TYPES, type Datatype } from './datatypes.js';
import { HEADER_PROTOCOLS, type HeaderField, type HeaderProtocolName } from './fields.js';
import type { RenderSet } from './sets.js';

/** The protocol layers nft tracks dependencies for. */
export type Layer = 'link' | 'network' | 'transport';

/** The protocols established so far by the rule's matches (`meta l4proto tcp` → tcp). */
export type ProtocolContext = Partial<Record<Layer, HeaderProtocolName>>;

/** A payload load, named when it is used. `mask`/`xor` come from a following bitwise. */
export interface PayloadOperand {
  kind: 'payload';
  base: PayloadBaseName | number;
  offset: number;
  len: number;
  mask?: Uint8Array;
  xor?: Uint8Array;
  /** The expressions that produced it, printed raw if nothing can name it. */
  raw: Expression[];
}

/** A key with a fixed name and type: meta, ct, fib, a TCP option. */
export interface NamedOperand {
  kind: 'named';
  text: string;
  type: Datatype;
  order: ByteOrder;
  /** Bytes of the value. */
  size: number;
  /** The layer whose protocol this key selects (meta l4proto: transport). */
  defines?: Layer;
  mask?: Uint8Array;
  xor?: Uint8Array;
  raw: Expression[];
}

/** A constant loaded by immediate; its type comes from whoever uses it. */
export interface ConstantOperand {
  kind: 'constant';
  bytes: Uint8Array;
  raw: Expression[];
}

/** The data a map lookup loaded: printed as `<key> map { k : v, … }` by its user. */
export interface MapOperand {
  kind: 'map';
  key: string;
  set: RenderSet | undefined;
  setName: string;
  keyLayout: KeyComponent[];
  raw: Expression[];
}

export type Operand = PayloadOperand | NamedOperand | ConstantOperand | MapOperand;

/** One component of a set key (several for a concatenation). */
export interface KeyComponent {
  text: string;
  type: Datatype;
  order: ByteOrder;
  size: number;
}

/** How a payload load reads as a named header field. */
export interface FieldView {
  protocol: HeaderProtocolName;
  layer: Layer;
  /** `ip saddr`, `tcp flags`. */
  text: string;
  field: HeaderField;
  type: Datatype;
  /** Bytes of the field's value. */
  size: number;
  /** exact: the whole field; prefix: its first `prefix` bits; bits: a bit field under a mask; flags: a flag test under a mask. */
  match: 'exact' | 'prefix' | 'bits' | 'flags';
  prefix?: number;
  /** For `bits`: right shift of the loaded value to get the field's value. */
  shift?: number;
}

const ADDRESS_TYPES: ReadonlySet<Datatype> = new Set(['ipv4_addr', 'ipv6_addr']);
const LAYER_OF_BASE: Partial<Record<PayloadBaseName, Layer>> = { link: 'link', network: 'network', transport: 'transport' };

/** The header protocol at a payload base, given the table family and the context. */
export function protocolAt(base: PayloadBaseName | number, family: TableFamily, context: ProtocolContext): { protocol: HeaderProtocolName; layer: Layer } | undefined {
  const layer = typeof base === 'string' ? LAYER_OF_BASE[base] : undefined;
  if (!layer) return undefined;
  if (layer === 'network' && (family === 'ip' || family === 'ip6')) return { protocol: family, layer };
  if (layer === 'link' && !context.link && (family === 'bridge' || family === 'netdev')) return { protocol: 'ether', layer };
  if (layer === 'transport' && !context.transport) return { protocol: 'th', layer };
  const protocol = context[layer];
  return protocol ? { protocol, layer } : undefined;
}

/** The mask selecting bits [from, from + length) of a `bytes`-long big-endian value. */
function bitMask(bytes: number, from: number, length: number): Uint8Array {
  const out = new Uint8Array(bytes);
  for (let bit = from; bit < from + length; bit++) out[bit >> 3]! |= 0x80 >> (bit & 7);
  return out;
}

const sameBytes = (a: Uint8Array, b: Uint8Array): boolean => a.length === b.length && a.every((x, i) => x === b[i]);
const isZero = (b: Uint8Array | undefined): boolean => !b || b.every((x) => x === 0);

/** Name a payload load (with its mask, if any), or undefined when nft would print it raw. */
export function viewPayload(load: PayloadOperand, family: TableFamily, context: ProtocolContext): FieldView | undefined {
  const where = protocolAt(load.base, family, context);
  if (!where || !isZero(load.xor)) return undefined;
  const start = load.offset * 8;
  const bits = load.len * 8;
  const fields = HEADER_PROTOCOLS[where.protocol].fields as Readonly<Record<string, HeaderField>>;
  for (const [name, field] of Object.entries(fields)) {
    const base = { protocol: where.protocol, layer: where.layer, text: `${where.protocol} ${name}`, field, type: field.type, size: Math.ceil(field.length / 8) };
    const isAddress = ADDRESS_TYPES.has(field.type);
    if (!load.mask) {
      if (field.offset === start && field.length === bits) return { ...base, match: 'exact' };
      if (isAddress && field.offset === start && field.length > bits) return { ...base, match: 'prefix', prefix: bits };
      continue;
    }
    if (isAddress && field.offset === start && field.length >= bits) {
      const prefix = prefixLength(load.mask);
      if (prefix !== undefined) return { ...base, match: 'prefix', prefix };
    }
    if (FLAG_TYPES[field.type] && field.offset === start && field.length === bits) return { ...base, match: 'flags' };
    if (field.offset >= start && field.offset + field.length <= start + bits && sameBytes(load.mask, bitMask(load.len, field.offset - start, field.length))) {
      return { ...base, match: 'bits', shift: start + bits - (field.offset + field.length) };
    }
  }
  return undefined;
}
