/**
 * Printing set contents the way `nft list` shows anonymous sets and maps inline:
 * `{ 10.0.0.1, 10.0.0.2 }`, `{ 10.0.0.0/8, 172.16.0.1-172.16.0.9 }`, `{ 80 : 10.0.0.2 }`,
 * `{ 22 : accept, 24 : jump other }`. Interval sets arrive as start elements and
 * NFT_SET_ELEM_INTERVAL_END elements (end = last + 1), or with NFTA_SET_ELEM_KEY_END.
 */
import type { Data } from '../expressions/data.js';
import { compareBytes, fromBigInt, toBigInt, type ByteOrder } from './bytes.js';
import { formatValue, type Datatype, type FormatContext } from './datatypes.js';
import type { KeyComponent } from './operands.js';

/** One element of a set, as the renderer needs it. */
export interface RenderSetElement {
  key: Uint8Array;
  /** NFTA_SET_ELEM_KEY_END: the inclusive end of an interval (concatenated intervals). */
  keyEnd?: Uint8Array;
  /** NFT_SET_ELEM_INTERVAL_END: this element ends the interval the previous start opened. */
  intervalEnd?: boolean;
  /** Map data: a value, or a verdict for verdict maps. */
  data?: Data;
  /** NFTA_SET_ELEM_OBJREF: the object an object map maps the key to. */
  objref?: string;
}

/** The contents of a set a rule refers to. */
export interface RenderSet {
  name: string;
  /** NFT_SET_INTERVAL */
  interval?: boolean;
  /** For object maps (NFTA_SET_OBJ_TYPE): the kind of object, e.g. `counter`. */
  objectType?: string;
  elements: RenderSetElement[];
}

/**
 * How map data is printed: a verdict, a value of a type, or a concatenation of values (each
 * part padded to 4 bytes, as in `dnat ip to tcp dport map { 80 : 10.0.0.2 . 8080 }`).
 */
export type DataFormat =
  | { kind: 'verdict' }
  | { kind: 'value'; type: Datatype; order: ByteOrder }
  | { kind: 'concat'; parts: ReadonlyArray<{ type: Datatype; order: ByteOrder; size: number }> };

const REGISTER_WORD = 4;
const padded = (n: number): number => Math.ceil(n / REGISTER_WORD) * REGISTER_WORD;

/** Split a key into its components (each padded to 4 bytes in a concatenation). */
function components(key: Uint8Array, layout: readonly KeyComponent[]): Uint8Array[] {
  if (layout.length === 1) return [key.subarray(0, layout[0]!.size)];
  const out: Uint8Array[] = [];
  let at = 0;
  for (const c of layout) {
    out.push(key.subarray(at, at + c.size));
    at += padded(c.size);
  }
  return out;
}

function formatKey(key: Uint8Array, layout: readonly KeyComponent[], context: FormatContext): string {
  return components(key, layout).map((part, i) => formatValue(layout[i]!.type, part, layout[i]!.order, context)).join(' . ');
}

/** `a/len` when [a, b] is exactly a prefix of an address, else undefined. */
function asPrefix(a: bigint, b: bigint, bits: number): number | undefined {
  for (let len = 0; len <= bits; len++) {
    const hostBits = BigInt(bits - len);
    const size = 1n << hostBits;
    if (a % size === 0n && b === a + size - 1n) return len;
  }
  return undefined;
}

/** Names (interface names, strings) are ordered byte by byte in interval sets, whatever their byte order. */
function intervalOrder(c: KeyComponent): ByteOrder {
  return c.type === 'ifname' || c.type === 'string' ? 'big' : c.order;
}

/** `"eth*"`: a range from P followed by zero bytes to P followed by 0xff bytes is the wildcard P*. */
function wildcardName(start: Uint8Array, last: Uint8Array): Uint8Array | undefined {
  let k = 0;
  while (k < start.length && start[k] === last[k]) k++;
  if (k === start.length) return undefined;
  for (let i = k; i < start.length; i++) if (start[i] !== 0 || last[i] !== 0xff) return undefined;
  return start.subarray(0, k);
}

