/**
 * The scalar field codecs: integers with explicit width and byte order, strings, addresses,
 * flags and enums. Unknown enum values and flag bits are kept as numbers so nothing is lost.
 */
import { pooledBytes } from './byte-pool.js';
import { DecodeError } from './errors.js';
import type { FieldCodec } from './field.js';
import { inPlaceReaderOf, type InPlaceReader, readText, usesPathOnlyInErrors, viewOfBuffer, withInPlaceReader as withReader, withPathFreeEncode } from './codec-hints.js';

/** A plain value codec: its in-place reader declared, and its encode free of attributes (see codec-hints.ts). */
function plain<C extends FieldCodec<any>>(codec: C, read: InPlaceReader): C {
  return withPathFreeEncode(withReader(codec, read));
}
import { decodeKernelText } from './text.js';
import { directBigIntWriter, directEnumWriter, directFlagsWriter, directIntWriter, directTextWriter, directWriterOf, withDirectWriter } from './direct-write.js';
import { formatIp, formatIpv4At, formatLinkAddress, parseIp, parseLinkAddress } from './addresses.js';

function need(bytes: Uint8Array, n: number, at: number, path: string, exact = true): void {
  if (exact ? bytes.length !== n : bytes.length < n) {
    throw new DecodeError(path, at, `want ${n} bytes, got ${bytes.length}`);
  }
}

function view(b: Uint8Array): DataView {
  return new DataView(b.buffer, b.byteOffset, b.byteLength);
}

/** Read an integer of `size` bytes at `o` straight from the bytes (no DataView on the decode path). */
function readInt(b: Uint8Array, o: number, size: 1 | 2 | 4, signed: boolean, bigEndian: boolean): number {
  if (size === 1) return signed ? (b[o]! << 24) >> 24 : b[o]!;
  if (size === 2) {
    const v = bigEndian ? (b[o]! << 8) | b[o + 1]! : b[o]! | (b[o + 1]! << 8);
    return signed ? (v << 16) >> 16 : v;
  }
  const v = bigEndian
    ? (b[o]! << 24) | (b[o + 1]! << 16) | (b[o + 2]! << 8) | b[o + 3]!
    : b[o]! | (b[o + 1]! << 8) | (b[o + 2]! << 16) | (b[o + 3]! << 24);
  return signed ? v : v >>> 0;
}

function intCodec(kind: string, size: 1 | 2 | 4, signed: boolean, bigEndian: boolean): FieldCodec<number> {
  const min = signed ? -(2 ** (size * 8 - 1)) : 0;
  const max = signed ? 2 ** (size * 8 - 1) - 1 : 2 ** (size * 8) - 1;
  const read: InPlaceReader = (b, o, l) => (l === size ? readInt(b, o, size, signed, bigEndian) : undefined);
  const codec = plain({
    kind,
    encode(w, v) {
      if (size === 1) w.u8(v & 0xff);
      else if (size === 2) signed ? w.s16(v, bigEndian) : w.u16(v, bigEndian);
      else signed ? w.s32(v, bigEndian) : w.u32(v, bigEndian);
    },
    decode(b, at, path) {
      if (b.length !== size) throw new DecodeError(path, at, `want ${size} bytes, got ${b.length}`);
      return readInt(b, 0, size, signed, bigEndian);
    },
    validate(v) {
      return Number.isInteger(v) && v >= min && v <= max ? undefined : `must be an integer from ${min} to ${max}`;
    },
    shape: { t: 'int', min, max },
  }, read);
  return withDirectWriter(codec, () => directIntWriter(size, min, max, bigEndian));
}

const U64_BYTES = 8;

function bigCodec(kind: string, signed: boolean, bigEndian: boolean): FieldCodec<bigint> {
  const read: InPlaceReader = (b, o, l) => {
    if (l !== U64_BYTES) return undefined;
    const v = viewOfBuffer(b);
    return signed ? v.getBigInt64(b.byteOffset + o, !bigEndian) : v.getBigUint64(b.byteOffset + o, !bigEndian);
  };
  const codec = plain({
    kind,
    encode(w, v) { signed ? w.s64(v, bigEndian) : w.u64(v, bigEndian); },
    decode(b, at, path) {
      need(b, 8, at, path);
      return signed ? view(b).getBigInt64(0, !bigEndian) : view(b).getBigUint64(0, !bigEndian);
    },
    validate(v) {
      if (typeof v !== 'bigint') return 'must be a bigint';
      const ok = signed ? v >= -(2n ** 63n) && v < 2n ** 63n : v >= 0n && v < 2n ** 64n;
      return ok ? undefined : 'out of 64-bit range';
    },
    shape: { t: 'bigint', signed },
  }, read);
  return withDirectWriter(codec, () => directBigIntWriter(signed, bigEndian));
}

