/**
 * One expression (the content of an NFTA_LIST_ELEM: NFTA_EXPR_NAME + NFTA_EXPR_DATA) and a rule's
 * list of them (NFTA_RULE_EXPRESSIONS). Known names decode to `{ type: name, …attributes }`;
 * names this version does not model decode to `{ type: 'opaque', name, data }` with the data
 * kept as raw attributes. Either way decode → encode gives back the same bytes: the wire
 * details a value does not show (attribute order and flag bits, whether NFTA_EXPR_DATA was
 * present, the list element's flags) are remembered out of sight (expression-layout.ts).
 *
 * These codecs run for every expression of every rule listed or loaded, so the common case —
 * a modelled expression, canonically framed — is decoded and encoded in place, without
 * payload views, closures or path strings per attribute; anything else takes the exact path.
 */
import { Buffer } from 'node:buffer';
import { NLA_F_NESTED, NLA_F_NET_BYTEORDER, NLA_HDRLEN, NLA_TYPE_MASK } from '../../netlink/constants.js';
import { DecodeError, ValidationError } from '../../netlink/errors.js';
import type { FieldCodec } from '../../netlink/field.js';
import { cstring } from '../../netlink/fields.js';
import { decodeRawAttributes, walkAttributes, writeRawAttributes, type RawAttribute } from '../../netlink/raw-attributes.js';
import { decodedState } from '../../netlink/hidden.js';
import { beginNesting, endNesting, FLAGGED, isUnflagged, noteNested, UNFLAGGED } from '../../netlink/nesting-style.js';
import { align4, CODEC_FLAGS, PACKED_NESTED, PACKED_NET_BYTEORDER, type Writer } from '../../netlink/writer.js';
import { defineAttributeSet, type AttributeSet, type AttributeSpecs } from '../../netlink/attribute-set.js';
import { withInPlaceReader } from '../../netlink/codec-hints.js';
import { lastRead } from '../../netlink/decode-plan.js';
import { NFTA_LIST_ELEM } from '../constants.js';
import { NftaExpr } from './constants.js';
import type { ExpressionDefinition, ExpressionOf } from './definition.js';
import {
  canonicalLayout,
  DEFAULT_LAYOUT,
  definitionNamed,
  encodesAsBuilt,
  infoOf,
  layoutOf,
  modelledType,
  rememberLayout,
  stringsInOtherForm,
  type DefinitionInfo,
  type ElementLayout,
} from './expression-layout.js';
import { expressionDefinition, type ModelledDefinition } from './registry.js';
import { otherStringForm } from './strings.js';
import { constantElement } from './constant-element.js';

/** An expression whose name this version does not model, kept byte-exact. */
export interface OpaqueExpression {
  type: 'opaque';
  /** The kernel's NFTA_EXPR_NAME. */
  name: string;
  /** The attributes inside NFTA_EXPR_DATA, exactly as on the wire. */
  data: RawAttribute[];
}

/** Any expression: one of the modelled ones (discriminated by `type`) or an opaque one. */
export type Expression = ExpressionOf<ModelledDefinition> | OpaqueExpression;
/** The `type` values of the modelled expressions. */
export type ExpressionType = ModelledDefinition['name'];

const FLAG_BITS = NLA_F_NESTED | NLA_F_NET_BYTEORDER;
/** A nest written with the codec's own flags: NLA_F_NESTED as the writer's nesting style says. */
const DEFAULT_NEST = PACKED_NESTED | CODEC_FLAGS;

const u16At = (b: Uint8Array, at: number): number => b[at]! | (b[at + 1]! << 8);

/** Raw NLA_F_* bits packed as Writer.beginAttribute takes them. */
const packFlags = (flags: number): number => ((flags & NLA_F_NESTED) !== 0 ? PACKED_NESTED : 0) | ((flags & NLA_F_NET_BYTEORDER) !== 0 ? PACKED_NET_BYTEORDER : 0);

/**
 * The element in `bytes[off, end)` if it is the common case — a modelled name with its NUL,
 * then the nested data attribute, read by its set's compiled reader — else undefined. Not for
 * a Buffer, whose slice() would share memory (see attribute-set.ts).
 */
