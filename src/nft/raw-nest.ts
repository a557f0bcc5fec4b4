/**
 * Field codecs for nests this version does not interpret: the attributes are kept exactly as
 * they were on the wire (type, flag bits, bytes) and written back the same way.
 */
import { NLA_ALIGNTO, NLA_HDRLEN, NLA_TYPE_MASK } from '../netlink/constants.js';
import type { FieldCodec } from '../netlink/field.js';
import { decodeRawAttributes, writeRawAttributes, type RawAttribute } from '../netlink/raw-attributes.js';

/** Offset of nla_type within the attribute header (after the u16 nla_len). */
const NLA_TYPE_OFFSET = 2;

/** A nested attribute whose content is kept as raw attributes. */
export const rawNest: FieldCodec<RawAttribute[]> = {
  kind: 'nested(raw)',
  nested: true,
  encode(w, value, path) { writeRawAttributes(w, value, path); },
  decode(bytes, at, path) { return decodeRawAttributes(bytes, at, path); },
  validate(value) { return Array.isArray(value) ? undefined : 'must be an array of raw attributes'; },
};

/**
 * The value of the top-level attribute `type` in an attribute list, read without decoding the
 * rest (for nests whose layout depends on a sibling, such as an object's data and its type).
 */
export function peekAttribute(bytes: Uint8Array, type: number): Uint8Array | undefined {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  let pos = 0;
  while (pos + NLA_HDRLEN <= bytes.length) {
    const len = view.getUint16(pos, true);
    if (len < NLA_HDRLEN || pos + len > bytes.length) return undefined;
    if ((view.getUint16(pos + NLA_TYPE_OFFSET, true) & NLA_TYPE_MASK) === type) return bytes.subarray(pos + NLA_HDRLEN, pos + len);
    pos += (len + NLA_ALIGNTO - 1) & ~(NLA_ALIGNTO - 1);
  }
  return undefined;
}
