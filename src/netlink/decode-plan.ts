/**
 * Compiled decoders: a fast reader generated once from the same declarations (attribute set
 * specs, struct field tables) the generic decoders use, and tried first by every attribute set
 * (see attribute-set.ts) and rtnetlink message family.
 *
 * A reader is generated per declaration (as binary-parser does for structs): one loop with a
 * `switch` per attribute set, one object literal per struct. It reads the payload in place (no
 * view per attribute, no path strings, no closure per attribute), integers inline, other
 * codecs through their in-place readers (in-place.ts), and only handles the common, exact case:
 * every attribute known, each flagged as its codec would write it, nothing repeated out of
 * order, every length right. Then its value equals the generic decoder's and re-encodes to the
 * same bytes, since the encoder writes keys in insertion (= wire) order with the codecs' own
 * flags. Anything else — an unknown attribute, odd flags, a bad length, any codec error — makes
 * it give up (`undefined`), and the caller runs the generic decoder, which keeps unknowns and
 * layout and throws the DecodeError with its path and offset.
 */
import { Buffer } from 'node:buffer';
import { NLA_F_NESTED, NLA_F_NET_BYTEORDER, NLA_HDRLEN } from './constants.js';
import type { AttributeSet, AttributeSpecs, AttributeValues } from './attribute-set.js';
import type { FieldCodec } from './field.js';
import { s32, s32be, s64, s8, u16, u16be, u32, u32be, u64, u64be, u8 } from './fields.js';
import { inPlaceReaderOf, plainObjectMaker, viewOfBuffer, type InPlaceReader } from './codec-hints.js';
import { beginNesting, endNesting, FLAGGED, nestingSeen, UNFLAGGED } from './nesting-style.js';
import { compileStruct, INTEGER_KINDS } from './struct-reader.js';
import type { StructCodec } from './struct.js';

/**
 * Reads the attributes in `bytes[off, end)` into `into` (a new object by default), or gives up
 * with `undefined`. `into` is filled as it goes: on `undefined` it holds a partial result.
 */
export type AttributesReader = (bytes: Uint8Array, off: number, end: number, into?: Record<string, unknown>) => Record<string, unknown> | undefined;

/** The integer field codecs, by decode function (spread copies keep it), → their kind. */
const INTEGER_CODECS = new Map<object, string>(
  ([[u8, 'u8'], [s8, 's8'], [u16, 'u16'], [u16be, 'u16be'], [u32, 'u32'], [s32, 's32'], [u32be, 'u32be'], [s32be, 's32be'], [u64, 'u64'], [s64, 's64'], [u64be, 'u64be']] as const)
    .map(([codec, kind]) => [codec.decode, kind]),
);

function isAttributeSet(codec: FieldCodec<unknown>): codec is AttributeSet<AttributeSpecs> {
  return 'specs' in codec && 'keyOf' in codec && codec.shape?.t === 'set';
}

/** The in-place reader of any codec: compiled for sets and fixed structs, declared, or decode() itself. */
function readerFor(codec: FieldCodec<unknown>): InPlaceReader {
  const declared = inPlaceReaderOf(codec);
  if (declared) return declared;
  if (isAttributeSet(codec)) {
    const set = compileAttributesReader(codec);
    return (b, o, l) => set(b, o, o + l);
  }
  // Any other codec decodes its own payload; an error means "let the generic path report it".
  const decodeItself: InPlaceReader = (b, o, l) => {
    try {
      return codec.decode(b.subarray(o, o + l), o, '');
    } catch {
      return undefined;
    }
  };
  const shape = codec.shape;
  if (shape?.t === 'struct') {
    const struct = compileStruct(shape);
    // A growable struct (rtnl_link_stats64 …) of another size keeps its tail or reads short:
    // its own decoder does that. The usual exact size is read in place.
    if (struct && !shape.growable) return (b, o, l) => (l === struct.size ? struct.read(b, o) : undefined);
    if (struct) return (b, o, l) => (l === struct.size ? struct.read(b, o) : decodeItself(b, o, l));
  }
  return decodeItself;
}

const setReaders = new WeakMap<object, AttributesReader>();

/**
 * What the compiled reader that returned last saw besides values: whether its attributes came
 * in declaration order (nf_tables expressions are written in that order when built in code, so
 * a decoded one in it needs no remembered layout; expression-layout.ts), and which attributes
 * it read, as a mask of their places in the declaration (bit i: the i-th declared; -1 for a set
 * of more than PRESENCE_BITS attributes). A nested set's reader returns before the reader
 * around it, so after a read this is the outermost reader's.
 */
export const lastRead = { inDeclarationOrder: true, present: 0 };

/** Attributes a presence mask covers (bits of a small integer). */
export const PRESENCE_BITS = 30;

/**
 * The compiled reader of an attribute set: one loop with a `switch` on the raw attribute type,
 * flag bits included (so a flag the codec would not write falls to `default` and gives up).
 * Integers are read inline; other codecs through `R[type]`.
 */
