/**
 * Direct writers: a codec's validate-then-encode done straight into a byte array, for the one
 * path where attributes are written by the hundred thousand (a 10,000-rule nf_tables batch has
 * about 400,000). The Writer's way costs several calls per attribute — a capacity check per
 * write, a header, the length patched, padding — and a nested set's own dispatch; a direct
 * writer checks capacity once for a whole expression and writes its bytes in one pass.
 *
 * A direct writer is an optimisation with nothing of its own to say: for a value the codec's
 * `validate` accepts and its `encode` writes, it writes exactly the same bytes; for anything
 * else — a value the codec would refuse or could not write, or one it is not sure of — it
 * answers -1, and the caller drops what it wrote and takes the general path, which writes the
 * value or reports the error with its path. test/property/nft/expr-direct.property.test.ts
 * holds each writer to its codec and each set's writers to the set's encoder, and
 * expr-batch.property.test.ts a whole batch to the general path.
 */
import type { FieldCodec } from './field.js';
import { decodedState } from './hidden.js';
import { NLA_F_NESTED, NLA_F_NET_BYTEORDER, NLA_HDRLEN } from './constants.js';

export interface DirectWriter {
  /** The most payload bytes `write` writes (before padding): the caller makes room first. */
  readonly max: number;
  /** Write `value`'s payload at `at`: its length, or -1 (see the module comment). */
  write(buf: Uint8Array, at: number, value: unknown): number;
}

/**
 * Registered by encode function, with the validate function it was written for: a codec
 * spread from another (`{ ...u32be, kind: 'register' }`) keeps its direct writer exactly when
 * it keeps both; one that replaces `validate` must declare a writer of its own.
 */
const writers = new WeakMap<object, Array<{ validate: unknown; resolve: () => DirectWriter | undefined }>>();

/**
 * Declare the direct writer of `codec`, made on first use (sets resolve their attributes late;
 * a codec built on another has one only if that one does).
 */
export function withDirectWriter<C extends FieldCodec<any>>(codec: C, resolve: () => DirectWriter | undefined): C {
  let writer: DirectWriter | undefined;
  let resolved = false;
  const once = (): DirectWriter | undefined => {
    if (!resolved) {
      resolved = true;
      writer = resolve();
    }
    return writer;
  };
  const entries = writers.get(codec.encode) ?? [];
  entries.push({ validate: codec.validate, resolve: once });
  writers.set(codec.encode, entries);
  return codec;
}

/** The direct writer of `codec`, if it has one. */
export function directWriterOf(codec: FieldCodec<unknown>): DirectWriter | undefined {
  return writers.get(codec.encode)?.find((entry) => entry.validate === codec.validate)?.resolve();
}

/** The direct writer of an integer codec (`size` bytes, range checked as its validate does). */
export function directIntWriter(size: 1 | 2 | 4, min: number, max: number, bigEndian: boolean): DirectWriter {
  return {
    max: size,
    write(buf, at, v) {
      if (typeof v !== 'number' || !Number.isInteger(v) || v < min || v > max) return -1;
      putInt(buf, at, v, size, bigEndian);
      return size;
    },
  };
}

function putInt(buf: Uint8Array, at: number, v: number, size: 1 | 2 | 4, bigEndian: boolean): void {
  if (size === 1) buf[at] = v & 0xff;
  else if (size === 2) {
    buf[at + (bigEndian ? 0 : 1)] = (v >>> 8) & 0xff;
    buf[at + (bigEndian ? 1 : 0)] = v & 0xff;
  } else if (bigEndian) {
    buf[at] = (v >>> 24) & 0xff;
    buf[at + 1] = (v >>> 16) & 0xff;
    buf[at + 2] = (v >>> 8) & 0xff;
    buf[at + 3] = v & 0xff;
  } else {
    buf[at] = v & 0xff;
    buf[at + 1] = (v >>> 8) & 0xff;
    buf[at + 2] = (v >>> 16) & 0xff;
    buf[at + 3] = (v >>> 24) & 0xff;
  }
}

/** An enumeration's: a known name as its number, a number as the base codec checks it. */
export function directEnumWriter(base: DirectWriter, table: Record<string, number>): DirectWriter {
  const byName = new Map(Object.entries(table));
  return {
    max: base.max,
    write(buf, at, v) {
      if (typeof v === 'number') return base.write(buf, at, v);
      const n = typeof v === 'string' ? byName.get(v) : undefined;
      return n === undefined ? -1 : base.write(buf, at, n);
    },
  };
}

/**
 * A bit set's: an array of known names and numbers, ORed and written by the base codec's
 * writer. `checked` accepts the numbers checkedFlagsOf's validate accepts (integers 0 to
 * 0xffffffff); unchecked flags take any number, as flagsToNumber does.
 */
export function directFlagsWriter(base: DirectWriter, table: Record<string, number>, checked: boolean): DirectWriter {
  const byName = new Map(Object.entries(table));
  return {
    max: base.max,
    write(buf, at, v) {
      if (!Array.isArray(v)) return -1;
      let n = 0;
      for (let i = 0; i < v.length; i++) {
        const f: unknown = v[i];
        let bit: number | undefined;
        if (typeof f === 'number') bit = !checked || (Number.isInteger(f) && f >= 0 && f <= 0xffffffff) ? f : undefined;
        else if (typeof f === 'string') bit = byName.get(f);
        if (bit === undefined) return -1;
        n |= bit;
      }
      return base.write(buf, at, n >>> 0);
    },
  };
}

/** Bytes of `min` to `max` length, copied as they are. */
export function directBytesWriter(min: number, max: number): DirectWriter {
  return {
    max,
    write(buf, at, v) {
      if (!(v instanceof Uint8Array) || v.length < min || v.length > max) return -1;
      const n = v.length;
      for (let i = 0; i < n; i++) buf[at + i] = v[i]!;
      return n;
    },
  };
}

