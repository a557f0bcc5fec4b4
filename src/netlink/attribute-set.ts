/**
 * Attribute sets declared once, as data. A table of `{ key: { type, codec } }` entries (the
 * kernel constant named in a comment beside each) gives the value type, the encoder and the
 * decoder. Unknown attributes are kept in `unknown` and re-emitted; the order and flag bits of
 * decoded attributes are remembered so decode → encode reproduces the kernel's bytes.
 */
import { Buffer } from 'node:buffer';
import { NLA_F_NESTED, NLA_F_NET_BYTEORDER, NLA_HDRLEN, NLA_TYPE_MASK } from './constants.js';
import { compileAttributesReader, readAttributes, type AttributesReader } from './decode-plan.js';
import { compiledAfterUses } from './tier-up.js';
import { compileAttributesWriters, type CompiledWriters } from './encode-plan.js';
import { DecodeError, ValidationError } from './errors.js';
import type { CodecValue, FieldCodec } from './field.js';
import { usesPathOnlyInErrors } from './codec-hints.js';
import { compileDirectSetWriters, withDirectWriter, type DirectSetWriters } from './direct-write.js';
import { decodedState, rememberState } from './hidden.js';
import { type RawAttribute, writeRawAttributes } from './raw-attributes.js';
import { beginNesting, endNesting, noteNested } from './nesting-style.js';
import { CODEC_FLAGS, joinPath, type Writer } from './writer.js';

export interface AttributeSpec<T = unknown> {
  /** Attribute type number (the kernel's constant). */
  type: number;
  codec: FieldCodec<T>;
  /** The attribute may appear several times; the value is an array in wire order. */
  repeated?: boolean;
}

export type AttributeSpecs = Record<string, AttributeSpec<any>>;

type SpecValue<A> = A extends { repeated: true; codec: infer C } ? CodecValue<C>[] : A extends { codec: infer C } ? CodecValue<C> : never;

/** The decoded form of an attribute set: every attribute optional (absent = undefined). */
export type AttributeValues<S extends AttributeSpecs> = { -readonly [K in keyof S]?: SpecValue<S[K]> } & {
  /** Attributes this version does not know, kept byte-exact. */
  unknown?: RawAttribute[];
};

/**
 * The wire layout of a decoded value, when encoding it plainly would not reproduce the bytes:
 * one number per attribute in wire order, `(specIndex + 1) << 2 | flag bits` (0 for the next
 * entry of `unknown`). Kept out of sight (invisible to equality and JSON, see hidden.ts) and
 * only when needed: attributes in key order, repeats together, unknowns last and the codecs'
 * default flag bits re-encode exactly without it.
 */
const layouts = {
  get: (value: object): readonly number[] | undefined => decodedState(value)?.wire,
  set: (value: object, wire: readonly number[]): void => rememberState(value, { wire }),
};

/** The flag bits (NLA_F_NESTED, NLA_F_NET_BYTEORDER) packed into 2 bits. */
const packFlags = (raw: number): number => ((raw & NLA_F_NESTED) !== 0 ? 2 : 0) | ((raw & NLA_F_NET_BYTEORDER) !== 0 ? 1 : 0);

/** Copy the remembered wire layout of `from` (if any) onto `to`. */
function copyWireLayout(from: object, to: object): void {
  const layout = layouts.get(from);
  if (layout) layouts.set(to, layout);
}

/**
 * Run the exact decoder's `decode` as a decode of its own (nesting-style.ts): the value it
 * returns is marked when every nest below it came unflagged, as the compiled reader's is
 * (readAttributes), and not the nests inside it — so one of those taken out is written in the
 * writer's style whichever decoder read it. A value that saw both styles keeps its own
 * attributes' flags in its layout, and the values below it that came all unflagged are marked
 * themselves.
 */
function decodeOfItsOwn<T extends object>(decode: () => T): T {
  const mark = beginNesting();
  let out: T | undefined;
  try {
    out = decode();
  } finally {
    endNesting(mark, out, true);
  }
  return out;
}

/** Whether `value` carries a remembered wire layout (it was decoded and is not canonical). */
export function hasWireLayout(value: object): boolean {
  return layouts.get(value) !== undefined;
}