function formatRange(start: Uint8Array, last: Uint8Array, layout: readonly KeyComponent[], context: FormatContext): string {
  const c = layout[0]!;
  if (layout.length === 1) {
    const a = toBigInt(start.subarray(0, c.size), intervalOrder(c));
    const b = toBigInt(last.subarray(0, c.size), intervalOrder(c));
    if (a === b) return formatValue(c.type, start.subarray(0, c.size), c.order, context);
    if (c.type === 'ifname' || c.type === 'string') {
      const prefix = wildcardName(start.subarray(0, c.size), last.subarray(0, c.size));
      if (prefix) return formatValue(c.type, prefix, c.order, context);
    }
    if (c.type === 'ipv4_addr' || c.type === 'ipv6_addr') {
      const prefix = asPrefix(a, b, c.size * 8);
      if (prefix !== undefined) return `${formatValue(c.type, start.subarray(0, c.size), c.order, context)}/${prefix}`;
    }
    return `${formatValue(c.type, start.subarray(0, c.size), c.order, context)}-${formatValue(c.type, last.subarray(0, c.size), c.order, context)}`;
  }
  const lo = formatKey(start, layout, context);
  const hi = formatKey(last, layout, context);
  return lo === hi ? lo : `${lo}-${hi}`;
}

function formatData(data: Data | undefined, format: DataFormat | undefined, context: FormatContext): string | undefined {
  if (!data || !format) return undefined;
  if (data.verdict) {
    const code = data.verdict.code;
    return data.verdict.chain !== undefined ? `${String(code)} ${data.verdict.chain}` : String(code);
  }
  if (format.kind === 'value' && data.value) return formatValue(format.type, data.value, format.order, context);
  if (format.kind === 'concat' && data.value) return formatKey(data.value, format.parts.map((p) => ({ text: '', ...p })), context);
  return undefined;
}

/** A key's numeric value for sorting (host-order keys sort by value, not by bytes). */
function sortKey(key: Uint8Array, layout: readonly KeyComponent[], interval: boolean): bigint | undefined {
  const c = layout[0]!;
  return layout.length === 1 ? toBigInt(key.subarray(0, c.size), interval ? intervalOrder(c) : c.order) : undefined;
}

function byKey(layout: readonly KeyComponent[], interval: boolean) {
  return (a: RenderSetElement, b: RenderSetElement): number => {
    const x = sortKey(a.key, layout, interval);
    const y = sortKey(b.key, layout, interval);
    if (x !== undefined && y !== undefined) return x < y ? -1 : x > y ? 1 : 0;
    return compareBytes(a.key, b.key);
  };
}

/** The set's elements as nft prints them inline: `{ a, b-c, d : e }`. */
export function formatSet(set: RenderSet, layout: readonly KeyComponent[], data: DataFormat | undefined, context: FormatContext): string {
  const items: string[] = [];
  const sorted = [...set.elements].sort(byKey(layout, set.interval ?? false));
  const push = (key: string, element: RenderSetElement): void => {
    const value = element.objref !== undefined ? `"${element.objref}"` : formatData(element.data, data, context);
    items.push(value === undefined ? key : `${key} : ${value}`);
  };
  if (set.interval) {
    for (let i = 0; i < sorted.length; i++) {
      const element = sorted[i]!;
      if (element.intervalEnd) continue;
      if (element.keyEnd) {
        push(formatRange(element.key, element.keyEnd, layout, context), element);
        continue;
      }
      const end = sorted[i + 1];
      const c = layout[0]!;
      let last: Uint8Array;
      const order = intervalOrder(c);
      if (end?.intervalEnd) last = fromBigInt(toBigInt(end.key.subarray(0, c.size), order) - 1n, c.size, order);
      else last = fromBigInt((1n << BigInt(c.size * 8)) - 1n, c.size, order);
      push(formatRange(element.key, last, layout, context), element);
    }
  } else {
    for (const element of sorted) push(formatKey(element.key, layout, context), element);
  }
  return `{ ${items.join(', ')} }`;
}
