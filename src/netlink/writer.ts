import { NLA_ALIGNTO, NLA_F_NESTED, NLA_F_NET_BYTEORDER, NLA_HDRLEN } from './constants.js';
import { pooledBytes } from './byte-pool.js';
import { encodeKernelText } from './text.js';

/** Where an attribute was written, so a kernel error offset can be turned back into a name. */
export interface AttributeSpan {
  /** Offset of the attribute header from the start of the message (nlmsghdr included). */
  start: number;
  end: number;
  /** Dotted path, e.g. `linkinfo.data.peer.ifname`. */
  path: string;
}

/** Writer.beginAttribute's packed flags: NLA_F_NESTED … */
export const PACKED_NESTED = 2;
/** … NLA_F_NET_BYTEORDER … */
export const PACKED_NET_BYTEORDER = 1;
/**
 * … and a bit saying these are the attribute codec's own flags,
 * not flags remembered from a decoded value — so NLA_F_NESTED follows the writer's nesting
 * style (see {@link Writer.nestingFlagged}).
 */
export const CODEC_FLAGS = 4;

/** Round `n` up to the netlink 4-byte alignment. */
export function align4(n: number): number {
  return (n + NLA_ALIGNTO - 1) & ~(NLA_ALIGNTO - 1);
}

/** The highest code unit written as one byte by the ASCII fast path of {@link Writer.text}. */
const ASCII_MAX = 0x7f;
/** Strings this short are copied code unit by code unit; longer ones go through TextEncoder. */
const SHORT_TEXT = 64;
/** Byte arrays this short are copied byte by byte. */
const SHORT_COPY = 16;

/**
 * A writer asking for at most this many bytes starts in a region of the shared pool
 * (byte-pool.ts): a request's body is tens of bytes, and a 256-byte ArrayBuffer of its own per
 * request was most of what encoding one cost (5–7 of the 10 µs a bridge's RTM_NEWLINK took).
 * A writer that outgrows its region moves to an array of its own.
 */
const POOLED_MAX = 1024;

/**
 * A growable little buffer for encoders. All multi-byte writers take the byte order from the
 * caller (the field codec), never from a mode. Attribute starts are recorded as spans.
 *
 * Spans are kept flat (offsets in one array, each path as two parts) and turned into
 * {@link AttributeSpan} objects only when read: their paths are needed only if the kernel
 * rejects a message. A writer made with `{ spans: false }` records none at all, for encoders
 * that can write a message again to find its spans when they are asked for (nf_tables
 * batches: half a million attributes for 10,000 rules).
 */
export class Writer {
  private buf: Uint8Array;
  private view: DataView;
  length = 0;
  /** Added to every recorded span, so spans are relative to the nlmsghdr. */
  readonly spanBase: number;
  /** start, end of each span (offsets in this buffer, without spanBase). */
  private readonly spanOffsets: number[] = [];
  /** Each span's path is `head`, `head.tail` (tail a key) or `head[tail]` (tail an index). */
  private readonly spanHeads: string[] = [];
  private readonly spanTails: Array<string | number | undefined> = [];
  private materialized: AttributeSpan[] | undefined;
  /** Whether spans are recorded (see the class comment). */
  readonly recordsSpans: boolean;
  /**
   * Set while an encoder that will write everything again, with paths, if anything throws is
   * running on a writer that records no spans: codecs may then leave paths empty, since they
   * only serve error messages, which that second attempt produces (see attribute-set.ts).
   */
  pathsOptional = false;
  /**
   * Whether nested attributes written with their codec's own flags ({@link CODEC_FLAGS}) carry
   * NLA_F_NESTED. False while a value decoded from the kernel's unflagged nests is re-encoded
   * (see nesting-style.ts).
   */
  nestingFlagged = true;

  constructor(initialSize = 256, spanBase = 0, options: { spans?: boolean } = {}) {
    this.buf = initialSize > POOLED_MAX ? new Uint8Array(initialSize) : pooledBytes(initialSize);
    this.view = new DataView(this.buf.buffer, this.buf.byteOffset, this.buf.byteLength);
    this.spanBase = spanBase;
    this.recordsSpans = options.spans ?? true;
  }