export function compileAttributesReader(set: AttributeSet<AttributeSpecs>): AttributesReader {
  const known = setReaders.get(set);
  if (known) return known;
  const R: InPlaceReader[] = [];
  let compiled: AttributesReader | undefined;
  const reader: AttributesReader = (b, off, end, into) => compiled!(b, off, end, into);
  setReaders.set(set, reader); // before compiling members: sets may contain themselves
  const cases: string[] = [];
  let declared = 0;
  const tracked = Object.keys(set.specs).length <= PRESENCE_BITS;
  for (const [key, spec] of Object.entries(set.specs)) {
    const index = declared++;
    const codec = spec.codec as FieldCodec<unknown>;
    const rawType = spec.type | (codec.nested ? NLA_F_NESTED : 0) | (codec.netByteOrder ? NLA_F_NET_BYTEORDER : 0);
    // A nested attribute is read flagged or not (the kernel's dumps leave NLA_F_NESTED out),
    // and which one it was is noted (see nesting-style.ts).
    const labels = codec.nested
      ? `case ${rawType}: case ${rawType & ~NLA_F_NESTED}: N.bits |= (b[pos + 3] & ${NLA_F_NESTED >> 8}) !== 0 ? ${FLAGGED} : ${UNFLAGGED};`
      : `case ${rawType}:`;
    const name = JSON.stringify(key);
    const integer = INTEGER_KINDS[INTEGER_CODECS.get(codec.decode) ?? ''];
    let read: string;
    if (integer) read = `if (l !== ${integer.size}) return undefined; x = ${integer.read('p')};`;
    else {
      R[spec.type] = readerFor(codec);
      read = `x = R[${spec.type}](b, p, l); if (x === undefined) return undefined;`;
    }
    const store = spec.repeated
      ? `if (out[${name}] === undefined) out[${name}] = [x]; else if (last === ${spec.type}) out[${name}].push(x); else return undefined;`
      : `if (out[${name}] !== undefined) return undefined; out[${name}] = x;`;
    const order = `if (${index} < at) ordered = false; at = ${index};`;
    const presence = tracked ? `present |= ${1 << index};` : '';
    cases.push(`${labels} { ${read} ${store} last = ${spec.type}; ${order} ${presence} break; }`);
  }
  compiled = new Function('R', 'V', 'N', 'O', 'L', `return (b, off, end, into) => {
    const out = into ?? new O();
    let pos = off, last = -1, x, at = -1, ordered = true, present = ${tracked ? 0 : -1};
    while (pos < end) {
      if (end - pos < ${NLA_HDRLEN}) return undefined;
      const len = b[pos] | b[pos + 1] << 8;
      if (len < ${NLA_HDRLEN} || pos + len > end) return undefined;
      const p = pos + ${NLA_HDRLEN}, l = len - ${NLA_HDRLEN};
      switch (b[pos + 2] | b[pos + 3] << 8) {
        ${cases.join('\n        ')}
        default: return undefined;
      }
      pos += (len + 3) & ~3;
    }
    L.inDeclarationOrder = ordered;
    L.present = present;
    return out;
  };
  //# sourceURL=netns-ts:decode/${set.name}`)(R, viewOfBuffer, nestingSeen, plainObjectMaker(), lastRead) as AttributesReader;
  // Later callers get the compiled function itself; only a set containing itself keeps
  // calling through the forwarder it captured while being compiled.
  setReaders.set(set, compiled);
  return compiled;
}

/**
 * Run a compiled reader as a decode of its own: its value is marked when every nested
 * attribute below it came unflagged, and it gives up when both forms came (a value carries one
 * style). What it saw is seen by the enclosing decode too.
 */
export function readAttributes(reader: AttributesReader, bytes: Uint8Array, off: number, end: number, into?: Record<string, unknown>): Record<string, unknown> | undefined {
  const mark = beginNesting();
  let out: Record<string, unknown> | undefined;
  try {
    out = reader(bytes, off, end, into);
  } finally {
    // (Readers do not throw; should one, the enclosing decode still sees the right style.)
    if (endNesting(mark, out) === (FLAGGED | UNFLAGGED)) out = undefined;
  }
  return out;
}

/** The compiled fast decoder of a header + attributes message (rtnetlink families). */
export function compileDecodePlan<H, S extends AttributeSpecs>(
  header: StructCodec<H>,
  attributes: AttributeSet<S>,
  attributesAt: number,
): ((bytes: Uint8Array, start?: number, end?: number) => { header: H; attributes: AttributeValues<S> } | undefined) | undefined {
  const shape = header.shape;
  const struct = shape?.t === 'struct' && !shape.growable ? compileStruct(shape) : undefined;
  if (!struct || struct.size !== header.size) return undefined;
  const set = compileAttributesReader(attributes as unknown as AttributeSet<AttributeSpecs>);
  // The body is bytes[start, end): a payload of its own, or a message read where it lies in its datagram.
  return (bytes, start = 0, end = bytes.length) => {
    // (Not a Buffer: its slice() shares memory, see attribute-set.ts.)
    if (end - start < struct.size || Buffer.isBuffer(bytes)) return undefined;
    const attrs = readAttributes(set, bytes, start + attributesAt, end);
    return attrs === undefined ? undefined : { header: struct.read(bytes, start) as H, attributes: attrs as AttributeValues<S> };
  };
}
