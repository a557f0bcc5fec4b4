/** Hex helpers for golden-byte tests. Diffs print 4-byte rows so a wrong byte is easy to find. */
export function hex(bytes: Uint8Array): string {
  return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('hex');
}

export function fromHex(text: string): Uint8Array {
  const clean = text.replace(/\s+/g, '');
  return new Uint8Array(Buffer.from(clean, 'hex'));
}

/** `0000: 2c000000` rows, for readable expect(...).toBe diffs. */
export function rows(bytes: Uint8Array): string {
  const out: string[] = [];
  for (let i = 0; i < bytes.length; i += 4) {
    out.push(`${i.toString().padStart(4, '0')}: ${hex(bytes.subarray(i, i + 4))}`);
  }
  return out.join('\n');
}