  private reserve(n: number): number {
    const at = this.length;
    const need = at + n;
    if (need > this.buf.length) this.grow(need);
    this.length = need;
    return at;
  }

  private grow(need: number): void {
    let size = Math.max(16, this.buf.length * 2);
    while (size < need) size *= 2;
    const next = new Uint8Array(size);
    next.set(this.buf.subarray(0, this.length));
    this.buf = next;
    this.view = new DataView(next.buffer);
  }

  /**
   * Room for `n` more bytes after `length`, for a caller that writes them itself (a direct
   * writer, direct-write.ts) and then sets `length`: the buffer to write into.
   */
  room(n: number): Uint8Array {
    if (this.length + n > this.buf.length) this.grow(this.length + n);
    return this.buf;
  }

  // Each writer reserves first, then reads `this.view`: reserve() may replace the buffer.
  u8(v: number): void { const at = this.reserve(1); this.buf[at] = v; }
  u16(v: number, bigEndian = false): void { const at = this.reserve(2); this.view.setUint16(at, v, !bigEndian); }
  s16(v: number, bigEndian = false): void { const at = this.reserve(2); this.view.setInt16(at, v, !bigEndian); }
  u32(v: number, bigEndian = false): void { const at = this.reserve(4); this.view.setUint32(at, v, !bigEndian); }
  s32(v: number, bigEndian = false): void { const at = this.reserve(4); this.view.setInt32(at, v, !bigEndian); }
  u64(v: bigint, bigEndian = false): void { const at = this.reserve(8); this.view.setBigUint64(at, v, !bigEndian); }
  s64(v: bigint, bigEndian = false): void { const at = this.reserve(8); this.view.setBigInt64(at, v, !bigEndian); }
  bytes(b: Uint8Array): void {
    if (!(b instanceof Uint8Array)) throw new TypeError(`expected bytes (a Uint8Array), got ${typeof b}`);
    const n = b.length;
    const at = this.reserve(n);
    const buf = this.buf;
    // Most payloads are a few bytes (addresses, ports, names): a loop beats a call into set().
    if (n <= SHORT_COPY) for (let i = 0; i < n; i++) buf[at + i] = b[i]!;
    else buf.set(b, at);
  }
  zeros(n: number): void { const at = this.reserve(n); this.buf.fill(0, at, this.length); }
  /** Pad with zero bytes to the 4-byte boundary. */
  pad(): void {
    const n = align4(this.length) - this.length;
    if (n === 0) return;
    const at = this.reserve(n);
    for (let i = 0; i < n; i++) this.buf[at + i] = 0;
  }

  /**
   * Kernel text (see text.ts) and, when `nul`, its terminating NUL. Short ASCII strings — names
   * of tables, chains, links, expressions — are copied straight into the buffer.
   */
  text(s: string, nul: boolean): void {
    const n = s.length;
    if (n <= SHORT_TEXT) {
      const at = this.reserve(nul ? n + 1 : n);
      const buf = this.buf;
      let i = 0;
      for (; i < n; i++) {
        const c = s.charCodeAt(i);
        if (c > ASCII_MAX) break;
        buf[at + i] = c;
      }
      if (i === n) {
        if (nul) buf[at + n] = 0;
        return;
      }
      this.length = at;
    }
    this.bytes(encodeKernelText(s));
    if (nul) this.u8(0);
  }

  /** Patch a u32 written earlier (used for lengths). */
  patchU32(at: number, v: number, bigEndian = false): void { this.view.setUint32(at, v, !bigEndian); }
  patchU16(at: number, v: number, bigEndian = false): void { this.view.setUint16(at, v, !bigEndian); }