export interface AttributeSet<S extends AttributeSpecs> extends FieldCodec<AttributeValues<S>> {
  readonly name: string;
  readonly specs: S;
  /** Attribute type → key. */
  readonly keyOf: ReadonlyMap<number, keyof S & string>;
  /**
   * Decode into a new object made by `start` (e.g. `() => ({ type: 'cmp' })`), the attributes
   * added after its own properties: what `{ ...start(), ...decode(bytes) }` gives, without the
   * intermediate object. The wire layout, if any, is remembered for the result.
   */
  decodeInto<T extends object>(start: () => T, bytes: Uint8Array, at: number, path: string): T & AttributeValues<S>;
  /**
   * What `decode(bytes.subarray(start, end), at, path)` gives, read where the attributes lie (a
   * reply in its datagram, as dumps hand them over) with no view made unless the general
   * decoder has to run.
   */
  decodeAt(bytes: Uint8Array, start: number, end: number, at: number, path: string): AttributeValues<S>;
  /**
   * Encode a value that carries one key of its own besides the attributes (an expression's
   * `type`), without copying it: `skip` is left out, and attributes come in declaration order
   * when `declarationOrder` (values built in code), else in the value's own order (decoded).
   */
  encodeWithout(w: Writer, value: object, path: string, skip: string, declarationOrder: boolean): void;
  /**
   * Only the compiled writer (encode-plan.ts) of {@link encodeWithout}, in declaration order,
   * for a value built in code (no decoded state) on a writer whose paths are optional: true
   * when written; false when it is not compiled yet or gives up, with nothing written — the
   * caller then runs the full encoder. For encoders that write thousands of such values and
   * check the rest themselves (nf_tables expressions).
   */
  encodeBuilt(w: Writer, value: Record<string, unknown>, skip: string): boolean;
  /**
   * The direct writers (direct-write.ts) of this set's values, `skip` left out: what
   * {@link encodeWithout} writes for a plain value on a writer in the flagged nesting style,
   * or -1. Generated on first call.
   */
  directWriters(skip: string): DirectSetWriters;
  /**
   * What `decode` gives, always through the general decoder (never the compiled one of
   * decode-plan.ts): for tests that hold the two to each other, and for tools.
   */
  decodeExactly(bytes: Uint8Array, at: number, path: string): AttributeValues<S>;
}

