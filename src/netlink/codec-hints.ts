/**
 * What the fast paths may know about a codec beyond the FieldCodec interface.
 *
 * In-place readers: the same decode as a codec's `decode`, reading the payload where it lies —
 * `len` bytes at `off` of `bytes` — for compiled decoders (decode-plan.ts): no payload view,
 * no path string, no error. A reader returns `undefined` wherever `decode` would throw; the
 * caller then runs `decode`, which reports the error. Otherwise its result equals `decode`'s.
 *
 * Path-free encoders: codecs whose encode writes no attributes of its own (so records no
 * spans) and uses its path only in error messages. The attribute set's optimistic encode
 * passes them no path, and starts over with paths if anything throws (attribute-set.ts).
 *
 * And the helpers those fast paths share: plain objects sized for their properties, views for
 * 64-bit reads, and names read straight from the bytes.
 */
import type { FieldCodec } from './field.js';
import { decodeKernelText } from './text.js';

export type InPlaceReader = (bytes: Uint8Array, off: number, len: number) => unknown;

/**
 * Registered by decode function, not by codec object: a codec spread from another
 * (`{ ...u32be, kind: 'register' }`) keeps the reader exactly when it keeps the decode.
 */
const readers = new WeakMap<object, InPlaceReader>();

/** Declare `read` as the in-place form of `codec.decode`; returns the codec. */
export function withInPlaceReader<C extends FieldCodec<any>>(codec: C, read: InPlaceReader): C {
  readers.set(codec.decode, read);
  return codec;
}

/** The in-place form of `codec.decode`, if one was declared. */
export function inPlaceReaderOf(codec: FieldCodec<unknown>): InPlaceReader | undefined {
  return readers.get(codec.decode);
}

/** By encode function, as readers are by decode function. */
const pathFreeEncoders = new WeakSet<object>();

/** Declare that `codec.encode` writes no attributes and uses its path only in errors; returns the codec. */
export function withPathFreeEncode<C extends FieldCodec<any>>(codec: C): C {
  pathFreeEncoders.add(codec.encode);
  return codec;
}

export function usesPathOnlyInErrors(codec: FieldCodec<unknown>): boolean {
  return pathFreeEncoders.has(codec.encode);
}

/**
 * A maker of plain objects — prototype Object.prototype, `constructor` Object, equal to a
 * literal under any comparison — for decoded values. Made with `new` rather than as `{}`, its
 * objects get room for all their properties inline (V8 sizes a constructor's objects by the
 * first few it makes; `{}` has room for 4, and every property beyond lives in a separate
 * array): measured 1.5–2x faster to build. One maker per kind of value, so each is sized for it.
 */
export function plainObjectMaker(): new () => Record<string, unknown> {
  function PlainObject(): void {}
  PlainObject.prototype = Object.prototype;
  return PlainObject as unknown as new () => Record<string, unknown>;
}

/** A DataView over the whole buffer of `b`, one per buffer (for the few 64-bit reads). */
const bufferViews = new WeakMap<ArrayBufferLike, DataView>();
/**
 * The last one handed out: a dump's replies read their 64-bit fields from the same few
 * datagrams. It keeps that one buffer alive until another is read (a datagram: 32 KB at most
 * for a dump).
 */
let lastView: DataView | undefined;
export function viewOfBuffer(b: Uint8Array): DataView {
  const buffer = b.buffer;
  if (lastView !== undefined && lastView.buffer === buffer) return lastView;
  let v = bufferViews.get(buffer);
  if (!v) bufferViews.set(buffer, (v = new DataView(buffer)));
  lastView = v;
  return v;
}

const ASCII_MAX = 0x7f;
/** Recently read short names, by a hash of their bytes: table, chain and link names repeat. */
const TEXT_CACHE_SLOTS = 256;
const SHORT_NAME = 32;
const recentTexts: string[] = new Array<string>(TEXT_CACHE_SLOTS).fill('');

/**
 * Kernel text in `bytes[off, end)`, stopping at a NUL when `toNul`. Names are nearly always
 * ASCII, which is read here directly; a short name read before is returned as the same string
 * (a dump of 10,000 rules names the same table 10,000 times); anything else goes through
 * decodeKernelText.
 */
export function readText(b: Uint8Array, off: number, end: number, toNul: boolean): string {
  let hash = 0;
  let stop = off;
  for (; stop < end; stop++) {
    const c = b[stop]!;
    if (c === 0 && toNul) break;
    if (c > ASCII_MAX) return readNonAscii(b, off, end, toNul);
    hash = (hash * 31 + c) | 0;
  }
  const n = stop - off;
  if (n > SHORT_NAME) return decodeKernelText(b.subarray(off, stop));
  const slot = (hash ^ n) & (TEXT_CACHE_SLOTS - 1);
  const recent = recentTexts[slot]!;
  if (recent.length === n) {
    let i = 0;
    while (i < n && recent.charCodeAt(i) === b[off + i]) i++;
    if (i === n) return recent;
  }
  let s = '';
  for (let i = off; i < stop; i++) s += String.fromCharCode(b[i]!);
  recentTexts[slot] = s;
  return s;
}

function readNonAscii(b: Uint8Array, off: number, end: number, toNul: boolean): string {
  let stop = off;
  while (stop < end && !(toNul && b[stop] === 0)) stop++;
  return decodeKernelText(b.subarray(off, stop));
}