function decodeCanonicalElement(bytes: Uint8Array, off: number, end: number, listElementFlags: number | undefined): Expression | undefined {
  // Nests come flagged NLA_F_NESTED (requests) or not (the kernel's dumps); noted below.
  if ((listElementFlags !== undefined && (listElementFlags & ~NLA_F_NESTED) !== 0) || Buffer.isBuffer(bytes)) return undefined;
  if (end - off < 2 * NLA_HDRLEN) return undefined;
  const nameLen = u16At(bytes, off);
  if (nameLen < NLA_HDRLEN || u16At(bytes, off + 2) !== NftaExpr.NFTA_EXPR_NAME) return undefined;
  const dataAt = off + align4(nameLen);
  if (dataAt + NLA_HDRLEN > end) return undefined;
  const dataLen = u16At(bytes, dataAt);
  // The data attribute must be the last one (as the generic walk would find it).
  if (dataLen < NLA_HDRLEN || dataAt + dataLen > end || dataAt + align4(dataLen) < end) return undefined;
  const dataType = u16At(bytes, dataAt + 2);
  if ((dataType & ~NLA_F_NESTED) !== NftaExpr.NFTA_EXPR_DATA) return undefined;
  const info = definitionNamed(bytes, off + NLA_HDRLEN, nameLen - NLA_HDRLEN);
  if (!info) return undefined;
  const out = info.read(bytes, dataAt + NLA_HDRLEN, dataAt + dataLen, info.start());
  if (out === undefined) return undefined;
  const { inDeclarationOrder, present } = lastRead;
  const switched = stringsInOtherForm(info, bytes, dataAt + NLA_HDRLEN, dataAt + dataLen);
  if (switched !== undefined || !encodesAsBuilt(info, out, inDeclarationOrder, dataLen > NLA_HDRLEN, present)) {
    rememberLayout(out, canonicalLayout(listElementFlags, dataType & FLAG_BITS, switched));
  } else {
    // Written back with the codecs' flags, in the style of the value this element is part of.
    if (listElementFlags !== undefined) noteNested(listElementFlags !== 0);
    noteNested(dataType !== NftaExpr.NFTA_EXPR_DATA);
  }
  return out as Expression;
}

/** An element of any form: layout, unknown attributes and opaque expressions kept; DecodeErrors with paths. */
function decodeElementExactly(bytes: Uint8Array, at: number, path: string, listElementFlags: number | undefined): Expression {
  const entries: Array<ElementLayout['entries'][number]> = [];
  let name: string | undefined;
  let data: { payload: Uint8Array; at: number } | undefined;
  walkAttributes(bytes, at, path, (type, flags, payload, payloadAt) => {
    if (type === NftaExpr.NFTA_EXPR_NAME && name === undefined) {
      name = cstring.decode(payload, payloadAt, `${path}.name`);
      entries.push({ kind: 'name', flags });
    } else if (type === NftaExpr.NFTA_EXPR_DATA && data === undefined) {
      data = { payload, at: payloadAt };
      entries.push({ kind: 'data', flags });
    } else {
      const raw = { type, nested: (flags & NLA_F_NESTED) !== 0, netByteOrder: (flags & NLA_F_NET_BYTEORDER) !== 0, value: payload.slice() };
      entries.push({ kind: 'other', raw });
    }
  });
  if (name === undefined) throw new DecodeError(path, at, 'expression without NFTA_EXPR_NAME');
  const found = data as { payload: Uint8Array; at: number } | undefined;
  const definition = expressionDefinition(name);
  let out: Expression;
  let switched: string[] | undefined;
  if (definition) {
    const type = name;
    out = (found ? definition.data.decodeInto(() => ({ type }), found.payload, found.at, `${path}.${name}`) : { type }) as Expression;
    if (found) switched = stringsInOtherForm(infoOf(definition), found.payload, 0, found.payload.length);
  } else {
    out = { type: 'opaque', name, data: found ? decodeRawAttributes(found.payload, found.at, `${path}.${name}`) : [] };
  }
  rememberLayout(out, {
    entries,
    ...(listElementFlags !== undefined ? { listElementFlags } : {}),
    ...(switched !== undefined ? { otherStringForm: switched } : {}),
  });
  return out;
}

/** The element in `bytes[off, end)`; `index` completes `path` for a list's elements. */
function decodeElement(bytes: Uint8Array, off: number, end: number, at: number, path: string, index: number | undefined, listElementFlags: number | undefined): Expression {
  return (
    decodeCanonicalElement(bytes, off, end, listElementFlags) ??
    decodeElementExactly(bytes.subarray(off, end), at, index === undefined ? path : `${path}[${index}]`, listElementFlags)
  );
}