/** Strings longer than this are left to the general path (names are far shorter). */
const DIRECT_TEXT_MAX = 255;
const ASCII_MAX = 0x7f;

/**
 * Kernel text (text.ts) and, when `nul`, its terminating NUL: ASCII strings without NUL of up
 * to DIRECT_TEXT_MAX characters, which the Writer also copies code unit by code unit. Anything
 * else is declined, the general path's to encode or refuse.
 */
export function directTextWriter(nul: boolean): DirectWriter {
  return {
    max: DIRECT_TEXT_MAX + (nul ? 1 : 0),
    write(buf, at, v) {
      if (typeof v !== 'string' || v.length > DIRECT_TEXT_MAX) return -1;
      const n = v.length;
      for (let i = 0; i < n; i++) {
        const c = v.charCodeAt(i);
        if (c === 0 || c > ASCII_MAX) return -1;
        buf[at + i] = c;
      }
      if (!nul) return n;
      buf[at + n] = 0;
      return n + 1;
    },
  };
}

const U64_MAX = 2n ** 64n - 1n;
const S64_MIN = -(2n ** 63n);
const S64_MAX = 2n ** 63n - 1n;
const scratch = new DataView(new ArrayBuffer(8));

/** A 64-bit integer's (a bigint in range, as its validate checks). */
export function directBigIntWriter(signed: boolean, bigEndian: boolean): DirectWriter {
  return {
    max: 8,
    write(buf, at, v) {
      if (typeof v !== 'bigint' || (signed ? v < S64_MIN || v > S64_MAX : v < 0n || v > U64_MAX)) return -1;
      if (signed) scratch.setBigInt64(0, v, !bigEndian);
      else scratch.setBigUint64(0, v, !bigEndian);
      for (let i = 0; i < 8; i++) buf[at + i] = scratch.getUint8(i);
      return 8;
    },
  };
}

export interface DirectSetWriters {
  /** Attributes in the value's own order (an attribute set written as a codec). */
  inValueOrder: DirectWriter;
  /** Attributes in declaration order (an nf_tables expression built in code). */
  inDeclarationOrder: DirectWriter;
}

interface SetEntry {
  key: string;
  type: number;
  codec: FieldCodec<unknown>;
  repeated?: boolean;
}

/**
 * An attribute set's direct writers, generated once from its entries, `skip` left out (the
 * expression's `type`; `unknown` for a set written as a codec). Attributes whose codec has no
 * direct writer, or that repeat, make it answer -1 when present; so do other keys, unknown
 * attributes to re-emit and values carrying decoded state (a remembered layout). Nests carry
 * NLA_F_NESTED: callers use these only on a writer whose nesting style is flagged.
 */
export function compileDirectSetWriters(entries: readonly SetEntry[], skip: string): DirectSetWriters {
  const direct = entries.map((e) => {
    const d = e.repeated ? undefined : directWriterOf(e.codec);
    // (Lengths are written as 16 bits without a check: any payload a writer takes must fit.)
    return d !== undefined && d.max + NLA_HDRLEN <= 0xffff ? d : undefined;
  });
  let max = 0;
  for (const d of direct) if (d) max += NLA_HDRLEN + ((d.max + 3) & ~3);
  const constants = direct.map((d, i) => (d ? `const w${i} = D[${i}].write;` : '')).join('\n');
  const blocks = entries.map((e, i) => {
    if (!direct[i]) return 'return -1;';
    const type = e.type | (e.codec.nested ? NLA_F_NESTED : 0) | (e.codec.netByteOrder ? NLA_F_NET_BYTEORDER : 0);
    // Header, payload, length, then zero padding (the buffer may hold bytes of a dropped attempt).
    return `r = w${i}(buf, p + 4, x); if (r < 0) return -1; r += 4;
      buf[p] = r & 255; buf[p + 1] = r >>> 8; buf[p + 2] = ${type & 0xff}; buf[p + 3] = ${type >>> 8};
      while ((r & 3) !== 0) buf[p + r++] = 0;
      p += r;`;
  });
  const key = (k: string) => JSON.stringify(k);
  const unknownKept = 'if (v.unknown !== undefined && !(Array.isArray(v.unknown) && v.unknown.length === 0)) return -1;';
  const plain = 'if (v === null || typeof v !== "object" || S(v) !== undefined) return -1;';
  const source = `${constants}
    return {
      inValueOrder: { max: ${max}, write(buf, at, v) {
        ${plain}
        let p = at, r, x;
        for (const k in v) {
          x = v[k];
          if (x === undefined || k === ${key(skip)}) continue;
          switch (k) {
            ${entries.filter((e) => e.key !== skip).map((e) => `case ${key(e.key)}: { ${blocks[entries.indexOf(e)]} break; }`).join('\n            ')}
            case 'unknown': break;
            default: return -1;
          }
        }
        ${unknownKept}
        return p - at;
      } },
      inDeclarationOrder: { max: ${max}, write(buf, at, v) {
        ${plain}
        let p = at, r, x, n = 0;
        ${entries.filter((e) => e.key !== skip).map((e) => `x = v[${key(e.key)}]; if (x !== undefined) { n++; ${blocks[entries.indexOf(e)]} }`).join('\n        ')}
        // Nothing else may be set (unknown attributes included): the general path handles it.
        for (const k in v) if (k !== ${key(skip)} && v[k] !== undefined) n--;
        if (n !== 0) return -1;
        return p - at;
      } },
    };`;
  return new Function('D', 'S', source)(direct, decodedState) as DirectSetWriters;
}
