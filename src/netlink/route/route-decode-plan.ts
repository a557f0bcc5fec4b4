/**
 * A fast decoder compiled once from the same declarations (struct field table, attribute set
 * specs) the generic decoders use, for the hot path: dumps of thousands of routes, addresses
 * or neighbours decoded to typed objects.
 *
 * The readers are generated once per declaration (as binary-parser does for structs): one
 * object literal per struct, one loop with a `switch` per attribute set. They read the message
 * in place through one DataView (no per-attribute copies, no DataView per integer, no path
 * strings, no closure per attribute) and only handle the common, exact case: every attribute known,
 * each flagged as its codec would write it, nothing repeated out of order, every length right.
 * Then its value equals the generic decoder's and re-encodes to the same bytes, since the
 * encoder writes keys in insertion (= wire) order with the codecs' own flags. Anything else —
 * an unknown attribute, odd flags, a bad length, any codec error — makes it give up
 * (`undefined`), and the caller runs the generic decoder, which keeps unknowns and layout and
 * throws the DecodeError with its path and offset.
 *
 * Nothing here is specific to rtnetlink; it could move next to attribute-set.ts and struct.ts.
 */
import { NLA_F_NESTED, NLA_F_NET_BYTEORDER, NLA_HDRLEN } from '../constants.js';
import type { AttributeSet, AttributeSpecs, AttributeValues } from '../attribute-set.js';
import type { CodecShape, FieldCodec } from '../field.js';
import { binary, cstring, flag, ipAddress, s32, s32be, s64, s8, u16, u16be, u32, u32be, u64, u64be, u8 } from '../fields.js';
import { formatIp } from '../addresses.js';
import type { StructCodec } from '../struct.js';
import { decodeKernelText } from '../text.js';

/** Reads one attribute payload at [off, off + len) of the message; undefined = give up. */
type Reader = (view: DataView, bytes: Uint8Array, off: number, len: number) => unknown;
/** Reads a whole struct or attribute area; undefined = give up. */
type AreaReader<T> = (view: DataView, bytes: Uint8Array, off: number, end: number) => T | undefined;

const IPV4_BYTES = 4;
const IPV6_BYTES = 16;

/** Integer codecs by identity → the DataView call that reads them (generated into the plan). */
const INTEGERS = new Map<FieldCodec<any>, { size: number; read: string }>([
  [u8, { size: 1, read: 'getUint8(p)' }],
  [s8, { size: 1, read: 'getInt8(p)' }],
  [u16, { size: 2, read: 'getUint16(p, true)' }],
  [u16be, { size: 2, read: 'getUint16(p, false)' }],
  [u32, { size: 4, read: 'getUint32(p, true)' }],
  [s32, { size: 4, read: 'getInt32(p, true)' }],
  [u32be, { size: 4, read: 'getUint32(p, false)' }],
  [s32be, { size: 4, read: 'getInt32(p, false)' }],
  [u64, { size: 8, read: 'getBigUint64(p, true)' }],
  [s64, { size: 8, read: 'getBigInt64(p, true)' }],
  [u64be, { size: 8, read: 'getBigUint64(p, false)' }],
]);

const readIp: Reader = (_v, b, o, l) => {
  if (l === IPV4_BYTES) return `${b[o]}.${b[o + 1]}.${b[o + 2]}.${b[o + 3]}`;
  return l === IPV6_BYTES ? formatIp(b.subarray(o, o + l)) : undefined;
};

const readCstring: Reader = (_v, b, o, l) => {
  let end = o;
  const limit = o + l;
  while (end < limit && b[end] !== 0) end++;
  return decodeKernelText(b.subarray(o, end));
};

const SPECIAL = new Map<FieldCodec<any>, Reader>([
  [ipAddress, readIp],
  [cstring, readCstring],
  [flag, (_v, _b, _o, l) => (l === 0 ? true : undefined)],
  [binary, (_v, b, o, l) => b.slice(o, o + l)],
]);

const STRUCT_FIELDS: Record<string, { size: number; read: string }> = {
  u8: { size: 1, read: 'getUint8' },
  s8: { size: 1, read: 'getInt8' },
  u16: { size: 2, read: 'getUint16' },
  s16: { size: 2, read: 'getInt16' },
  u32: { size: 4, read: 'getUint32' },
  s32: { size: 4, read: 'getInt32' },
  u16be: { size: 2, read: 'getUint16' },
  u32be: { size: 4, read: 'getUint32' },
  s32be: { size: 4, read: 'getInt32' },
  u64: { size: 8, read: 'getBigUint64' },
  s64: { size: 8, read: 'getBigInt64' },
  u64be: { size: 8, read: 'getBigUint64' },
};

/**
 * A reader for a struct of exactly `size` bytes, generated from its declared field table as one
 * object literal (a fixed shape V8 optimises well); undefined if a field kind is unknown here.
 */
function compileStruct(shape: Extract<CodecShape, { t: 'struct' }>): { size: number; read: AreaReader<Record<string, unknown>> } | undefined {
  const parts: string[] = [];
  let offset = 0;
  for (const [key, kind] of Object.entries(shape.fields)) {
    const name = JSON.stringify(key);
    if (typeof kind === 'object' && kind !== null) {
      const k = kind as { pad?: number; bytes?: number };
      if (k.pad !== undefined) offset += k.pad;
      else if (k.bytes !== undefined) {
        parts.push(`${name}: b.slice(o + ${offset}, o + ${offset + k.bytes})`);
        offset += k.bytes;
      } else return undefined;
      continue;
    }
    const field = STRUCT_FIELDS[String(kind)];
    if (!field) return undefined;
    parts.push(`${name}: v.${field.read}(o + ${offset}${field.size > 1 ? `, ${!String(kind).endsWith('be')}` : ''})`);
    offset += field.size;
  }
  const read = new Function('v', 'b', 'o', `return { ${parts.join(', ')} };`) as (v: DataView, b: Uint8Array, o: number) => Record<string, unknown>;
  return { size: offset, read: (view, bytes, off) => read(view, bytes, off) };
}