/** Declare an attribute set. `name` appears in errors (`link.linkinfo.data`). */
export function defineAttributeSet<const S extends AttributeSpecs>(name: string, specs: S, options: { nested?: boolean } = {}): AttributeSet<S> {
  const keyOf = new Map<number, keyof S & string>();
  for (const [key, spec] of Object.entries(specs)) {
    if (key === 'unknown') throw new Error(`attribute set ${name}: 'unknown' is reserved`);
    if (keyOf.has(spec.type)) throw new Error(`attribute set ${name}: type ${spec.type} declared twice`);
    keyOf.set(spec.type, key as keyof S & string);
  }

  const entries = Object.entries(specs) as Array<[keyof S & string, AttributeSpec]>;
  const indexOf = new Map<string, number>(entries.map(([k], i) => [k, i]));
  // Type → spec index, as an array for the decode loop (types are small numbers).
  const maxType = Math.max(-1, ...entries.map(([, s]) => s.type));
  const byType = new Int32Array(maxType + 1).fill(-1);
  entries.forEach(([, spec], i) => (byType[spec.type] = i));
  // Resolved on first use: lazy() codecs of self-referencing sets cannot be read yet here.
  let defaults: number[] | undefined;
  const defaultFlags = (): number[] => (defaults ??= entries.map(([, spec]) => (spec.codec.nested ? 2 : 0) | (spec.codec.netByteOrder ? 1 : 0)));
  const known = Object.keys(specs).join(', ');

  // Per attribute: its codec, type and default flag bits, and whether its encode needs the
  // attribute's path (it writes attributes of its own, whose spans carry the path).
  let steps: Array<{ key: string; spec: AttributeSpec; flags: number; pathFree: boolean }> | undefined;
  const stepsOf = () => (steps ??= entries.map(([key, spec], i) => ({ key, spec, flags: defaultFlags()[i]! | CODEC_FLAGS, pathFree: usesPathOnlyInErrors(spec.codec) })));

  /**
   * Write one attribute. `tail` (a key, or the index of a repeated item under `path`) completes
   * its path; the span records the two parts and joins them only if it is ever read. When not
   * `exact`, a codec that uses its path only in error messages gets none: an error then makes
   * the whole set start over exactly (see encode).
   */
  function writeOne(w: Writer, spec: AttributeSpec, value: unknown, path: string, tail: string | number, packed: number, pathFree: boolean): void {
    const codec = spec.codec;
    const problem = codec.validate?.(value as never);
    if (problem !== undefined) throw new ValidationError(joinPath(path, tail), problem, value);
    const start = w.beginAttribute(spec.type, packed);
    codec.encode(w, value as never, pathFree || w.pathsOptional ? '' : joinPath(path, tail));
    w.endAttribute(start, path, tail);
  }

  function writeRepeated(w: Writer, step: { key: string; spec: AttributeSpec }, items: unknown, from: number, path: string, packed: number, exact: boolean): void {
    const at = joinPath(path, step.key);
    if (!Array.isArray(items)) throw new ValidationError(at, 'must be an array (the attribute repeats)', items);
    for (let n = from; n < items.length; n++) writeOne(w, step.spec, items[n], at, n, packed, !exact && usesPathOnlyInErrors(step.spec.codec));
  }

  function unknownKey(path: string, key: string): ValidationError {
    return new ValidationError(joinPath(path, key), `is not an attribute of ${name} (known: ${known})`);
  }

  /**
   * Encode optimistically first — no path strings where nothing needs them — and, if anything
   * throws, drop what was written and encode again with every path, so the error names its
   * attribute exactly as before. (try/catch costs nothing until something throws.) On a writer
   * that records no spans, paths are then needed by nothing at all: the outermost set lets the
   * codecs below it leave them out (Writer.pathsOptional), and redoes the whole value if needed.
   */
  function encode(w: Writer, value: AttributeValues<S>, path: string): void {
    encodeWithout(w, value, path, 'unknown', false);
  }

  function encodeWithout(w: Writer, value: object, path: string, skip: string, declarationOrder: boolean): void {
    const state = value !== null && typeof value === 'object' ? decodedState(value) : undefined;
    if (state === undefined) {
      // The common case inside an outer attempt (see encodeAttempts): a plain value, compiled.
      // Should the compiled writer give up, the plain encoder runs without trying it again.
      if (w.pathsOptional && value !== null && typeof value === 'object') {
        if (encodeCompiled(w, value as Record<string, unknown>, path, skip, declarationOrder)) return;
        return encodeValue(w, value, path, skip, declarationOrder, false, false);
      }
    } else if (state.unflagged && w.nestingFlagged) {
      // Decoded from unflagged nests (the kernel's dumps): written back the same way.
      w.nestingFlagged = false;
      try {
        encodeAttempts(w, value, path, skip, declarationOrder);
      } finally {
        w.nestingFlagged = true;
      }
      return;
    }
    encodeAttempts(w, value, path, skip, declarationOrder);
  }

  function encodeAttempts(w: Writer, value: object, path: string, skip: string, declarationOrder: boolean): void {
    // Inside an outer attempt: an error goes up to it, and it starts over.
    if (w.pathsOptional) return encodeValue(w, value, path, skip, declarationOrder, false);
    const length = w.length;
    const spans = w.spanCount;
    const outermost = !w.recordsSpans;
    w.pathsOptional = outermost;
    try {
      encodeValue(w, value, path, skip, declarationOrder, false);
    } catch {
      w.pathsOptional = false;
      w.truncate(length, spans);
      encodeValue(w, value, path, skip, declarationOrder, true);
    }
    w.pathsOptional = false;
  }

  const compiledWriters = compiledAfterUses<CompiledWriters>(() => compileAttributesWriters(specs, defaultFlags().map((f) => f | CODEC_FLAGS)));
  /**
   * The compiled encoder (encode-plan.ts), once this set has been encoded a few times
   * (tier-up.ts); false when it is not there yet or gave up, with nothing written.
   */
  function encodeCompiled(w: Writer, v: Record<string, unknown>, path: string, skip: string, declarationOrder: boolean): boolean {
    const writers = compiledWriters();
    if (writers === undefined) return false;
    const length = w.length;
    const spans = w.spanCount;
    if ((declarationOrder ? writers.inDeclarationOrder : writers.inValueOrder)(w, v, path, skip)) return true;
    w.truncate(length, spans);
    return false;
  }

  function encodeValue(w: Writer, value: object, path: string, skip: string, declarationOrder: boolean, exact: boolean, tryCompiled = true): void {
    if (value === null || typeof value !== 'object') throw new ValidationError(path || name, 'must be an object of attributes', value);
    const v = value as Record<string, unknown>;
    const unknown = (v.unknown ?? []) as RawAttribute[];
    const layout = layouts.get(value);
    if (layout) return encodeWithLayout(w, v, unknown, layout, path, skip, exact);
    if (!exact && tryCompiled && encodeCompiled(w, v, path, skip, declarationOrder)) return;
    const all = stepsOf();
    if (declarationOrder) {
      for (const step of all) {
        const item = v[step.key];
        if (item === undefined || step.key === skip) continue;
        if (step.spec.repeated) writeRepeated(w, step, item, 0, path, step.flags, exact);
        else writeOne(w, step.spec, item, path, step.key, step.flags, !exact && step.pathFree);
      }
    }
    for (const key in v) {
      if (key === 'unknown' || key === skip) continue;
      const item = v[key];
      if (item === undefined) continue;
      const i = indexOf.get(key);
      if (i === undefined) throw unknownKey(path, key);
      if (declarationOrder) continue;
      const step = all[i]!;
      if (step.spec.repeated) writeRepeated(w, step, item, 0, path, step.flags, exact);
      else writeOne(w, step.spec, item, path, key, step.flags, !exact && step.pathFree);
    }
    if (unknown.length > 0) writeRawAttributes(w, unknown, path);
  }

  /** Re-emit a decoded value in its remembered order; anything added since goes after, in key order. */
  function encodeWithLayout(w: Writer, v: Record<string, unknown>, unknown: RawAttribute[], layout: readonly number[], path: string, skip: string, exact: boolean): void {
    const all = stepsOf();
    const used = new Int32Array(entries.length);
    let unknownIndex = 0;
    for (const packed of layout) {
      const i = (packed >> 2) - 1;
      if (i < 0) {
        const raw = unknown[unknownIndex++];
        if (raw) writeRawAttributes(w, [raw], path);
        continue;
      }
      const step = all[i]!;
      const item = v[step.key];
      if (item === undefined) continue;
      if (step.spec.repeated) {
        const n = used[i]!;
        if (Array.isArray(item) && n >= item.length) continue;
        used[i] = n + 1;
        // One item, at its place in the wire order.
        writeRepeatedItem(w, step, item, n, path, packed & 3, exact);
      } else if (used[i] === 0) {
        used[i] = 1;
        writeOne(w, step.spec, item, path, step.key, packed & 3, !exact && step.pathFree);
      }
    }
    for (const key in v) {
      if (key === 'unknown' || key === skip || v[key] === undefined) continue;
      const i = indexOf.get(key);
      if (i === undefined) throw unknownKey(path, key);
      const step = all[i]!;
      if (step.spec.repeated) writeRepeated(w, step, v[key], used[i]!, path, step.flags, exact);
      else if (used[i] === 0) writeOne(w, step.spec, v[key], path, key, step.flags, !exact && step.pathFree);
    }
    if (unknownIndex < unknown.length) writeRawAttributes(w, unknown.slice(unknownIndex), path);
  }

  function writeRepeatedItem(w: Writer, step: { key: string; spec: AttributeSpec }, items: unknown, n: number, path: string, packed: number, exact: boolean): void {
    const at = joinPath(path, step.key);
    if (!Array.isArray(items)) throw new ValidationError(at, 'must be an array (the attribute repeats)', items);
    writeOne(w, step.spec, items[n], at, n, packed, !exact && usesPathOnlyInErrors(step.spec.codec));
  }

  /** The generic decoder: any input, unknowns and layout kept, errors with path and offset. */
  function decodeGeneric(bytes: Uint8Array, at: number, path: string): AttributeValues<S> {
    return decodeOfItsOwn(() => readGeneric(bytes, at, path));
  }

  function readGeneric(bytes: Uint8Array, at: number, path: string): AttributeValues<S> {
    const out: Record<string, unknown> = {};
    const wire: number[] = [];
    let canonical = true;
    let last = -1;
    let sawUnknown = false;
    const len = bytes.length;
    let pos = 0;
    while (pos < len) {
      if (len - pos < NLA_HDRLEN) throw new DecodeError(path, at + pos, `${len - pos} trailing bytes, too short for an attribute header`);
      const alen = bytes[pos]! | (bytes[pos + 1]! << 8);
      const rawType = bytes[pos + 2]! | (bytes[pos + 3]! << 8);
      const type = rawType & NLA_TYPE_MASK;
      if (alen < NLA_HDRLEN) throw new DecodeError(path, at + pos, `attribute length ${alen} is shorter than its header`);
      if (pos + alen > len) throw new DecodeError(path, at + pos, `attribute type ${type} claims ${alen} bytes, ${len - pos} left`);
      const flags = packFlags(rawType);
      const i = type < byType.length ? byType[type]! : -1;
      if (i < 0) {
        ((out.unknown ??= []) as RawAttribute[]).push({
          type,
          nested: (flags & 2) !== 0,
          netByteOrder: (flags & 1) !== 0,
          value: bytes.slice(pos + NLA_HDRLEN, pos + alen),
        });
        wire.push(flags);
        sawUnknown = true;
      } else {
        const [key, spec] = entries[i]!;
        const payload = bytes.subarray(pos + NLA_HDRLEN, pos + alen);
        const sub = path ? `${path}.${key}` : key;
        if (spec.repeated) {
          const list = (out[key] ??= []) as unknown[];
          if (list.length > 0 && last !== i) canonical = false;
          list.push(spec.codec.decode(payload, at + pos + NLA_HDRLEN, `${sub}[${list.length}]`));
        } else {
          if (out[key] !== undefined) throw new DecodeError(sub, at + pos, 'attribute appears twice');
          out[key] = spec.codec.decode(payload, at + pos + NLA_HDRLEN, sub);
        }
        if (sawUnknown || flags !== defaultFlags()[i]) canonical = false;
        // Without a layout this value's nests are written in the writer's style: say which it had.
        if (spec.codec.nested) noteNested((flags & 2) !== 0);
        wire.push(((i + 1) << 2) | flags);
        last = i;
      }
      pos += (alen + 3) & ~3;
    }
    if (!canonical) layouts.set(out, wire);
    return out as AttributeValues<S>;
  }

  const compiledReader = compiledAfterUses(() => compileAttributesReader(set as unknown as AttributeSet<AttributeSpecs>));
  /**
   * The compiled reader, for the common exact case (see decode-plan.ts), once this set has
   * been decoded a few times (tier-up.ts). Not for a Buffer: its slice() shares memory, and
   * decoded bytes must be copies as the generic path makes them (parseDatagram hands out
   * plain Uint8Array views).
   */
  function fastReader(bytes: Uint8Array): AttributesReader | undefined {
    return Buffer.isBuffer(bytes) ? undefined : compiledReader();
  }

  function decode(bytes: Uint8Array, at: number, path: string): AttributeValues<S> {
    return decodeAt(bytes, 0, bytes.length, at, path);
  }

  function decodeAt(bytes: Uint8Array, start: number, end: number, at: number, path: string): AttributeValues<S> {
    const read = fastReader(bytes);
    const quick = read && readAttributes(read, bytes, start, end);
    if (quick !== undefined) return quick as AttributeValues<S>;
    return decodeGeneric(start === 0 && end === bytes.length ? bytes : bytes.subarray(start, end), at, path);
  }

  function decodeInto<T extends object>(start: () => T, bytes: Uint8Array, at: number, path: string): T & AttributeValues<S> {
    const read = fastReader(bytes);
    const quick = read && readAttributes(read, bytes, 0, bytes.length, start() as Record<string, unknown>);
    if (quick !== undefined) return quick as T & AttributeValues<S>;
    // The value returned is the one the style mark goes on (not the attributes copied into it).
    return decodeOfItsOwn(() => {
      const attributes = readGeneric(bytes, at, path);
      const out = start() as Record<string, unknown>;
      for (const key in attributes) out[key] = (attributes as Record<string, unknown>)[key];
      copyWireLayout(attributes, out);
      return out as T & AttributeValues<S>;
    });
  }

  const directBySkip = new Map<string, DirectSetWriters>();
  function directWriters(skip: string): DirectSetWriters {
    let writers = directBySkip.get(skip);
    if (writers === undefined) {
      writers = compileDirectSetWriters(entries.map(([key, spec]) => ({ key, ...spec })), skip);
      directBySkip.set(skip, writers);
    }
    return writers;
  }

  const set: AttributeSet<S> = {
    name, specs, keyOf, kind: `nested(${name})`, nested: options.nested ?? true,
    encode, encodeWithout, decode, decodeAt, decodeInto, decodeExactly: decodeGeneric, shape: { t: 'set', specs },
    encodeBuilt: (w, value, skip) => encodeCompiled(w, value, '', skip, true),
    directWriters,
  };
  // As a codec (encode leaves out `unknown`, in the value's order).
  return withDirectWriter(set, () => directWriters('unknown').inValueOrder);
}

/** A codec resolved on first use, for attribute sets that contain themselves. */
export function lazy<T>(get: () => FieldCodec<T>): FieldCodec<T> {
  let c: FieldCodec<T> | undefined;
  const codec = (): FieldCodec<T> => (c ??= get());
  return {
    get kind() { return codec().kind; },
    get nested() { return codec().nested; },
    encode: (w, v, p) => codec().encode(w, v, p),
    decode: (b, a, p) => codec().decode(b, a, p),
    validate: (v) => codec().validate?.(v),
    get shape() { return codec().shape; },
  };
}

/** Drop the remembered wire layout, e.g. before re-encoding a value with changed content. */
export function forgetLayout<T extends object>(value: T): T {
  return { ...value };
}
