/**
 * What a selector means to the compiler: the expressions that load it into a register, its
 * datatype, size and byte order, and — for header fields — where it sits in the packet and
 * which protocol it belongs to (for dependencies and payload merging).
 */
import type { Expression } from '../../expressions/expression.js';
import type { CtKeyName, MetaKeyName, PayloadBaseName } from '../../expressions/constants.js';
import type { ByteOrder } from '../../render/bytes.js';
import type { Datatype } from '../../render/datatypes.js';
import { CT_FIELDS, HEADER_PROTOCOLS, META_FIELDS, type HeaderField, type HeaderProtocolName } from '../../render/fields.js';
import { sizeOfType } from '../../render/keys.js';
import type { Layer } from '../../render/operands.js';
import type { ConcatSelector, FibSelector, SelectorNode } from '../ast.js';
import type { Span } from '../errors.js';
import { concatenatedTypeId, datatypeId } from './datatypes.js';
import { paddedSize, registerAt, unitsOf } from './registers.js';
import { typeofConcat, typeofCt, typeofFib, typeofMeta, typeofPayload } from './typeof.js';

/** Where a header field is: the bytes to load, and the field's bits within them. */
export interface PayloadPlace {
  protocol: HeaderProtocolName;
  field: string;
  layer: Layer;
  base: PayloadBaseName;
  /** Bytes loaded: from `offset`, `len` of them. */
  offset: number;
  len: number;
  /** The field is narrower than the load: shift its value left by `shift` bits under `mask`. */
  shift: number;
  mask?: Uint8Array;
  /** An equality match on it selects the next layer's protocol (ip protocol, ip6 nexthdr, ether type). */
  protocolKey: boolean;
}

/** A key as the compiler uses it. */
export interface Key {
  span: Span;
  type: Datatype;
  order: ByteOrder;
  /** Bytes of the register value (for a concatenation: each part padded to 4 bytes). */
  size: number;
  /** The expressions loading the key into register `reg` (a concatenation fills consecutive 4-byte slots). */
  load(reg: number): Expression[];
  /** nft's set datatype id for a set keyed by this. */
  setType: number;
  /** nft's key-typeof userdata describing the key, when nft writes one. */
  typeofData?: Uint8Array;
  payload?: PayloadPlace;
  /** The parts of a concatenation. */
  parts?: Key[];
  /** The layer whose protocol an equality match on this key selects. */
  defines?: Layer;
  /** The meta key, for dependency checks (`meta nfproto` only in inet). */
  meta?: MetaKeyName;
}

const LAYER_OF_BASE: Readonly<Record<string, Layer>> = { link: 'link', network: 'network', transport: 'transport' };
/** Header fields whose equality match selects the next layer's protocol. */
const PROTOCOL_FIELDS: Readonly<Record<string, Layer>> = { 'ip protocol': 'transport', 'ip6 nexthdr': 'transport', 'ether type': 'network' };
/** Meta keys whose equality match selects a layer's protocol. */
const META_DEFINES: Readonly<Partial<Record<MetaKeyName, Layer>>> = { l4proto: 'transport', nfproto: 'network', iiftype: 'link' };
/** Register sizes nft gives keys whose datatype alone does not tell (nft's meta and ct templates). */
const META_SIZES: Readonly<Partial<Record<MetaKeyName, number>>> = { nftrace: 1 };
const CT_SIZES: Readonly<Partial<Record<CtKeyName, number>>> = { zone: 2, packets: 8, bytes: 8, avgpkt: 8 };

function payloadKey(protocol: HeaderProtocolName, field: string, span: Span): Key {
  const description = HEADER_PROTOCOLS[protocol];
  const f = (description.fields as Record<string, HeaderField>)[field]!;
  const offset = Math.floor(f.offset / 8);
  const end = Math.ceil((f.offset + f.length) / 8);
  const len = end - offset;
  const shift = end * 8 - (f.offset + f.length);
  let mask: Uint8Array | undefined;
  if (f.offset % 8 !== 0 || f.length % 8 !== 0) {
    mask = new Uint8Array(len);
    for (let bit = f.offset - offset * 8; bit < f.offset - offset * 8 + f.length; bit++) mask[bit >> 3]! |= 0x80 >> (bit & 7);
  }
  const base = description.base;
  const defines = PROTOCOL_FIELDS[`${protocol} ${field}`];
  const place: PayloadPlace = { protocol, field, layer: LAYER_OF_BASE[base]!, base, offset, len, shift, ...(mask ? { mask } : {}), protocolKey: defines !== undefined };
  return {
    span,
    type: f.type,
    order: 'big',
    size: mask ? Math.ceil(f.length / 8) : len,
    load: (reg) => [{ type: 'payload', dreg: reg, base, offset, len }],
    setType: datatypeId(f.type),
    typeofData: typeofPayload(protocol, field),
    payload: place,
    ...(defines ? { defines } : {}),
  };
}

function fibKey(s: FibSelector): Key {
  const type: Datatype = s.result === 'oif' ? 'iface_index' : s.result === 'oifname' ? 'ifname' : 'fib_addrtype';
  const flags = [...s.keys];
  return {
    span: s.span,
    type,
    order: 'host',
    size: sizeOfType(type),
    load: (reg) => [{ type: 'fib', flags, result: s.result, dreg: reg }],
    setType: datatypeId(type),
    typeofData: typeofFib(s.result, flags),
  };
}

function concatKey(s: ConcatSelector): Key {
  const parts = s.parts.map((p) => keyOf(p));
  const size = parts.reduce((n, p) => n + paddedSize(p.size), 0);
  return {
    span: s.span,
    type: parts[0]!.type,
    order: 'big',
    size,
    load(reg) {
      const out: Expression[] = [];
      let unit = 0;
      for (const p of parts) {
        out.push(...p.load(registerAt(reg, unit)));
        unit += unitsOf(p.size);
      }
      return out;
    },
    setType: concatenatedTypeId(parts.map((p) => p.setType)),
    ...(parts.every((p) => p.typeofData) ? { typeofData: typeofConcat(parts.map((p) => p.typeofData!)) } : {}),
    parts,
  };
}

/** The key a selector stands for. */
export function keyOf(s: SelectorNode): Key {
  switch (s.kind) {
    case 'payload':
      return payloadKey(s.protocol, s.field, s.span);
    case 'meta': {
      const field = META_FIELDS[s.key]!;
      const size = META_SIZES[s.key] ?? sizeOfType(field.type);
      const key = s.key;
      const defines = META_DEFINES[key];
      return {
        span: s.span, type: field.type, order: field.order, size,
        load: (reg) => [{ type: 'meta', key, dreg: reg }],
        setType: datatypeId(field.type), typeofData: typeofMeta(key), meta: key,
        ...(defines ? { defines } : {}),
      };
    }
    case 'ct': {
      const field = CT_FIELDS[s.key]!;
      const size = CT_SIZES[s.key] ?? sizeOfType(field.type);
      const key = s.key;
      const direction = s.direction;
      return {
        span: s.span, type: field.type, order: field.order, size,
        load: (reg) => [{ type: 'ct', key, dreg: reg, ...(direction ? { direction } : {}) }],
        setType: datatypeId(field.type), typeofData: typeofCt(key, direction),
      };
    }
    case 'fib':
      return fibKey(s);
    case 'concat':
      return concatKey(s);
  }
}
