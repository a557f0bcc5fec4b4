import { NLA_F_NESTED, NLA_F_NET_BYTEORDER, NLA_HDRLEN, NLA_TYPE_MASK } from './constants.js';
import { DecodeError } from './errors.js';
import { align4, Writer } from './writer.js';

/**
 * The lossless attribute layer: one TLV exactly as it was on the wire. Decoding and
 * re-encoding a list of these reproduces the bytes bit for bit (padding is always zero).
 */
export interface RawAttribute {
  /** Attribute type without the flag bits. */
  type: number;
  /** NLA_F_NESTED was set. */
  nested: boolean;
  /** NLA_F_NET_BYTEORDER was set. */
  netByteOrder: boolean;
  /** The payload, without header or padding (an owned copy). */
  value: Uint8Array;
}

/**
 * Split `bytes` into attributes. `at` is the offset of `bytes[0]` in the message, used in
 * errors. Throws DecodeError on a length that runs past the end or is shorter than a header.
 */
export function decodeRawAttributes(bytes: Uint8Array, at = 0, path = ''): RawAttribute[] {
  const out: RawAttribute[] = [];
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  let pos = 0;
  while (pos < bytes.length) {
    if (bytes.length - pos < NLA_HDRLEN) {
      throw new DecodeError(path, at + pos, `${bytes.length - pos} trailing bytes, too short for an attribute header`);
    }
    const len = view.getUint16(pos, true);
    const rawType = view.getUint16(pos + 2, true);
    if (len < NLA_HDRLEN) throw new DecodeError(path, at + pos, `attribute length ${len} is shorter than its header`);
    if (pos + len > bytes.length) {
      throw new DecodeError(path, at + pos, `attribute type ${rawType & NLA_TYPE_MASK} claims ${len} bytes, ${bytes.length - pos} left`);
    }
    out.push({
      type: rawType & NLA_TYPE_MASK,
      nested: (rawType & NLA_F_NESTED) !== 0,
      netByteOrder: (rawType & NLA_F_NET_BYTEORDER) !== 0,
      value: bytes.slice(pos + NLA_HDRLEN, pos + len),
    });
    pos += align4(len);
  }
  return out;
}

/** Write attributes exactly as given. */
export function writeRawAttributes(w: Writer, attrs: readonly RawAttribute[], path = ''): void {
  for (const a of attrs) {
    w.attribute(a.type, { nested: a.nested, netByteOrder: a.netByteOrder }, path ? `${path}.${a.type}` : String(a.type), (inner) => inner.bytes(a.value));
  }
}

export function encodeRawAttributes(attrs: readonly RawAttribute[]): Uint8Array {
  const w = new Writer();
  writeRawAttributes(w, attrs);
  return w.finish().slice();
}
