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

/**
 * Visit each attribute of `bytes` without copying: `payload` is a view into `bytes` (copy it
 * if you keep it), `flags` the raw NLA_F_* bits, `payloadAt` the payload's offset in the
 * message. Same length checks as decodeRawAttributes.
 */
export function walkAttributes(
  bytes: Uint8Array,
  at: number,
  path: string,
  visit: (type: number, flags: number, payload: Uint8Array, payloadAt: number) => void,
): void {
  const len = bytes.length;
  let pos = 0;
  while (pos < len) {
    if (len - pos < NLA_HDRLEN) throw new DecodeError(path, at + pos, `${len - pos} trailing bytes, too short for an attribute header`);
    const alen = bytes[pos]! | (bytes[pos + 1]! << 8);
    const rawType = bytes[pos + 2]! | (bytes[pos + 3]! << 8);
    if (alen < NLA_HDRLEN) throw new DecodeError(path, at + pos, `attribute length ${alen} is shorter than its header`);
    if (pos + alen > len) throw new DecodeError(path, at + pos, `attribute type ${rawType & NLA_TYPE_MASK} claims ${alen} bytes, ${len - pos} left`);
    visit(rawType & NLA_TYPE_MASK, rawType & (NLA_F_NESTED | NLA_F_NET_BYTEORDER), bytes.subarray(pos + NLA_HDRLEN, pos + alen), at + pos + NLA_HDRLEN);
    pos += align4(alen);
  }
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