const variantSets = new Map<string, AttributeSet<AttributeSpecs>>();

/** The definition's attribute set with the string codecs of `keys` swapped to the other form. */
function withOtherStringForm(definition: ExpressionDefinition, keys: readonly string[]): AttributeSet<AttributeSpecs> {
  const id = `${definition.name}:${[...keys].sort().join(',')}`;
  let set = variantSets.get(id);
  if (!set) {
    const specs: AttributeSpecs = { ...definition.data.specs };
    for (const key of keys) specs[key] = { ...specs[key]!, codec: otherStringForm.get(specs[key]!.codec)! };
    set = defineAttributeSet(definition.data.name, specs);
    variantSets.set(id, set);
  }
  return set;
}

/** The attributes of a modelled expression (everything but `type`), in declaration order. */
function attributesOf(value: Record<string, unknown>, definition: ExpressionDefinition): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  if (layoutOf(value)) {
    // Decoded: the remembered wire layout decides the order.
    for (const key in value) if (key !== 'type') out[key] = value[key];
  } else {
    for (const key of infoOf(definition).keys) if (value[key] !== undefined) out[key] = value[key];
    for (const key in value) if (key !== 'type' && !(key in out)) out[key] = value[key];
  }
  return out;
}

/** Whether a value built in code has attributes to write (any key but `type`; declared ones when set). */
function hasAttributes(value: Record<string, unknown>, definition: ExpressionDefinition): boolean {
  const order = infoOf(definition).order;
  for (const key in value) if (key !== 'type' && (value[key] !== undefined || !order.has(key))) return true;
  return false;
}

/** End an attribute whose span path is `${path}.${key}` (also when `path` is empty, as it always was). */
function endAttributeUnder(w: Writer, start: number, path: string, key: string): void {
  if (path === '' && w.recordsSpans) w.endAttribute(start, `.${key}`);
  else w.endAttribute(start, path, key);
}

function writeName(w: Writer, flags: number, path: string, name: string, nameBytes: Uint8Array | undefined): void {
  const start = w.beginAttribute(NftaExpr.NFTA_EXPR_NAME, packFlags(flags));
  if (nameBytes) w.bytes(nameBytes);
  else cstring.encode(w, name, `${path}.name`);
  endAttributeUnder(w, start, path, 'name');
}

/** The NFTA_EXPR_NAME attribute of a built element (`length` bytes), copied whole with its padding. */
function writeBuiltName(w: Writer, path: string, nameAttribute: Uint8Array, length: number): void {
  const start = w.length;
  w.bytes(nameAttribute);
  if (w.recordsSpans) w.recordSpan(start, start + length, path === '' ? '.name' : path, path === '' ? undefined : 'name');
}

function encodeOpaque(w: Writer, opaque: OpaqueExpression, path: string): void {
  if (typeof opaque.name !== 'string' || opaque.name === '' || opaque.name.includes('\0')) {
    throw new ValidationError(`${path}.name`, 'an opaque expression needs its kernel name (a non-empty string without NUL)', opaque.name);
  }
  if (!Array.isArray(opaque.data)) throw new ValidationError(`${path}.data`, 'must be an array of raw attributes', opaque.data);
  const name = opaque.name;
  for (const entry of (layoutOf(opaque) ?? DEFAULT_LAYOUT).entries) {
    if (entry.kind === 'other') writeRawAttributes(w, [entry.raw], path);
    else if (entry.kind === 'name') writeName(w, entry.flags, path, name, undefined);
    else {
      const start = w.beginAttribute(NftaExpr.NFTA_EXPR_DATA, packFlags(entry.flags));
      writeRawAttributes(w, opaque.data, `${path}.${name}`);
      endAttributeUnder(w, start, path, name);
    }
  }
}

function encodeElement(w: Writer, value: Expression, path: string): void {
  encodeElementWith(w, value, path, value !== null && typeof value === 'object' ? layoutOf(value) : undefined);
}

