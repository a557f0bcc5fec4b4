import { describe, expect, it } from 'vitest';
import { readText } from '../../src/netlink/codec-hints.js';
import { decodeKernelText, encodeKernelText } from '../../src/netlink/text.js';

describe('kernel names decode losslessly', () => {
  // Found by the link-sets property test: TextDecoder drops a leading byte-order mark unless
  // told not to, so a name starting with U+FEFF lost its first three bytes.
  it('keeps a leading U+FEFF (bytes EF BB BF), alone or before more text', () => {
    for (const name of ['\ufeff', '\ufeffeth0', '\ufeff\ufeff']) {
      const bytes = encodeKernelText(name);
      expect(decodeKernelText(bytes)).toBe(name);
      // The in-place reader of the compiled decoders, with and without a NUL terminator.
      const padded = new Uint8Array([7, ...bytes, 0, 9]);
      expect(readText(padded, 1, padded.length - 1, true)).toBe(name);
      expect(readText(padded, 1, 1 + bytes.length, false)).toBe(name);
    }
  });

  it('keeps a U+FEFF after an invalid byte (the escaping path)', () => {
    const bytes = Uint8Array.of(0xff, 0xef, 0xbb, 0xbf, 0x61);
    const text = decodeKernelText(bytes);
    expect(text).toBe('\udcff\ufeffa');
    expect(encodeKernelText(text)).toEqual(bytes);
  });
});
