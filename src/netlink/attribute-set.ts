/**
 * Attribute sets declared once, as data. A table of `{ key: { type, codec } }` entries (the
 * kernel constant named in a comment beside each) gives the value type, the encoder and the
 * decoder. Unknown attributes are kept in `unknown` and re-emitted; the order and flag bits of
 * decoded attributes are remembered so decode → encode reproduces the kernel's bytes.
 */
import { NLA_F_NESTED, NLA_F_NET_BYTEORDER, NLA_HDRLEN, NLA_TYPE_MASK } from './constants.js';
import { DecodeError, ValidationError } from './errors.js';
import type { CodecValue, FieldCodec } from './field.js';
import { type RawAttribute, writeRawAttributes } from './raw-attributes.js';
import type { Writer } from './writer.js';

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
 * entry of `unknown`). Kept outside the value (invisible to equality and JSON) and only when
 * needed: attributes in key order, repeats together, unknowns last and the codecs' default
 * flag bits re-encode exactly without it.
 */
const layouts = new WeakMap<object, readonly number[]>();

/** The flag bits (NLA_F_NESTED, NLA_F_NET_BYTEORDER) packed into 2 bits. */
const packFlags = (raw: number): number => ((raw & NLA_F_NESTED) !== 0 ? 2 : 0) | ((raw & NLA_F_NET_BYTEORDER) !== 0 ? 1 : 0);

/** Copy the remembered wire layout of `from` (if any) onto `to`, e.g. after adding a field. */
export function copyWireLayout(from: object, to: object): void {
  const layout = layouts.get(from);
  if (layout) layouts.set(to, layout);
}

/** Whether `value` carries a remembered wire layout (it was decoded and is not canonical). */
export function hasWireLayout(value: object): boolean {
  return layouts.has(value);
}

export interface AttributeSet<S extends AttributeSpecs> extends FieldCodec<AttributeValues<S>> {
  readonly name: string;
  readonly specs: S;
  /** Attribute type → key. */
  readonly keyOf: ReadonlyMap<number, keyof S & string>;
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

  function writeOne(w: Writer, spec: AttributeSpec, value: unknown, path: string, packed: number): void {
    const codec = spec.codec;
    const problem = codec.validate?.(value as never);
    if (problem !== undefined) throw new ValidationError(path, problem, value);
    const start = w.beginAttribute(spec.type, packed);
    codec.encode(w, value as never, path);
    w.endAttribute(start, path);
  }

  function encode(w: Writer, value: AttributeValues<S>, path: string): void {
    if (value === null || typeof value !== 'object') throw new ValidationError(path || name, 'must be an object of attributes', value);
    const prefix = path ? `${path}.` : '';
    const v = value as Record<string, unknown>;
    const unknown = value.unknown ?? [];
    const layout = layouts.get(value);
    if (layout) {
      // Re-emit in the remembered order; anything added since goes after, in key order.
      const used = new Int32Array(entries.length);
      let unknownIndex = 0;
      for (const packed of layout) {
        const i = (packed >> 2) - 1;
        if (i < 0) {
          const raw = unknown[unknownIndex++];
          if (raw) writeRawAttributes(w, [raw], path);
          continue;
        }
        const [key, spec] = entries[i]!;
        const item = v[key];
        if (item === undefined) continue;
        if (spec.repeated) {
          if (!Array.isArray(item)) throw new ValidationError(prefix + key, 'must be an array (the attribute repeats)', item);
          const n = used[i]!;
          if (n >= item.length) continue;
          used[i] = n + 1;
          writeOne(w, spec, item[n], `${prefix}${key}[${n}]`, packed & 3);
        } else if (used[i] === 0) {
          used[i] = 1;
          writeOne(w, spec, item, prefix + key, packed & 3);
        }
      }
      for (const key in v) {
        if (key === 'unknown' || v[key] === undefined) continue;
        const i = indexOf.get(key);
        if (i === undefined) throw new ValidationError(prefix + key, `is not an attribute of ${name} (known: ${known})`);
        const spec = entries[i]![1];
        const item = v[key];
        if (spec.repeated) {
          if (!Array.isArray(item)) throw new ValidationError(prefix + key, 'must be an array (the attribute repeats)', item);
          for (let n = used[i]!; n < item.length; n++) writeOne(w, spec, item[n], `${prefix}${key}[${n}]`, defaultFlags()[i]!);
        } else if (used[i] === 0) {
          writeOne(w, spec, item, prefix + key, defaultFlags()[i]!);
        }
      }
      if (unknownIndex < unknown.length) writeRawAttributes(w, unknown.slice(unknownIndex), path);
      return;
    }
    for (const key in v) {
      if (key === 'unknown') continue;
      const item = v[key];
      if (item === undefined) continue;
      const i = indexOf.get(key);
      if (i === undefined) throw new ValidationError(prefix + key, `is not an attribute of ${name} (known: ${known})`);
      const spec = entries[i]![1];
      if (spec.repeated) {
        if (!Array.isArray(item)) throw new ValidationError(prefix + key, 'must be an array (the attribute repeats)', item);
        for (let n = 0; n < item.length; n++) writeOne(w, spec, item[n], `${prefix}${key}[${n}]`, defaultFlags()[i]!);
      } else {
        writeOne(w, spec, item, prefix + key, defaultFlags()[i]!);
      }
    }
    if (unknown.length > 0) writeRawAttributes(w, unknown, path);
  }

  function decode(bytes: Uint8Array, at: number, path: string): AttributeValues<S> {
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
        wire.push(((i + 1) << 2) | flags);
        last = i;
      }
      pos += (alen + 3) & ~3;
    }
    if (!canonical) layouts.set(out, wire);
    return out as AttributeValues<S>;
  }

  return { name, specs, keyOf, kind: `nested(${name})`, nested: options.nested ?? true, encode, decode, shape: { t: 'set', specs } };
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
