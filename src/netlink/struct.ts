/**
 * Fixed C structs (ifinfomsg, ifaddrmsg, rtmsg, nfgenmsg, rtnl_link_stats64 …) declared once as
 * an ordered field table. Decoding of the full struct is compiled from the table into one
 * reader (struct-reader.ts: binary-parser's approach, 40x cheaper per call than its parse on
 * the headers every message carries); the short forms of growable structs are read field by
 * field with binary-parser; encoding is derived from the same table. Structs marked `growable` accept a
 * shorter payload (older kernel: trailing fields absent) and a longer one (newer kernel: the
 * extra bytes are kept in `tail` and re-emitted).
 */
import { Buffer } from 'node:buffer';
import { Parser } from 'binary-parser';
import { DecodeError, ValidationError } from './errors.js';
import type { FieldCodec } from './field.js';
import { withPathFreeEncode } from './codec-hints.js';
import { compileStruct } from './struct-reader.js';
import type { Writer } from './writer.js';

type IntKind = 'u8' | 's8' | 'u16' | 's16' | 'u32' | 's32' | 'u16be' | 'u32be' | 's32be';
type BigKind = 'u64' | 's64' | 'u64be';
export type StructFieldKind = IntKind | BigKind | { pad: number } | { bytes: number };

type FieldValue<K> = K extends IntKind ? number : K extends BigKind ? bigint : K extends { bytes: number } ? Uint8Array : never;
type Fields = Record<string, StructFieldKind>;
/** Pad fields do not appear in values. */
type DataKeys<F extends Fields> = { [K in keyof F]: F[K] extends { pad: number } ? never : K }[keyof F];
export type StructFixedValue<F extends Fields> = { -readonly [K in DataKeys<F>]: FieldValue<F[K]> };
export type StructGrowableValue<F extends Fields> = Partial<StructFixedValue<F>> & { tail?: Uint8Array };

const SIZES: Record<IntKind | BigKind, number> = { u8: 1, s8: 1, u16: 2, s16: 2, u32: 4, s32: 4, u16be: 2, u32be: 4, s32be: 4, u64: 8, s64: 8, u64be: 8 };
const PARSER_METHOD: Record<IntKind | BigKind, string> = {
  u8: 'uint8', s8: 'int8', u16: 'uint16le', s16: 'int16le', u32: 'uint32le', s32: 'int32le',
  u16be: 'uint16be', u32be: 'uint32be', s32be: 'int32be', u64: 'uint64le', s64: 'int64le', u64be: 'uint64be',
};

function sizeOf(kind: StructFieldKind): number {
  if (typeof kind === 'object') return 'pad' in kind ? kind.pad : kind.bytes;
  return SIZES[kind];
}

interface Layout {
  key: string;
  kind: StructFieldKind;
  offset: number;
  size: number;
}

export interface StructCodec<V> extends FieldCodec<V> {
  readonly name: string;
  readonly size: number;
  /** Decode from the start of `bytes` (which may be longer); `at` is for errors. */
  decodeAt(bytes: Uint8Array, at: number, path: string): V;
}

/** Write field `key` of struct `name` (encoded at `path`, which errors name). */
function writeField(w: Writer, kind: StructFieldKind, v: unknown, path: string, name: string, key: string): void {
  if (typeof kind === 'object') {
    if ('pad' in kind) return w.zeros(kind.pad);
    const b = v as Uint8Array;
    if (!(b instanceof Uint8Array) || b.length !== kind.bytes) throw new ValidationError(structFieldPath(path, name, key), `must be ${kind.bytes} bytes`, v);
    return w.bytes(b);
  }
  switch (kind) {
    case 'u8': case 's8': return w.u8(Number(v) & 0xff);
    case 'u16': return w.u16(v as number);
    case 's16': return w.s16(v as number);
    case 'u32': return w.u32(v as number);
    case 's32': return w.s32(v as number);
    case 'u16be': return w.u16(v as number, true);
    case 'u32be': return w.u32(v as number, true);
    case 's32be': return w.s32(v as number, true);
    case 'u64': return w.u64(v as bigint);
    case 's64': return w.s64(v as bigint);
    case 'u64be': return w.u64(v as bigint, true);
  }
}

/** The path of a field in errors: `path.key`, or `struct.key` at the top. */
function structFieldPath(path: string, name: string, key: string): string {
  return `${path || name}.${key}`;
}

/** What a value of an integer field must be, or undefined when it is fine. */
function fieldProblem(kind: IntKind | BigKind, v: unknown): string | undefined {
  if (SIZES[kind] === 8) return typeof v === 'bigint' ? undefined : 'must be a bigint';
  const bits = SIZES[kind] * 8;
  const signed = kind.startsWith('s');
  const min = signed ? -(2 ** (bits - 1)) : 0;
  const max = signed ? 2 ** (bits - 1) - 1 : 2 ** bits - 1;
  return typeof v === 'number' && Number.isInteger(v) && v >= min && v <= max ? undefined : `must be an integer from ${min} to ${max}`;
}

/** The same test as fieldProblem, without building a message (every field of every message encoded). */
function fieldOk(kind: IntKind | BigKind, v: unknown): boolean {
  switch (kind) {
    case 'u8': return typeof v === 'number' && Number.isInteger(v) && v >= 0 && v <= 0xff;
    case 'u16': case 'u16be': return typeof v === 'number' && Number.isInteger(v) && v >= 0 && v <= 0xffff;
    case 'u32': case 'u32be': return typeof v === 'number' && Number.isInteger(v) && v >= 0 && v <= 0xffffffff;
    case 's8': return typeof v === 'number' && Number.isInteger(v) && v >= -0x80 && v <= 0x7f;
    case 's16': return typeof v === 'number' && Number.isInteger(v) && v >= -0x8000 && v <= 0x7fff;
    case 's32': case 's32be': return typeof v === 'number' && Number.isInteger(v) && v >= -0x80000000 && v <= 0x7fffffff;
    case 'u64': case 's64': case 'u64be': return typeof v === 'bigint';
  }
}

