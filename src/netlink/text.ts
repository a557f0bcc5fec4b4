/**
 * Lossless text for names that come from the kernel. Interface names are bytes, not text: the
 * kernel accepts any byte but '/', ':', whitespace and NUL. Valid UTF-8 decodes to the usual
 * string; each byte of an invalid sequence becomes a lone surrogate U+DC80+byte (the
 * "surrogateescape" scheme), which encodes back to the same byte. So decode → encode is exact,
 * and such names can still be shown escaped and compared.
 */

// ignoreBOM: a leading U+FEFF is part of a name (the decoder would otherwise drop its 3 bytes).
const utf8 = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });
const utf8Encoder = new TextEncoder();

export function decodeKernelText(bytes: Uint8Array): string {
  try {
    return utf8.decode(bytes);
  } catch {
    return decodeEscaped(bytes);
  }
}

function decodeEscaped(bytes: Uint8Array): string {
  let out = '';
  let i = 0;
  while (i < bytes.length) {
    const len = utf8SequenceLength(bytes, i);
    if (len > 0) {
      out += utf8.decode(bytes.subarray(i, i + len));
      i += len;
    } else {
      out += String.fromCharCode(0xdc00 + bytes[i]!);
      i += 1;
    }
  }
  return out;
}

/** Length of a valid UTF-8 sequence starting at `i`, or 0 if the byte there starts none. */
function utf8SequenceLength(b: Uint8Array, i: number): number {
  const c = b[i]!;
  if (c < 0x80) return 1;
  const len = c >= 0xc2 && c <= 0xdf ? 2 : c >= 0xe0 && c <= 0xef ? 3 : c >= 0xf0 && c <= 0xf4 ? 4 : 0;
  if (len === 0 || i + len > b.length) return 0;
  try {
    utf8.decode(b.subarray(i, i + len));
    return len;
  } catch {
    return 0;
  }
}

/** Inverse of {@link decodeKernelText}. */
export function encodeKernelText(text: string): Uint8Array {
  if (!/[\udc80-\udcff]/.test(text)) return utf8Encoder.encode(text);
  const parts: number[] = [];
  for (const ch of text) {
    const code = ch.charCodeAt(0);
    if (ch.length === 1 && code >= 0xdc80 && code <= 0xdcff) parts.push(code - 0xdc00);
    else for (const byte of utf8Encoder.encode(ch)) parts.push(byte);
  }
  return Uint8Array.from(parts);
}

/**
 * `encodeKernelText(text).length`, without making the bytes: for length checks on every name
 * of every command (a 10,000-rule batch checks 20,000). UTF-8 lengths, a lone surrogate
 * U+DC80–U+DCFF (an escaped raw byte) counting 1, any other lone surrogate 3 (U+FFFD).
 */
export function kernelTextByteLength(text: string): number {
  let bytes = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c < 0x80) bytes += 1;
    else if (c < 0x800) bytes += 2;
    else if (c >= 0xd800 && c <= 0xdbff && i + 1 < text.length && (text.charCodeAt(i + 1) & 0xfc00) === 0xdc00) {
      bytes += 4;
      i++;
    } else if (c >= 0xdc80 && c <= 0xdcff) bytes += 1;
    else bytes += 3;
  }
  return bytes;
}

/** Make a kernel-supplied name safe to print: control bytes, escapes and raw bytes as \xNN. */
export function escapeForDisplay(text: string): string {
  let out = '';
  for (const ch of text) {
    const code = ch.codePointAt(0)!;
    if (code >= 0xdc80 && code <= 0xdcff) out += `\\x${(code - 0xdc00).toString(16).padStart(2, '0')}`;
    else if (code < 0x20 || code === 0x7f || (code >= 0x80 && code < 0xa0)) out += `\\x${code.toString(16).padStart(2, '0')}`;
    else if (ch === '\\') out += '\\\\';
    else out += ch;
  }
  return out;
}
