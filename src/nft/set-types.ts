/**
 * Set key and data types as nft declares them, and element values encoded for them. A type is
 * an nft datatype name (`ipv4_addr`, `inet_service` …), a list of names for a concatenation
 * (`['ipv4_addr', 'inet_service']`), `verdict` for a verdict map's data, or raw
 * `{ type, len }`. Each field of a concatenation occupies a multiple of 4 bytes, as in the
 * kernel's registers.
 */
import { parseIp, parseLinkAddress, parsePrefix } from '../netlink/addresses.js';
import { ValidationError } from '../netlink/errors.js';
import { encodeKernelText } from '../netlink/text.js';
import { NFT_DATATYPE_BITS, NFT_DATATYPE_LENGTH, NftByteorder, NftDataType, NftDatatype, type NftDatatypeName } from './constants.js';

export type SetKeyType = NftDatatypeName | readonly NftDatatypeName[] | { type: number; len: number };
export type SetDataType = SetKeyType | 'verdict';

/** A resolved type: what NFTA_SET_{KEY,DATA}_{TYPE,LEN} and NFTA_SET_DESC_CONCAT carry. */
export interface ResolvedType {
  type: number;
  len: number;
  /** Byte length of each field (concatenations only). */
  fields?: number[];
  /** Names of the fields, for encoding element values. */
  names?: NftDatatypeName[];
  byteorder?: number;
}

const REGISTER_ALIGN = 4;
const roundUp = (n: number): number => Math.ceil(n / REGISTER_ALIGN) * REGISTER_ALIGN;

/** Datatypes that are big-endian on the wire (nft records this in the set's userdata). */
const BIG_ENDIAN: ReadonlySet<NftDatatypeName> = new Set(['ipv4_addr', 'ipv6_addr', 'ether_addr', 'ether_type', 'inet_proto', 'inet_service']);

function lengthOf(name: NftDatatypeName, path: string): number {
  const len = NFT_DATATYPE_LENGTH[name];
  if (len === undefined) throw new ValidationError(path, `datatype ${name} has no fixed length: give { type, len }`, name);
  return len;
}

/** Resolve a key or data type. @throws ValidationError */
export function resolveType(spec: SetDataType, path: string): ResolvedType {
  if (spec === 'verdict') return { type: NftDataType.NFT_DATA_VERDICT, len: 0 };
  if (typeof spec === 'string') {
    if (!Object.hasOwn(NftDatatype, spec)) throw new ValidationError(path, `unknown datatype '${spec}'`, spec);
    return { type: NftDatatype[spec], len: lengthOf(spec, path), names: [spec], byteorder: BIG_ENDIAN.has(spec) ? NftByteorder.big : NftByteorder.host };
  }
  if (Array.isArray(spec)) {
    if (spec.length < 2) throw new ValidationError(path, 'a concatenation needs at least two datatypes', spec);
    let type = 0;
    const fields: number[] = [];
    for (const [i, name] of (spec as NftDatatypeName[]).entries()) {
      if (!Object.hasOwn(NftDatatype, name)) throw new ValidationError(`${path}[${i}]`, `unknown datatype '${name}'`, name);
      type = (type << NFT_DATATYPE_BITS) | NftDatatype[name];
      fields.push(lengthOf(name, `${path}[${i}]`));
    }
    return { type: type >>> 0, len: fields.reduce((n, f) => n + roundUp(f), 0), fields, names: [...spec] };
  }
  const raw = spec as { type: number; len: number };
  if (!Number.isInteger(raw.type) || !Number.isInteger(raw.len) || raw.len < 0) throw new ValidationError(path, 'must be a datatype name, a list of names, or { type, len }', spec);
  return { type: raw.type >>> 0, len: raw.len };
}

/** One field value: an address, a port or protocol number, a MAC, an interface name. */
export type FieldValue = string | number | Uint8Array;

/** Encode one value of datatype `name`, exactly `len` bytes. @throws ValidationError */
export function encodeField(name: NftDatatypeName | undefined, len: number, value: FieldValue, path: string): Uint8Array {
  if (value instanceof Uint8Array) {
    if (value.length !== len) throw new ValidationError(path, `must be ${len} bytes`, value);
    return value;
  }
  const out = new Uint8Array(len);
  const view = new DataView(out.buffer);
  switch (name) {
    case 'ipv4_addr':
    case 'ipv6_addr': {
      const ip = parseIp(String(value), path);
      if (ip.bytes.length !== len) throw new ValidationError(path, `must be an ${name === 'ipv4_addr' ? 'IPv4' : 'IPv6'} address`, value);
      return ip.bytes;
    }
    case 'ether_addr': {
      const mac = parseLinkAddress(String(value), path);
      if (mac.length !== len) throw new ValidationError(path, 'must be a 6-byte MAC address', value);
      return mac;
    }
    case 'ifname': {
      const text = encodeKernelText(String(value));
      if (text.length >= len || text.includes(0)) throw new ValidationError(path, `must be an interface name of at most ${len - 1} bytes`, value);
      out.set(text);
      return out;
    }
    default: {
      if (typeof value !== 'number' || !Number.isInteger(value) || value < 0 || value >= 2 ** (8 * Math.min(len, REGISTER_ALIGN))) {
        throw new ValidationError(path, `must be an integer that fits ${len} bytes (or raw bytes)`, value);
      }
      const bigEndian = name === undefined || BIG_ENDIAN.has(name);
      if (len === 1) view.setUint8(0, value);
      else if (len === 2) view.setUint16(0, value, !bigEndian);
      else if (len === REGISTER_ALIGN) view.setUint32(0, value, !bigEndian);
      else throw new ValidationError(path, `a ${len}-byte value must be given as bytes`, value);
      return out;
    }
  }
}

/** Encode a key or data value (a concatenation takes an array, one value per field). */
export function encodeValue(type: ResolvedType, value: FieldValue | readonly FieldValue[], path: string): Uint8Array {
  if (value instanceof Uint8Array) return encodeField(undefined, type.len, value, path);
  if (!type.fields) {
    if (Array.isArray(value)) throw new ValidationError(path, 'a single value is expected (the type is not a concatenation)', value);
    return encodeField(type.names?.[0], type.len, value as FieldValue, path);
  }
  if (!Array.isArray(value) || value.length !== type.fields.length) throw new ValidationError(path, `must be a list of ${type.fields.length} values (one per field)`, value);
  const out = new Uint8Array(type.len);
  let at = 0;
  type.fields.forEach((len, i) => {
    out.set(encodeField(type.names?.[i], len, value[i] as FieldValue, `${path}[${i}]`), at);
    at += roundUp(len);
  });
  return out;
}

/** One past the last value of a range end, or undefined when it would wrap (range ends at the top). */
export function successor(bytes: Uint8Array): Uint8Array | undefined {
  const out = bytes.slice();
  for (let i = out.length - 1; i >= 0; i--) {
    if (out[i] !== 0xff) {
      out[i]! += 1;
      return out;
    }
    out[i] = 0;
  }
  return undefined;
}

/** First and last address of a prefix such as `10.0.0.0/8`, as bytes. */
export function prefixRange(text: string, path: string): [Uint8Array, Uint8Array] {
  const p = parsePrefix(text, path);
  const first = p.bytes.slice();
  const last = p.bytes.slice();
  for (let bit = p.prefixLength; bit < first.length * 8; bit++) {
    const byte = bit >> 3;
    const mask = 0x80 >> (bit & 7);
    first[byte]! &= ~mask;
    last[byte]! |= mask;
  }
  return [first, last];
}
