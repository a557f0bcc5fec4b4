/**
 * Short byte values read in place (fields.ts copyOut) are views into a shared pool rather
 * than arrays of their own. Each must still be its own: the bytes it was read from, unchanged
 * by later reads or by writes into any other value, and aligned as a fresh array would be.
 */
import { describe, expect, it } from 'vitest';
import { inPlaceReaderOf } from '../../../src/netlink/codec-hints.js';
import { binary } from '../../../src/netlink/fields.js';

const read = inPlaceReaderOf(binary)!;

describe('short byte values read in place', () => {
  it('are each their own copy, across many pools', () => {
    // 5,000 values of 1–16 bytes (about 60 KiB with alignment: several 16 KiB pools).
    const source = Uint8Array.from({ length: 4096 }, (_, i) => (i * 31 + 7) & 0xff);
    const values: Array<{ value: Uint8Array; off: number; len: number }> = [];
    for (let i = 0; i < 5000; i++) {
      const len = 1 + (i % 16);
      const off = (i * 13) % (source.length - len);
      values.push({ value: read(source, off, len) as Uint8Array, off, len });
    }
    for (const { value, off, len } of values) {
      expect(value).toBeInstanceOf(Uint8Array);
      expect(Buffer.isBuffer(value)).toBe(false);
      expect([...value]).toEqual([...source.subarray(off, off + len)]);
      // Aligned for a DataView or a wider typed array over it.
      expect(value.byteOffset % 8).toBe(0);
    }
    // The source is not shared: writing it changes no value.
    const before = values.map((v) => [...v.value]);
    source.fill(0);
    expect(values.map((v) => [...v.value])).toEqual(before);
    // Nor do values overlap: a pattern of its own in each survives every other write.
    values.forEach((v, i) => v.value.fill(i & 0xff));
    values.forEach((v, i) => expect(v.value.every((b) => b === (i & 0xff))).toBe(true));
  });
});