  /**
   * Start an attribute of `type` with packed flag bits (2 = NLA_F_NESTED, 1 =
   * NLA_F_NET_BYTEORDER, 4 = {@link CODEC_FLAGS}); write its payload, then call
   * {@link endAttribute} with the returned start. (A begin/end pair instead of a callback keeps
   * the encode path free of closures.)
   */
  beginAttribute(type: number, packedFlags: number): number {
    const start = this.reserve(NLA_HDRLEN);
    let t = type;
    if (packedFlags & PACKED_NESTED && (this.nestingFlagged || !(packedFlags & CODEC_FLAGS))) t |= NLA_F_NESTED;
    if (packedFlags & PACKED_NET_BYTEORDER) t |= NLA_F_NET_BYTEORDER;
    this.view.setUint16(start + 2, t, true);
    return start;
  }

  /**
   * Finish the attribute begun at `start`: length (without padding, as the kernel expects),
   * span, padding. The span's path is `path`, or — so callers need not build the string for an
   * attribute that is almost never named — `path.tail` for a key (just `tail` when `path` is
   * empty) and `path[tail]` for an index.
   */
  endAttribute(start: number, path: string, tail?: string | number): void {
    const len = this.length - start;
    if (len > 0xffff) throw new RangeError(`${joinPath(path, tail)}: attribute of ${len} bytes exceeds the 65535-byte netlink limit`);
    this.view.setUint16(start, len, true);
    if (this.recordsSpans) {
      this.spanOffsets.push(start, this.length);
      this.spanHeads.push(path);
      this.spanTails.push(tail);
    }
    this.pad();
  }

  /**
   * Record the span of an attribute copied whole (header, payload and padding already encoded):
   * `start` to `end` (its length, without the padding), path as for {@link endAttribute}.
   */
  recordSpan(start: number, end: number, path: string, tail?: string | number): void {
    if (!this.recordsSpans) return;
    this.spanOffsets.push(start, end);
    this.spanHeads.push(path);
    this.spanTails.push(tail);
  }

  /** Write an attribute whose payload `body` writes (see beginAttribute/endAttribute). */
  attribute(type: number, flags: { nested?: boolean; netByteOrder?: boolean }, path: string, body: (w: Writer) => void): void {
    const start = this.beginAttribute(type, (flags.nested ? 2 : 0) | (flags.netByteOrder ? 1 : 0));
    body(this);
    this.endAttribute(start, path);
  }

  /** How many spans have been recorded (a mark for {@link spansBetween} and {@link truncate}). */
  get spanCount(): number {
    return this.spanHeads.length;
  }

  /** Every span recorded so far, offsets relative to the nlmsghdr. */
  get spans(): AttributeSpan[] {
    if (this.materialized?.length !== this.spanCount) this.materialized = this.spansBetween(0, this.spanCount);
    return this.materialized;
  }

  /** Spans `from` (inclusive) to `to` (exclusive), with `shift` added to their offsets. */
  spansBetween(from: number, to: number, shift = 0): AttributeSpan[] {
    const out: AttributeSpan[] = [];
    const base = this.spanBase + shift;
    for (let i = from; i < to; i++) {
      out.push({ start: base + this.spanOffsets[2 * i]!, end: base + this.spanOffsets[2 * i + 1]!, path: joinPath(this.spanHeads[i]!, this.spanTails[i]) });
    }
    return out;
  }

  /** Forget everything written after `length` bytes and `spanCount` spans (an encoder backing out). */
  truncate(length: number, spanCount: number): void {
    this.length = length;
    this.spanOffsets.length = 2 * spanCount;
    this.spanHeads.length = spanCount;
    this.spanTails.length = spanCount;
    this.materialized = undefined;
  }

  /**
   * The written bytes (a copy-free view; do not keep the writer around after this). Like a
   * pooled Buffer, it may share its ArrayBuffer with other writers' bytes: read it through its
   * own byteOffset and length, never through `.buffer` alone.
   */
  finish(): Uint8Array {
    return this.buf.subarray(0, this.length);
  }
}

/** `path.key` (`key` alone at the top), `path[index]`, or `path` when there is no tail. */
export function joinPath(path: string, tail?: string | number): string {
  if (tail === undefined) return path;
  if (typeof tail === 'number') return `${path}[${tail}]`;
  return path ? `${path}.${tail}` : tail;
}