export const u8 = intCodec('u8', 1, false, false);
export const s8 = intCodec('s8', 1, true, false);
export const u16 = intCodec('u16', 2, false, false);
export const u32 = intCodec('u32', 4, false, false);
export const s32 = intCodec('s32', 4, true, false);
export const u16be = intCodec('u16be', 2, false, true);
export const u32be = intCodec('u32be', 4, false, true);
export const s32be = intCodec('s32be', 4, true, true);
export const u64 = bigCodec('u64', false, false);
export const s64 = bigCodec('s64', true, false);
export const u64be = bigCodec('u64be', false, true);

/** A zero-length attribute whose presence is the value (NLA_FLAG). */
export const flag: FieldCodec<true> = plain({
  kind: 'flag',
  encode() {},
  decode(b, at, path) {
    need(b, 0, at, path);
    return true;
  },
  shape: { t: 'flag' },
}, (_b, _o, l) => (l === 0 ? true : undefined));

/** Longest copy made byte by byte: below it, a loop beats slice() (30,000 values of 1–4 bytes: 2.7–3.6 against 3.9–4.9 ms). */
const SHORT_COPY = 16;
/**
 * `len` bytes at `off` of `b`, copied: short ones into a region of the shared pool
 * (byte-pool.ts; a listing's values all survive its collections, so an ArrayBuffer of each
 * would be copied by the collector too), never a Buffer (the compiled readers do not read those).
 */
function copyOut(b: Uint8Array, off: number, len: number): Uint8Array {
  if (len > SHORT_COPY) return b.slice(off, off + len);
  const out = pooledBytes(len);
  for (let i = 0; i < len; i++) out[i] = b[off + i]!;
  return out;
}
/** Opaque bytes (copied on decode). */
export const binary: FieldCodec<Uint8Array> = plain({
  kind: 'binary',
  encode(w, v) { w.bytes(v); },
  decode(b) { return b.slice(); },
  validate(v) { return v instanceof Uint8Array ? undefined : 'must be a Uint8Array'; },
  shape: { t: 'bytes' },
}, copyOut);

/**
 * A NUL-terminated string (NLA_NUL_STRING and the kernel's NLA_STRING replies). Decoding stops
 * at the first NUL; names that are not valid UTF-8 survive (see text.ts).
 */
export const cstring: FieldCodec<string> = withDirectWriter(plain({
  kind: 'string',
  encode(w, v) { w.text(v, true); },
  decode(b) {
    const nul = b.indexOf(0);
    return decodeKernelText(nul >= 0 ? b.subarray(0, nul) : b);
  },
  validate(v) { return typeof v === 'string' && !v.includes('\0') ? undefined : 'must be a string without NUL'; },
  shape: { t: 'string' },
}, (b, o, l) => readText(b, o, o + l, true)), () => directTextWriter(true));

/** A string sent without a terminating NUL (length from the attribute). */
export const rawString: FieldCodec<string> = withDirectWriter(plain({
  kind: 'rawstring',
  encode(w, v) { w.text(v, false); },
  decode(b) { return decodeKernelText(b); },
  shape: { t: 'string' },
}, (b, o, l) => readText(b, o, o + l, false)), () => directTextWriter(false));

const IPV4_BYTES = 4;
const IPV6_BYTES = 16;

/** An IPv4 or IPv6 address chosen by length (4 or 16 bytes), as text. */
export const ipAddress: FieldCodec<string> = plain({
  kind: 'ipaddr',
  encode(w, v, path) { w.bytes(parseIp(v, path).bytes); },
  decode(b, at, path) {
    if (b.length !== IPV4_BYTES && b.length !== IPV6_BYTES) throw new DecodeError(path, at, `want 4 or 16 address bytes, got ${b.length}`);
    return formatIp(b);
  },
  shape: { t: 'ip' },
}, (b, o, l) => {
  if (l === IPV4_BYTES) return formatIpv4At(b, o);
  return l === IPV6_BYTES ? formatIp(b.subarray(o, o + l)) : undefined;
});

/** A link-layer address of any length (usually 6 bytes), as `aa:bb:cc:dd:ee:ff`. */
export const linkAddress: FieldCodec<string> = plain({
  kind: 'lladdr',
  encode(w, v, path) { w.bytes(parseLinkAddress(v, path)); },
  decode(b) { return formatLinkAddress(b); },
  shape: { t: 'lladdr' },
}, (b, o, l) => formatLinkAddress(b, o, o + l));

/**
 * An enumeration stored as an integer. Known values decode to their name; unknown ones stay
 * numbers, and both encode back.
 */