/** Encode an element whose layout (if any) the caller has looked up already. */
function encodeElementWith(w: Writer, value: Expression, path: string, layout: ElementLayout | undefined): void {
  if (value === null || typeof value !== 'object' || typeof value.type !== 'string') {
    throw new ValidationError(path, "must be an expression object with a string 'type'", value);
  }
  if (value.type === 'opaque') return encodeOpaque(w, value as OpaqueExpression, path);
  const info = modelledType(value.type);
  if (!info) {
    throw new ValidationError(`${path}.type`, `unknown expression '${value.type}' (write { type: 'opaque', name, data } for expressions this version does not model)`, value.type);
  }
  const definition = info.definition;
  const name = definition.name;
  const nameBytes = info.nameBytes;
  const v = value as Record<string, unknown>;
  // Paths serve spans and errors only; an outer encoder may say neither needs them now.
  const dataPath = w.pathsOptional ? '' : `${path}.${name}`;
  if (!layout) {
    // Built in code: checked across attributes, written in declaration order (nft's).
    const problem = definition.validate?.(v);
    if (problem !== undefined) throw new ValidationError(dataPath, problem, value);
    writeBuiltName(w, path, info.nameAttribute, NLA_HDRLEN + nameBytes.length);
    if (definition.noData && !hasAttributes(v, definition)) return;
    const start = w.beginAttribute(NftaExpr.NFTA_EXPR_DATA, DEFAULT_NEST);
    definition.data.encodeWithout(w, v, dataPath, 'type', true);
    endAttributeUnder(w, start, path, name);
    return;
  }
  // Decoded: re-emitted as it was, in its own order.
  const set = layout.otherStringForm ? withOtherStringForm(definition, layout.otherStringForm) : definition.data;
  for (const entry of layout.entries) {
    if (entry.kind === 'other') writeRawAttributes(w, [entry.raw], path);
    else if (entry.kind === 'name') writeName(w, entry.flags, path, name, nameBytes);
    else {
      const start = w.beginAttribute(NftaExpr.NFTA_EXPR_DATA, packFlags(entry.flags));
      set.encodeWithout(w, v, dataPath, 'type', false);
      endAttributeUnder(w, start, path, name);
    }
  }
}

/**
 * Encode with the writer in the nesting style `value` was decoded in (nesting-style.ts): the
 * codecs below an expression decoded alone, or a list decoded alone, know nothing else.
 */
function inStyleOf<T extends object>(w: Writer, value: T, path: string, encode: (w: Writer, value: T, path: string) => void): void {
  if (!w.nestingFlagged || value === null || typeof value !== 'object' || !isUnflagged(value)) return encode(w, value, path);
  w.nestingFlagged = false;
  try {
    encode(w, value, path);
  } finally {
    w.nestingFlagged = true;
  }
}

/**
 * Decode as a value of its own, noting the nesting style (nesting-style.ts): marked when its
 * nests all came unflagged; decoded again exactly (`decode(true)`) when they came both ways.
 */
function decodeNoting<T extends object>(decode: (exactly: boolean) => T): T {
  const mark = beginNesting();
  let out: T | undefined;
  let seen = 0;
  try {
    out = decode(false);
  } finally {
    // (A DecodeError still ends the decode, so the style of the one around it stays right.)
    seen = endNesting(mark, out);
  }
  return seen === (FLAGGED | UNFLAGGED) ? decode(true) : out;
}

/** One expression: the content of an NFTA_LIST_ELEM (or of NFTA_SET_EXPR, NFTA_DYNSET_EXPR …). */
export const expressionCodec: FieldCodec<Expression> = {
  kind: 'nested(expression)',
  nested: true,
  encode: (w, value, path) => inStyleOf(w, value, path, encodeElement),
  decode: (bytes, at, path) =>
    decodeNoting((exactly) => (exactly ? decodeElementExactly(bytes, at, path, undefined) : decodeElement(bytes, 0, bytes.length, at, path, undefined, undefined))),
  validate(value) {
    return value !== null && typeof value === 'object' && typeof value.type === 'string' ? undefined : "must be an expression object with a string 'type'";
  },
};

/**
 * The common case of a large batch in one step: an expression built in code (nothing decoded
 * remembered about it), modelled, valid, written by its data set's compiled writer, on a writer
 * that records no spans and needs no paths. The same bytes as the general path, without its
 * layers per element (a 10,000-rule batch has 70,000 elements). False with nothing written:
 * the general path then runs, and reports any error with its path.
 */
