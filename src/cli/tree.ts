/**
 * Decoded netlink values as an indented tree, for people: `netns-ts decode` and `--trace`.
 * Nested attribute sets become indented blocks, small records of scalars stay on one line,
 * bytes are hex, 64-bit values print as integers, and every string is shown with control
 * characters escaped (names come from the kernel and may hold any byte).
 */
import { escapeForDisplay } from '../netlink/text.js';

const INDENT = '  ';
/** A record of scalars fits on one line up to this width. */
const INLINE_WIDTH = 72;

function isScalar(v: unknown): boolean {
  return v === null || v instanceof Uint8Array || (typeof v !== 'object' && typeof v !== 'function');
}

/** One scalar as text: strings quoted and escaped, bytes as hex. */
export function scalarText(v: unknown): string {
  if (v === null || v === undefined) return 'null';
  if (typeof v === 'string') return `"${escapeForDisplay(v).replace(/"/g, '\\"')}"`;
  if (v instanceof Uint8Array) return v.length === 0 ? '<0 bytes>' : `<${Buffer.from(v.buffer, v.byteOffset, v.byteLength).toString('hex')}>`;
  return String(v);
}

function entries(v: object): Array<[string, unknown]> {
  return Object.entries(v).filter(([, x]) => x !== undefined);
}

/** `{ a: 1, b: "x" }` or `[1, 2]` when the value is flat and short, else undefined. */
function inline(v: unknown): string | undefined {
  if (isScalar(v)) return scalarText(v);
  if (Array.isArray(v)) {
    if (!v.every(isScalar)) return undefined;
    const text = `[${v.map(scalarText).join(', ')}]`;
    return text.length <= INLINE_WIDTH ? text : undefined;
  }
  const es = entries(v as object);
  if (es.length === 0) return '{}';
  if (!es.every(([, x]) => isScalar(x))) return undefined;
  const text = `{ ${es.map(([k, x]) => `${k}: ${scalarText(x)}`).join(', ')} }`;
  return text.length <= INLINE_WIDTH ? text : undefined;
}

/** The lines of `value` as a tree, each starting with `indent`. */
export function treeLines(value: unknown, indent = ''): string[] {
  const one = inline(value);
  if (one !== undefined) return [`${indent}${one}`];
  const out: string[] = [];
  const items: Array<[string, unknown]> = Array.isArray(value) ? value.map((x, i) => [`[${i}]`, x]) : entries(value as object);
  for (const [key, x] of items) {
    const flat = inline(x);
    if (flat !== undefined) out.push(`${indent}${key}: ${flat}`);
    else out.push(`${indent}${key}:`, ...treeLines(x, indent + INDENT));
  }
  return out;
}

/** Hex rows of 16 bytes with offsets and a printable-ASCII column. */
export function hexRows(bytes: Uint8Array, indent = ''): string[] {
  const ROW = 16;
  const PRINTABLE_MIN = 0x20;
  const PRINTABLE_MAX = 0x7e;
  const out: string[] = [];
  for (let at = 0; at < bytes.length; at += ROW) {
    const row = bytes.subarray(at, at + ROW);
    const hex = Array.from(row, (b) => b.toString(16).padStart(2, '0'));
    const left = hex.slice(0, ROW / 2).join(' ');
    const right = hex.slice(ROW / 2).join(' ');
    const ascii = Array.from(row, (b) => (b >= PRINTABLE_MIN && b <= PRINTABLE_MAX ? String.fromCharCode(b) : '.')).join('');
    out.push(`${indent}${at.toString(16).padStart(4, '0')}  ${left.padEnd(23)}  ${right.padEnd(23)}  |${ascii}|`);
  }
  return out;
}