export function enumOf<const N extends string>(base: FieldCodec<number>, table: Record<N, number>): FieldCodec<N | number> {
  const byValue = new Map<number, N>();
  for (const [name, value] of Object.entries(table) as [N, number][]) if (!byValue.has(value)) byValue.set(value, name);
  const codec: FieldCodec<N | number> = {
    kind: `enum(${base.kind})`,
    encode(w, v, path) {
      const n = typeof v === 'number' ? v : table[v];
      if (n === undefined) throw new RangeError(`${path}: unknown value ${String(v)}`);
      base.encode(w, n, path);
    },
    decode(b, at, path) {
      const n = base.decode(b, at, path);
      return byValue.get(n) ?? n;
    },
    validate(v) {
      if (typeof v === 'number') return base.validate?.(v);
      return Object.hasOwn(table, v) ? undefined : `unknown value '${v}' (one of ${Object.keys(table).join(', ')})`;
    },
    shape: { t: 'enum', values: table, base: base.shape! },
  };
  withDirectWriter(codec, () => {
    const direct = directWriterOf(base);
    return direct && directEnumWriter(direct, table);
  });
  return derived(codec, base, (n) => byValue.get(n) ?? n);
}

/** A codec mapping the numbers of `base`: it reads in place and encodes path-free when `base` does. */
function derived<C extends FieldCodec<any>>(codec: C, base: FieldCodec<number>, map: (n: number) => unknown): C {
  const readBase = inPlaceReaderOf(base);
  if (readBase) {
    withReader(codec, (b, o, l) => {
      const n = readBase(b, o, l) as number | undefined;
      return n === undefined ? undefined : map(n);
    });
  }
  return usesPathOnlyInErrors(base) ? withPathFreeEncode(codec) : codec;
}

/**
 * A bit set stored as an integer. Decodes to the names of the known bits plus, for each
 * unknown set bit, its numeric value — so no bit is dropped.
 */
export function flagsOf<const N extends string>(base: FieldCodec<number>, table: Record<N, number>): FieldCodec<Array<N | number>> {
  const names = flagNamer(table);
  const codec: FieldCodec<Array<N | number>> = {
    kind: `flags(${base.kind})`,
    encode(w, v, path) { base.encode(w, flagsToNumber(v, table, path), path); },
    decode(b, at, path) { return names(base.decode(b, at, path)); },
    shape: { t: 'flags', values: table, base: base.shape! },
  };
  withDirectWriter(codec, () => {
    const direct = directWriterOf(base);
    return direct && directFlagsWriter(direct, table, false);
  });
  return derived(codec, base, names);
}

/**
 * A fast `numberToFlags` for one table, for decode paths that run per dumped object: the names
 * of each value are computed once and copied out of a small cache (flag values repeat).
 */
export function flagNamer<N extends string>(table: Readonly<Record<N, number>>): (value: number) => Array<N | number> {
  const cache = new Map<number, Array<N | number>>();
  const CACHE_MAX = 256;
  return (value) => {
    let names = cache.get(value);
    if (names === undefined) {
      names = numberToFlags(value, table);
      if (cache.size < CACHE_MAX) cache.set(value, names);
    }
    return names.slice();
  };
}

export function flagsToNumber<N extends string>(v: ReadonlyArray<N | number>, table: Record<N, number>, path = 'flags'): number {
  let n = 0;
  for (const f of v) {
    const bit = typeof f === 'number' ? f : table[f];
    if (bit === undefined) throw new RangeError(`${path}: unknown flag ${String(f)}`);
    n |= bit;
  }
  return n >>> 0;
}

const flagEntries = new WeakMap<object, Array<[string, number]>>();

/** The table's single-bit entries, computed once per table. */
function bitsOf(table: Record<string, number>): Array<[string, number]> {
  let entries = flagEntries.get(table);
  if (!entries) {
    entries = Object.entries(table).filter(([, bit]) => bit !== 0);
    flagEntries.set(table, entries);
  }
  return entries;
}

export function numberToFlags<N extends string>(n: number, table: Record<N, number>): Array<N | number> {
  const out: Array<N | number> = [];
  let rest = n >>> 0;
  for (const [name, bit] of bitsOf(table)) {
    // `>>> 0` keeps bit 31 positive so it compares equal to 0x80000000.
    if (((rest & bit) >>> 0) === bit >>> 0) {
      out.push(name as N);
      rest = (rest & ~bit) >>> 0;
    }
  }
  for (let bit = 1; rest !== 0 && bit !== 0; bit = (bit << 1) >>> 0) {
    if ((rest & bit) >>> 0) {
      out.push(bit);
      rest = (rest & ~bit) >>> 0;
    }
  }
  return out;
}