function writeBuiltElement(w: Writer, value: unknown): boolean {
  if (value === null || typeof value !== 'object') return false;
  const v = value as Record<string, unknown>;
  const type = v.type;
  if (typeof type !== 'string') return false;
  const info = modelledType(type);
  if (info === undefined || decodedState(v) !== undefined) return false;
  const definition = info.definition;
  if (definition.noData || definition.validate?.(v) !== undefined) return false;
  if (w.nestingFlagged && writeDirectElement(w, info, v)) return true;
  const start = w.length;
  const element = w.beginAttribute(NFTA_LIST_ELEM, DEFAULT_NEST);
  w.bytes(info.nameAttribute);
  const data = w.beginAttribute(NftaExpr.NFTA_EXPR_DATA, DEFAULT_NEST);
  if (!definition.data.encodeBuilt(w, v, 'type')) {
    w.truncate(start, w.spanCount);
    return false;
  }
  w.endAttribute(data, '');
  w.endAttribute(element, '');
  return true;
}

const ELEMENT_TYPE = NFTA_LIST_ELEM | NLA_F_NESTED;
const DATA_TYPE = NftaExpr.NFTA_EXPR_DATA | NLA_F_NESTED;

function putHeader(buf: Uint8Array, at: number, length: number, type: number): void {
  buf[at] = length & 0xff;
  buf[at + 1] = length >>> 8;
  buf[at + 2] = type & 0xff;
  buf[at + 3] = type >>> 8;
}

/**
 * writeBuiltElement's bytes written straight into the writer's buffer by the data set's direct
 * writer (direct-write.ts), room made once: on a writer in the flagged nesting style (nests
 * carry NLA_F_NESTED), for a value already checked by its definition. False with nothing
 * written when the direct writer is not there yet or declines the value.
 */
function writeDirectElement(w: Writer, info: DefinitionInfo, v: Record<string, unknown>): boolean {
  const data = info.directData();
  if (data === undefined) return false;
  const name = info.nameAttribute;
  const nameLength = name.length;
  const start = w.length;
  const dataAt = start + NLA_HDRLEN + nameLength;
  const buf = w.room(dataAt + NLA_HDRLEN + data.max - start);
  const written = data.write(buf, dataAt + NLA_HDRLEN, v);
  if (written < 0) return false;
  // Every attribute is padded, so `end` is aligned as the element's own padding would leave it.
  const end = dataAt + NLA_HDRLEN + written;
  for (let i = 0; i < nameLength; i++) buf[start + NLA_HDRLEN + i] = name[i]!;
  putHeader(buf, dataAt, end - dataAt, DATA_TYPE);
  putHeader(buf, start, end - start, ELEMENT_TYPE);
  w.length = end;
  return true;
}

function encodeList(w: Writer, list: Expression[], path: string): void {
  const fused = w.pathsOptional && !w.recordsSpans;
  for (let i = 0; i < list.length; i++) {
    const expression = list[i]!;
    if (fused) {
      // A constant expression (constant.ts) is copied from its stored bytes, flagged style.
      const element = w.nestingFlagged && expression !== null && typeof expression === 'object' ? constantElement(expression) : undefined;
      if (element !== undefined) {
        w.bytes(element);
        continue;
      }
      if (writeBuiltElement(w, expression)) continue;
    }
    const layout = expression !== null && typeof expression === 'object' ? layoutOf(expression) : undefined;
    const listFlags = layout?.listElementFlags;
    const start = w.beginAttribute(NFTA_LIST_ELEM, listFlags === undefined ? DEFAULT_NEST : packFlags(listFlags));
    encodeElementWith(w, expression, w.pathsOptional ? '' : `${path}[${i}]`, layout);
    w.endAttribute(start, path, i);
  }
}