const setPlans = new WeakMap<object, AreaReader<Record<string, unknown>>>();

/**
 * A reader for the attributes of `set`, generated as one loop with a `switch` on the raw
 * attribute type (flag bits included, so a flag the codec would not write falls to `default`
 * and gives up). Integers are read inline; other codecs through `R[type]`.
 */
function compileSet(set: AttributeSet<AttributeSpecs>): AreaReader<Record<string, unknown>> {
  const known = setPlans.get(set);
  if (known) return known;
  const R: Array<Reader | undefined> = [];
  let compiled: ((view: DataView, bytes: Uint8Array, off: number, end: number, R: Array<Reader | undefined>) => Record<string, unknown> | undefined) | undefined;
  const plan: AreaReader<Record<string, unknown>> = (view, bytes, off, end) => compiled!(view, bytes, off, end, R);
  setPlans.set(set, plan); // before compiling members: sets may contain themselves
  const cases: string[] = [];
  for (const [key, spec] of Object.entries(set.specs)) {
    const codec = spec.codec as FieldCodec<unknown>;
    const rawType = spec.type | (codec.nested ? NLA_F_NESTED : 0) | (codec.netByteOrder ? NLA_F_NET_BYTEORDER : 0);
    const name = JSON.stringify(key);
    const integer = INTEGERS.get(codec);
    let read: string;
    if (integer) read = `if (l !== ${integer.size}) return undefined; x = view.${integer.read};`;
    else {
      R[spec.type] = readerFor(codec);
      read = `x = R[${spec.type}](view, bytes, p, l); if (x === undefined) return undefined;`;
    }
    const store = spec.repeated
      ? `if (out[${name}] === undefined) out[${name}] = [x]; else if (last === ${spec.type}) out[${name}].push(x); else return undefined;`
      : `if (out[${name}] !== undefined) return undefined; out[${name}] = x;`;
    cases.push(`case ${rawType}: { ${read} ${store} last = ${spec.type}; break; }`);
  }
  compiled = new Function('view', 'bytes', 'off', 'end', 'R', `
    const out = {};
    let pos = off, last = -1, x;
    while (pos < end) {
      if (end - pos < ${NLA_HDRLEN}) return undefined;
      const len = view.getUint16(pos, true);
      if (len < ${NLA_HDRLEN} || pos + len > end) return undefined;
      const p = pos + ${NLA_HDRLEN}, l = len - ${NLA_HDRLEN};
      switch (view.getUint16(pos + 2, true)) {
        ${cases.join('\n        ')}
        default: return undefined;
      }
      pos += (len + 3) & ~3;
    }
    return out;`) as typeof compiled;
  return plan;
}

function isAttributeSet(codec: FieldCodec<unknown>): codec is AttributeSet<AttributeSpecs> {
  return 'specs' in codec && 'keyOf' in codec && codec.shape?.t === 'set';
}

function readerFor(codec: FieldCodec<unknown>): Reader {
  const integer = INTEGERS.get(codec);
  if (integer) {
    const read = new Function('v', 'b', 'p', 'l', `return l === ${integer.size} ? v.${integer.read} : undefined;`) as Reader;
    return read;
  }
  const special = SPECIAL.get(codec);
  if (special) return special;
  if (isAttributeSet(codec)) {
    const set = compileSet(codec);
    return (v, b, o, l) => set(v, b, o, o + l);
  }
  const shape = codec.shape;
  if (shape?.t === 'struct' && !shape.growable) {
    const struct = compileStruct(shape);
    if (struct) return (v, b, o, l) => (l === struct.size ? struct.read(v, b, o, o + l) : undefined);
  }
  // Any other codec decodes its own payload; an error means "let the generic path report it".
  return (_v, b, o, l) => {
    try {
      return codec.decode(b.subarray(o, o + l), o, '');
    } catch {
      return undefined;
    }
  };
}

/** The compiled fast decoder of a header + attributes message (see the module comment). */
export function compileDecodePlan<H, S extends AttributeSpecs>(
  header: StructCodec<H>,
  attributes: AttributeSet<S>,
  attributesAt: number,
): ((payload: Uint8Array) => { header: H; attributes: AttributeValues<S> } | undefined) | undefined {
  const shape = header.shape;
  const struct = shape?.t === 'struct' && !shape.growable ? compileStruct(shape) : undefined;
  if (!struct || struct.size !== header.size) return undefined;
  const set = compileSet(attributes as unknown as AttributeSet<AttributeSpecs>);
  return (payload) => {
    if (payload.length < struct.size) return undefined;
    const { view, all } = viewsOf(payload.buffer);
    const base = payload.byteOffset;
    const attrs = set(view, all, base + attributesAt, base + payload.length);
    return attrs === undefined ? undefined : { header: struct.read(view, all, base, base + struct.size) as H, attributes: attrs as AttributeValues<S> };
  };
}

/**
 * Messages of one datagram share its buffer: one DataView and byte view serve them all. Keyed
 * weakly, so a decoder never keeps a datagram alive.
 */
const views = new WeakMap<ArrayBufferLike, { view: DataView; all: Uint8Array }>();
function viewsOf(buffer: ArrayBufferLike): { view: DataView; all: Uint8Array } {
  let v = views.get(buffer);
  if (!v) {
    v = { view: new DataView(buffer), all: new Uint8Array(buffer) };
    views.set(buffer, v);
  }
  return v;
}
