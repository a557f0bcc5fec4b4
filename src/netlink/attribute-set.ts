/**
 * Attribute sets declared once, as data. A table of `{ key: { type, codec } }` entries (the
 * kernel constant named in a comment beside each) gives the value type, the encoder and the
 * decoder. Unknown attributes are kept in `unknown` and re-emitted; the order and flag bits of
 * decoded attributes are remembered so decode → encode reproduces the kernel's bytes.
 */
import { NLA_F_NESTED, NLA_F_NET_BYTEORDER } from './constants.js';
import { DecodeError, ValidationError } from './errors.js';
import type { CodecValue, FieldCodec } from './field.js';
import { decodeRawAttributes, type RawAttribute, writeRawAttributes } from './raw-attributes.js';
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

/** Hidden record of wire order and flag bits (non-enumerable: invisible to equality and JSON). */
const LAYOUT = Symbol('netns-ts.attribute-layout');
interface LayoutEntry {
  /** Attribute key, or undefined for the next entry of `unknown`. */
  key: string | undefined;
  flags: number;
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

  function writeOne(w: Writer, key: string, spec: AttributeSpec, value: unknown, path: string, flags: number | undefined): void {
    const codec = spec.codec;
    const problem = codec.validate?.(value as never);
    if (problem !== undefined) throw new ValidationError(path, problem, value);
    const nested = flags === undefined ? !!codec.nested : (flags & NLA_F_NESTED) !== 0;
    const netByteOrder = flags === undefined ? !!codec.netByteOrder : (flags & NLA_F_NET_BYTEORDER) !== 0;
    w.attribute(spec.type, { nested, netByteOrder }, path, (inner) => codec.encode(inner, value as never, path));
  }

  function encode(w: Writer, value: AttributeValues<S>, path: string): void {
    if (value === null || typeof value !== 'object') throw new ValidationError(path || name, 'must be an object of attributes', value);
    const prefix = path ? `${path}.` : '';
    const emitted = new Map<string, number>();
    let unknownIndex = 0;
    const unknown = value.unknown ?? [];
    const take = (key: string): { item: unknown; index: number | undefined } | undefined => {
      const spec = specs[key]!;
      const v = (value as Record<string, unknown>)[key];
      if (v === undefined) return undefined;
      const n = emitted.get(key) ?? 0;
      if (spec.repeated) {
        if (!Array.isArray(v)) throw new ValidationError(prefix + key, 'must be an array (the attribute repeats)', v);
        if (n >= v.length) return undefined;
        emitted.set(key, n + 1);
        return { item: v[n], index: n };
      }
      if (n > 0) return undefined;
      emitted.set(key, 1);
      return { item: v, index: undefined };
    };
    const layout = (value as { [LAYOUT]?: LayoutEntry[] })[LAYOUT];
    if (layout) {
      for (const entry of layout) {
        if (entry.key === undefined) {
          const raw = unknown[unknownIndex++];
          if (raw) writeRawAttributes(w, [raw], path);
          continue;
        }
        const got = take(entry.key);
        if (got) writeOne(w, entry.key, specs[entry.key]!, got.item, prefix + entry.key + (got.index === undefined ? '' : `[${got.index}]`), entry.flags);
      }
    }
    for (const key of Object.keys(value)) {
      if (key === 'unknown') continue;
      if (!Object.hasOwn(specs, key)) {
        if ((value as Record<string, unknown>)[key] === undefined) continue;
        throw new ValidationError(prefix + key, `is not an attribute of ${name} (known: ${Object.keys(specs).join(', ')})`);
      }
      for (let got = take(key); got; got = take(key)) {
        writeOne(w, key, specs[key]!, got.item, prefix + key + (got.index === undefined ? '' : `[${got.index}]`), undefined);
      }
    }
    if (unknownIndex < unknown.length) writeRawAttributes(w, unknown.slice(unknownIndex), path);
  }

  function decode(bytes: Uint8Array, at: number, path: string): AttributeValues<S> {
    const out: Record<string, unknown> = {};
    const layout: LayoutEntry[] = [];
    const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    const raws = decodeRawAttributes(bytes, at, path);
    let pos = 0;
    for (const raw of raws) {
      const flags = view.getUint16(pos + 2, true) & (NLA_F_NESTED | NLA_F_NET_BYTEORDER);
      const payloadAt = at + pos + 4;
      pos += (raw.value.length + 4 + 3) & ~3;
      const key = keyOf.get(raw.type);
      if (key === undefined) {
        ((out.unknown ??= []) as RawAttribute[]).push(raw);
        layout.push({ key: undefined, flags });
        continue;
      }
      const spec = specs[key]!;
      const sub = path ? `${path}.${key}` : key;
      if (spec.repeated) {
        const list = (out[key] ??= []) as unknown[];
        list.push(spec.codec.decode(raw.value, payloadAt, `${sub}[${list.length}]`));
      } else {
        if (out[key] !== undefined) throw new DecodeError(sub, payloadAt - 4, 'attribute appears twice');
        out[key] = spec.codec.decode(raw.value, payloadAt, sub);
      }
      layout.push({ key, flags });
    }
    Object.defineProperty(out, LAYOUT, { value: layout, enumerable: false });
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