function decodeList(bytes: Uint8Array, at: number, path: string, exactly: boolean): Expression[] {
  const out: Expression[] = [];
  const len = bytes.length;
  let pos = 0;
  while (pos < len) {
    const i = out.length;
    // The same checks, errors and offsets as walkAttributes.
    if (len - pos < NLA_HDRLEN) throw new DecodeError(path, at + pos, `${len - pos} trailing bytes, too short for an attribute header`);
    const alen = u16At(bytes, pos);
    const rawType = u16At(bytes, pos + 2);
    const type = rawType & NLA_TYPE_MASK;
    if (alen < NLA_HDRLEN) throw new DecodeError(path, at + pos, `attribute length ${alen} is shorter than its header`);
    if (pos + alen > len) throw new DecodeError(path, at + pos, `attribute type ${type} claims ${alen} bytes, ${len - pos} left`);
    // The kernel refuses any other attribute in an expression list (nf_tables_newrule: EINVAL).
    if (type !== NFTA_LIST_ELEM) throw new DecodeError(`${path}[${i}]`, at + pos, `attribute type ${type} in an expression list (only NFTA_LIST_ELEM)`);
    const payloadAt = at + pos + NLA_HDRLEN;
    out.push(exactly
      ? decodeElementExactly(bytes.subarray(pos + NLA_HDRLEN, pos + alen), payloadAt, `${path}[${i}]`, rawType & FLAG_BITS)
      : decodeElement(bytes, pos + NLA_HDRLEN, pos + alen, payloadAt, path, i, rawType & FLAG_BITS));
    pos += align4(alen);
  }
  return out;
}

/**
 * decodeList's common case read where it lies, for the compiled reader of the set around it (a
 * rule): every element well framed and canonical, else undefined (the set then decodes
 * generically, which reports errors and keeps layouts). No decode of its own: the styles of
 * the nests are noted for the set's decode, which marks the value around the list or gives up
 * when both came — as decodeNoting would have had this list decoded again exactly.
 */
function readListInPlace(bytes: Uint8Array, off: number, end: number): Expression[] | undefined {
  // Counted first, so the array is made at its size: grown by push, a rule's seven expressions
  // sat in room for seventeen (152 bytes where 72 do, kept as long as the listing).
  let count = 0;
  for (let pos = off; pos < end; pos += align4(u16At(bytes, pos))) {
    if (end - pos < NLA_HDRLEN || u16At(bytes, pos) < NLA_HDRLEN) return undefined;
    count++;
  }
  const out: Expression[] = new Array(count);
  let pos = off;
  for (let i = 0; i < count; i++) {
    const alen = u16At(bytes, pos);
    const rawType = u16At(bytes, pos + 2);
    if (pos + alen > end || (rawType & NLA_TYPE_MASK) !== NFTA_LIST_ELEM) return undefined;
    const element = decodeCanonicalElement(bytes, pos + NLA_HDRLEN, pos + alen, rawType & FLAG_BITS);
    if (element === undefined) return undefined;
    out[i] = element;
    pos += align4(alen);
  }
  return out;
}

/**
 * A list of expressions: the content of NFTA_RULE_EXPRESSIONS (also NFTA_SET_EXPRESSIONS …),
 * one NFTA_LIST_ELEM each. Errors name the element: `expressions[2].cmp.data`.
 */
export const expressionListCodec: FieldCodec<Expression[]> = withInPlaceReader({
  kind: 'nested(expressions)',
  nested: true,
  encode(w, list, path) {
    if (!Array.isArray(list)) throw new ValidationError(path, 'must be an array of expressions', list);
    inStyleOf(w, list, path, encodeList);
  },
  decode: (bytes, at, path) => decodeNoting((exactly) => decodeList(bytes, at, path, exactly)),
  validate(list) {
    return Array.isArray(list) ? undefined : 'must be an array of expressions';
  },
}, (bytes, off, len) => readListInPlace(bytes, off, off + len));

function describeRaw(attributes: readonly RawAttribute[]): string {
  return attributes.map((a) => `${a.type}=0x${Buffer.from(a.value).toString('hex')}`).join(' ');
}

/**
 * The line `nft --debug=netlink` prints for an expression (libnftnl's default output):
 * `[ payload load 4b @ network header + 12 => reg 1 ]`, `[ cmp eq reg 1 0x0100000a ]`.
 */
export function describeExpression(expression: Expression): string {
  let name: string;
  let body: string;
  if (expression.type === 'opaque') {
    name = expression.name;
    body = describeRaw(expression.data);
  } else {
    const definition = expressionDefinition(expression.type);
    if (!definition) throw new ValidationError('type', `unknown expression '${String(expression.type)}'`, expression.type);
    name = definition.name;
    body = definition.describe(attributesOf(expression as Record<string, unknown>, definition));
  }
  return body === '' ? `[ ${name} ]` : `[ ${name} ${body} ]`;
}
