/**
 * Userdata: the opaque bytes the kernel stores with tables, chains, rules, sets, elements and
 * objects for userspace. libnftnl and nft fill it with TLVs of one byte type, one byte length
 * and the value, unaligned (`nftnl_udata`). A rule's comment is TLV 0 holding the text with
 * its terminating NUL, exactly as `nft add rule … comment "text"` writes it.
 *
 * Decoding keeps everything: strings only when they are NUL-terminated text, integers only
 * when they are exactly four bytes, anything else as bytes, and bytes that do not form a TLV
 * (a truncated tail) as a `raw` entry — so decode → encode is exact.
 */
import { ValidationError } from '../netlink/errors.js';
import type { FieldCodec } from '../netlink/field.js';
import { decodeKernelText, encodeKernelText } from '../netlink/text.js';
import type { Writer } from '../netlink/writer.js';
import { NftnlUdataComment, NftnlUdataRule, NftnlUdataSet, NftnlUdataSetElem } from './constants.js';

/** One TLV. `type` is the name from the object's table, or the number for unknown types. */
export type UdataEntry<N extends string = string> =
  | { type: N | number; value: string | number | Uint8Array }
  /** Trailing bytes that do not form a whole TLV. */
  | { raw: Uint8Array };

/** How a known TLV's value is read: NUL-terminated text, a host-order u32, or bytes. */
export type UdataKind = 'string' | 'u32' | 'bytes';

const UDATA_MAX_VALUE = 0xff;
const U32_BYTES = 4;
const U32_MAX = 0xffffffff;
const hostLittleEndian = new Uint8Array(new Uint32Array([1]).buffer)[0] === 1;

function valueBytes(kind: UdataKind | undefined, value: string | number | Uint8Array, path: string): Uint8Array {
  if (value instanceof Uint8Array) return value;
  if (typeof value === 'string') {
    if (value.includes('\0')) throw new ValidationError(path, 'must not contain NUL', value);
    const text = encodeKernelText(value);
    const out = new Uint8Array(text.length + 1);
    out.set(text);
    return out;
  }
  if (kind !== 'u32' && kind !== undefined) throw new ValidationError(path, 'a number is only allowed for u32 entries', value);
  if (!Number.isInteger(value) || value < 0 || value > U32_MAX) throw new ValidationError(path, 'must be a u32', value);
  const out = new Uint8Array(U32_BYTES);
  new DataView(out.buffer).setUint32(0, value, hostLittleEndian);
  return out;
}

function decodeValue(kind: UdataKind | undefined, bytes: Uint8Array): string | number | Uint8Array {
  if (kind === 'string' && bytes.length > 0 && bytes.indexOf(0) === bytes.length - 1) {
    return decodeKernelText(bytes.subarray(0, bytes.length - 1));
  }
  if (kind === 'u32' && bytes.length === U32_BYTES) return new DataView(bytes.buffer, bytes.byteOffset, U32_BYTES).getUint32(0, hostLittleEndian);
  return bytes.slice();
}

/** A userdata codec for one object kind, from its table of TLV names and value kinds. */
export function udataCodec<const N extends string>(name: string, types: Record<N, number>, kinds: Partial<Record<N, UdataKind>>): FieldCodec<UdataEntry<N>[]> {
  const byNumber = new Map<number, N>();
  for (const [key, n] of Object.entries(types) as [N, number][]) byNumber.set(n, key);
  const kindOf = (type: N | number): UdataKind | undefined => kinds[typeof type === 'number' ? (byNumber.get(type) as N) : type];
  return {
    kind: `udata(${name})`,
    encode(w: Writer, entries, path) {
      entries.forEach((entry, i) => {
        if ('raw' in entry) return w.bytes(entry.raw);
        const type = typeof entry.type === 'number' ? entry.type : types[entry.type];
        const bytes = valueBytes(kindOf(entry.type), entry.value, `${path}[${i}]`);
        w.u8(type);
        w.u8(bytes.length);
        w.bytes(bytes);
      });
    },
    decode(bytes) {
      const out: UdataEntry<N>[] = [];
      let pos = 0;
      while (pos < bytes.length) {
        const len = bytes[pos + 1];
        if (len === undefined || pos + 2 + len > bytes.length) {
          out.push({ raw: bytes.slice(pos) });
          break;
        }
        const n = bytes[pos]!;
        const type = byNumber.get(n) ?? n;
        out.push({ type, value: decodeValue(kindOf(type), bytes.subarray(pos + 2, pos + 2 + len)) });
        pos += 2 + len;
      }
      return out;
    },
    validate(entries) {
      if (!Array.isArray(entries)) return 'must be an array of userdata entries';
      for (const [i, e] of entries.entries()) {
        if ('raw' in e) {
          if (!(e.raw instanceof Uint8Array)) return `[${i}].raw must be bytes`;
          continue;
        }
        const type = typeof e.type === 'number' ? e.type : types[e.type];
        if (type === undefined || !Number.isInteger(type) || type < 0 || type > UDATA_MAX_VALUE) return `[${i}].type ${String(e.type)} is not a udata type of ${name}`;
        const size = e.value instanceof Uint8Array ? e.value.length : typeof e.value === 'string' ? encodeKernelText(e.value).length + 1 : U32_BYTES;
        if (size > UDATA_MAX_VALUE) return `[${i}] is ${size} bytes, the TLV limit is ${UDATA_MAX_VALUE}`;
      }
      return undefined;
    },
  };
}

export const ruleUdata = udataCodec('rule', NftnlUdataRule, { comment: 'string', 'ebtables-policy': 'u32' });
export const commentUdata = udataCodec('comment', NftnlUdataComment, { comment: 'string' });
export const setUdata = udataCodec('set', NftnlUdataSet, {
  'key-byteorder': 'u32',
  'data-byteorder': 'u32',
  'merge-elements': 'u32',
  'data-interval': 'u32',
  comment: 'string',
});
export const setElemUdata = udataCodec('set element', NftnlUdataSetElem, { comment: 'string', flags: 'u32' });

/** The comment TLV of a decoded userdata list, if any. */
export function commentOf(entries: readonly UdataEntry[] | undefined): string | undefined {
  for (const e of entries ?? []) if (!('raw' in e) && e.type === 'comment' && typeof e.value === 'string') return e.value;
  return undefined;
}
