/**
 * Reading register values as numbers. nf_tables registers hold header fields in network byte
 * order and metadata (marks, interface indexes, conntrack state …) in the host's byte order;
 * the renderer needs both as numbers to print and compare them.
 */

/** The byte order of a value in a register. */
export type ByteOrder = 'big' | 'host';

/** Whether this machine (and so its kernel's registers) is little-endian. */
export const HOST_LITTLE_ENDIAN = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1;

/** The unsigned number `bytes` hold in `order`. */
export function toBigInt(bytes: Uint8Array, order: ByteOrder): bigint {
  let n = 0n;
  const littleEndian = order === 'host' && HOST_LITTLE_ENDIAN;
  for (let i = 0; i < bytes.length; i++) {
    const b = bytes[littleEndian ? bytes.length - 1 - i : i]!;
    n = (n << 8n) | BigInt(b);
  }
  return n;
}

/** The `length` bytes holding `n` in `order`. */
export function fromBigInt(n: bigint, length: number, order: ByteOrder): Uint8Array {
  const out = new Uint8Array(length);
  let rest = n;
  const littleEndian = order === 'host' && HOST_LITTLE_ENDIAN;
  for (let i = length - 1; i >= 0; i--) {
    out[littleEndian ? length - 1 - i : i] = Number(rest & 0xffn);
    rest >>= 8n;
  }
  return out;
}

/** Leading one bits of a big-endian mask if they are contiguous (a prefix mask), else undefined. */
export function prefixLength(mask: Uint8Array): number | undefined {
  let bits = 0;
  let ended = false;
  for (const byte of mask) {
    for (let bit = 7; bit >= 0; bit--) {
      const one = (byte >> bit) & 1;
      if (one && ended) return undefined;
      if (one) bits++;
      else ended = true;
    }
  }
  return bits;
}

/** Bytes compare as big-endian numbers (for sorting keys). */
export function compareBytes(a: Uint8Array, b: Uint8Array): number {
  for (let i = 0; i < Math.min(a.length, b.length); i++) if (a[i] !== b[i]) return a[i]! - b[i]!;
  return a.length - b.length;
}
