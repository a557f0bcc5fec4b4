import { NLA_ALIGNTO, NLA_F_NESTED, NLA_F_NET_BYTEORDER, NLA_HDRLEN } from './constants.js';

/** Where an attribute was written, so a kernel error offset can be turned back into a name. */
export interface AttributeSpan {
  /** Offset of the attribute header from the start of the message (nlmsghdr included). */
  start: number;
  end: number;
  /** Dotted path, e.g. `linkinfo.data.peer.ifname`. */
  path: string;
}

/** Round `n` up to the netlink 4-byte alignment. */
export function align4(n: number): number {
  return (n + NLA_ALIGNTO - 1) & ~(NLA_ALIGNTO - 1);
}

/**
 * A growable little buffer for encoders. All multi-byte writers take the byte order from the
 * caller (the field codec), never from a mode. Attribute starts are recorded as spans.
 */
export class Writer {
  private buf: Uint8Array;
  private view: DataView;
  length = 0;
  /** Added to every recorded span, so spans are relative to the nlmsghdr. */
  readonly spanBase: number;
  readonly spans: AttributeSpan[] = [];

  constructor(initialSize = 256, spanBase = 0) {
    this.buf = new Uint8Array(initialSize);
    this.view = new DataView(this.buf.buffer);
    this.spanBase = spanBase;
  }

  private reserve(n: number): number {
    const at = this.length;
    const need = at + n;
    if (need > this.buf.length) {
      let size = Math.max(16, this.buf.length * 2);
      while (size < need) size *= 2;
      const next = new Uint8Array(size);
      next.set(this.buf.subarray(0, at));
      this.buf = next;
      this.view = new DataView(next.buffer);
    }
    this.length = need;
    return at;
  }

  // Each writer reserves first, then reads `this.view`: reserve() may replace the buffer.
  u8(v: number): void { const at = this.reserve(1); this.view.setUint8(at, v); }
  u16(v: number, bigEndian = false): void { const at = this.reserve(2); this.view.setUint16(at, v, !bigEndian); }
  s16(v: number, bigEndian = false): void { const at = this.reserve(2); this.view.setInt16(at, v, !bigEndian); }
  u32(v: number, bigEndian = false): void { const at = this.reserve(4); this.view.setUint32(at, v, !bigEndian); }
  s32(v: number, bigEndian = false): void { const at = this.reserve(4); this.view.setInt32(at, v, !bigEndian); }
  u64(v: bigint, bigEndian = false): void { const at = this.reserve(8); this.view.setBigUint64(at, v, !bigEndian); }
  s64(v: bigint, bigEndian = false): void { const at = this.reserve(8); this.view.setBigInt64(at, v, !bigEndian); }
  bytes(b: Uint8Array): void {
    if (!(b instanceof Uint8Array)) throw new TypeError(`expected bytes (a Uint8Array), got ${typeof b}`);
    const at = this.reserve(b.length);
    this.buf.set(b, at);
  }
  zeros(n: number): void { const at = this.reserve(n); this.buf.fill(0, at, this.length); }
  /** Pad with zero bytes to the 4-byte boundary. */
  pad(): void { this.zeros(align4(this.length) - this.length); }

  /** Patch a u32 written earlier (used for lengths). */
  patchU32(at: number, v: number, bigEndian = false): void { this.view.setUint32(at, v, !bigEndian); }
  patchU16(at: number, v: number, bigEndian = false): void { this.view.setUint16(at, v, !bigEndian); }

  /**
   * Start an attribute of `type` with packed flag bits (2 = NLA_F_NESTED, 1 =
   * NLA_F_NET_BYTEORDER); write its payload, then call {@link endAttribute} with the returned
   * start. (A begin/end pair instead of a callback keeps the encode path free of closures.)
   */
  beginAttribute(type: number, packedFlags: number): number {
    const start = this.reserve(NLA_HDRLEN);
    let t = type;
    if (packedFlags & 2) t |= NLA_F_NESTED;
    if (packedFlags & 1) t |= NLA_F_NET_BYTEORDER;
    this.view.setUint16(start + 2, t, true);
    return start;
  }

  /** Finish the attribute begun at `start`: length (without padding, as the kernel expects), span, padding. */
  endAttribute(start: number, path: string): void {
    const len = this.length - start;
    if (len > 0xffff) throw new RangeError(`${path}: attribute of ${len} bytes exceeds the 65535-byte netlink limit`);
    this.view.setUint16(start, len, true);
    this.spans.push({ start: this.spanBase + start, end: this.spanBase + this.length, path });
    this.pad();
  }

  /** Write an attribute whose payload `body` writes (see beginAttribute/endAttribute). */
  attribute(type: number, flags: { nested?: boolean; netByteOrder?: boolean }, path: string, body: (w: Writer) => void): void {
    const start = this.beginAttribute(type, (flags.nested ? 2 : 0) | (flags.netByteOrder ? 1 : 0));
    body(this);
    this.endAttribute(start, path);
  }

  /** The written bytes (a copy-free view; do not keep the writer around after this). */
  finish(): Uint8Array {
    return this.buf.subarray(0, this.length);
  }
}