function build<V>(name: string, fields: Fields, growable: boolean): StructCodec<V> {
  const layout: Layout[] = [];
  let offset = 0;
  for (const [key, kind] of Object.entries(fields)) {
    const size = sizeOf(kind);
    layout.push({ key, kind, offset, size });
    offset += size;
  }
  const size = offset;
  const toUint8 = (v: unknown): unknown => (v instanceof Uint8Array ? new Uint8Array(v) : v);
  // The whole struct is read by a reader generated from the same table (struct-reader.ts),
  // on first use: a program never pays for the many structs it does not read.
  let reader: ReturnType<typeof compileStruct>;

  function decodeFixed(bytes: Uint8Array): Record<string, unknown> {
    // A Buffer's slice() shares memory: read a plain view, so `bytes` fields are copies.
    reader ??= compileStruct({ t: 'struct', fields, growable })!;
    return reader.read(Buffer.isBuffer(bytes) ? new Uint8Array(bytes.buffer, bytes.byteOffset, bytes.byteLength) : bytes, 0);
  }

  /** Field-by-field decode of a short struct (growable only): whole fields or nothing. */
  function decodeShort(bytes: Uint8Array, at: number, path: string): Record<string, unknown> {
    const out: Record<string, unknown> = {};
    for (const f of layout) {
      if (f.offset + f.size > bytes.length) {
        if (f.offset < bytes.length) throw new DecodeError(`${path}.${f.key}`, at + f.offset, `struct ${name} cut inside a field`);
        break;
      }
      if (typeof f.kind === 'object' && 'pad' in f.kind) continue;
      const one = new Parser();
      const parsed = (typeof f.kind === 'object'
        ? one.buffer('v', { length: f.size, clone: true })
        : (one as unknown as Record<string, (n: string) => Parser>)[PARSER_METHOD[f.kind]]!.call(one, 'v')
      ).parse(bytes.subarray(f.offset, f.offset + f.size)) as { v: unknown };
      out[f.key] = toUint8(parsed.v);
    }
    return out;
  }

  function decodeAt(bytes: Uint8Array, at: number, path: string): V {
    if (bytes.length < size && !growable) throw new DecodeError(path || name, at, `struct ${name} needs ${size} bytes, got ${bytes.length}`);
    return (bytes.length >= size ? decodeFixed(bytes) : decodeShort(bytes, at, path || name)) as V;
  }

  function encode(w: Writer, value: V, path: string): void {
    if (value === null || typeof value !== 'object') throw new ValidationError(path || name, `must be a ${name} object`, value);
    const v = value as Record<string, unknown>;
    // Only a growable struct keeps bytes past its fields (decode refuses them for a fixed one).
    if (!growable && v.tail !== undefined) throw new ValidationError(structFieldPath(path, name, 'tail'), `struct ${name} is ${size} bytes: it has no tail`, v.tail);
    let stopped: string | undefined;
    for (const f of layout) {
      const isPad = typeof f.kind === 'object' && 'pad' in f.kind;
      const fieldValue = v[f.key];
      if (!isPad && fieldValue === undefined) {
        if (!growable) throw new ValidationError(structFieldPath(path, name, f.key), 'is required', undefined);
        stopped ??= f.key;
        continue;
      }
      if (stopped !== undefined) {
        if (isPad) continue;
        throw new ValidationError(structFieldPath(path, name, f.key), `cannot be set while the earlier field ${stopped} is absent`, fieldValue);
      }
      // Paths are built only for an error: these run for every header of every message.
      if (typeof f.kind !== 'object' && !fieldOk(f.kind, fieldValue)) throw new ValidationError(structFieldPath(path, name, f.key), fieldProblem(f.kind, fieldValue)!, fieldValue);
      writeField(w, f.kind, fieldValue, path, name, f.key);
    }
    const tail = v.tail;
    if (tail instanceof Uint8Array) {
      if (stopped !== undefined) throw new ValidationError(structFieldPath(path, name, 'tail'), 'needs every field present', tail);
      w.bytes(tail);
    }
  }

  return withPathFreeEncode({
    name,
    size,
    kind: `struct(${name})`,
    shape: { t: 'struct', fields, growable },
    decodeAt,
    encode,
    decode(bytes, at, path) {
      const out = decodeAt(bytes, at, path) as Record<string, unknown>;
      if (bytes.length > size) {
        if (!growable) throw new DecodeError(path || name, at + size, `struct ${name} is ${size} bytes, got ${bytes.length}`);
        out.tail = bytes.slice(size);
      }
      return out as V;
    },
  });
}

/** A struct with a fixed size: shorter or longer payloads are DecodeErrors. */
export function defineStruct<const F extends Fields>(name: string, fields: F): StructCodec<StructFixedValue<F>> {
  return build(name, fields, false);
}

/** A struct the kernel grows over time: shorter payloads lose trailing fields, longer keep a tail. */
export function defineGrowableStruct<const F extends Fields>(name: string, fields: F): StructCodec<StructGrowableValue<F>> {
  return build(name, fields, true);
}
