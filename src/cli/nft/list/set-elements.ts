/**
 * A named set's elements as `nft list` shows them, in text and in `nft -j` JSON: sorted by
 * value, intervals joined back into prefixes and ranges, with each element's timeout (when it
 * differs from the set's), time to expiry and comment, and map data after ` : `.
 */
import { commentOf } from '../../../nft/udata.js';
import { formatValue, type Datatype } from '../../../nft/render/datatypes.js';
import { formatDuration } from '../../../nft/render/datatypes.js';
import { fromBigInt, toBigInt, type ByteOrder } from '../../../nft/render/bytes.js';
import type { SetElementAttributes } from '../../../nft/set-element.js';
import type { Data } from '../../../nft/expressions/data.js';
import type { ElementShape } from '../../../nft/parse/compile/elements.js';
import type { ValueShape } from '../../../nft/parse/compile/datatypes.js';
import { unitsOf } from '../../../nft/parse/compile/registers.js';

/** One element as listed: key (and data) in text and JSON, and its extras. */
export interface ListedElement {
  key: string;
  keyJson: unknown;
  data?: string;
  dataJson?: unknown;
  timeout?: bigint;
  expires?: bigint;
  comment?: string;
}

/** Datatypes `nft -j` prints as JSON numbers. */
const NUMERIC: ReadonlySet<Datatype> = new Set(['integer', 'inet_service', 'mark', 'time']);
const REGISTER_WORD = 4;

function partsOf(bytes: Uint8Array, shape: ElementShape): Uint8Array[] {
  if (shape.parts.length === 1) return [bytes.subarray(0, shape.parts[0]!.size)];
  const out: Uint8Array[] = [];
  let at = 0;
  for (const p of shape.parts) {
    out.push(bytes.subarray(at, at + p.size));
    at += unitsOf(p.size) * REGISTER_WORD;
  }
  return out;
}

function valueText(bytes: Uint8Array, p: ValueShape): string {
  return formatValue(p.type, bytes, p.order);
}

function valueJson(bytes: Uint8Array, p: ValueShape): unknown {
  if (NUMERIC.has(p.type)) return Number(toBigInt(bytes, p.order));
  const text = valueText(bytes, p);
  return p.type === 'ifname' || p.type === 'string' ? text.replace(/^"|"$/g, '') : text;
}

function keyOf(bytes: Uint8Array, shape: ElementShape): { text: string; json: unknown } {
  const parts = partsOf(bytes, shape);
  const texts = parts.map((b, i) => valueText(b, shape.parts[i]!));
  const jsons = parts.map((b, i) => valueJson(b, shape.parts[i]!));
  return parts.length === 1 ? { text: texts[0]!, json: jsons[0] } : { text: texts.join(' . '), json: { concat: jsons } };
}

function dataOf(data: Data | undefined, shape: ElementShape | 'verdict' | undefined): { text?: string; json?: unknown } {
  if (!data || !shape) return {};
  if (data.verdict) {
    const code = String(data.verdict.code);
    if (data.verdict.chain !== undefined) return { text: `${code} ${data.verdict.chain}`, json: { [code]: { target: data.verdict.chain } } };
    return { text: code, json: { [code]: null } };
  }
  if (shape === 'verdict' || !data.value) return {};
  const k = keyOf(data.value, shape);
  return { text: k.text, json: k.json };
}

/** `a/len` when [a, b] is a whole prefix of an address. */
function prefixOf(a: bigint, b: bigint, bits: number): number | undefined {
  for (let len = 0; len <= bits; len++) {
    const size = 1n << BigInt(bits - len);
    if (a % size === 0n && b === a + size - 1n) return len;
  }
  return undefined;
}

function rangeText(from: Uint8Array, last: Uint8Array, p: ValueShape): { text: string; json: unknown } {
  const a = toBigInt(from, 'big');
  const b = toBigInt(last, 'big');
  if (a === b) return { text: valueText(from, p), json: valueJson(from, p) };
  if (p.type === 'ifname' || p.type === 'string') {
    // `eth*`: from P and zero bytes to P and 0xff bytes.
    let k = 0;
    while (k < from.length && from[k] === last[k]) k++;
    if (from.subarray(k).every((x) => x === 0) && last.subarray(k).every((x) => x === 0xff)) {
      const prefix = from.subarray(0, k);
      return { text: valueText(prefix, p), json: valueJson(prefix, p) };
    }
  }
  if (p.type === 'ipv4_addr' || p.type === 'ipv6_addr') {
    const len = prefixOf(a, b, p.size * 8);
    if (len !== undefined) return { text: `${valueText(from, p)}/${len}`, json: { prefix: { addr: valueText(from, p), len } } };
  }
  return { text: `${valueText(from, p)}-${valueText(last, p)}`, json: { range: [valueJson(from, p), valueJson(last, p)] } };
}

/** Sorting value: nft orders by value; in interval sets names compare byte by byte. */
function sortValue(bytes: Uint8Array, shape: ElementShape, interval: boolean): bigint {
  const p = shape.parts[0]!;
  const byteWise = interval && (p.type === 'ifname' || p.type === 'string');
  return shape.parts.length === 1 ? toBigInt(bytes.subarray(0, p.size), byteWise ? 'big' : (p.order as ByteOrder)) : toBigInt(bytes, 'big');
}

function extras(e: SetElementAttributes, setTimeout: bigint | undefined): Pick<ListedElement, 'timeout' | 'expires' | 'comment'> {
  const comment = commentOf(e.userdata);
  return {
    ...(e.timeout !== undefined && e.timeout !== setTimeout ? { timeout: e.timeout } : {}),
    ...(e.expiration !== undefined ? { expires: e.expiration } : {}),
    ...(comment !== undefined ? { comment } : {}),
  };
}

/** The elements of a set as nft lists them. */
export function listedElements(elements: readonly SetElementAttributes[], shape: { key: ElementShape; data?: ElementShape | 'verdict'; interval: boolean }, setTimeout?: bigint): ListedElement[] {
  const sorted = [...elements].filter((e) => e.key?.value).sort((x, y) => {
    const a = sortValue(x.key!.value!, shape.key, shape.interval);
    const b = sortValue(y.key!.value!, shape.key, shape.interval);
    return a < b ? -1 : a > b ? 1 : 0;
  });
  const out: ListedElement[] = [];
  for (let i = 0; i < sorted.length; i++) {
    const e = sorted[i]!;
    if (shape.interval && e.flags?.includes('interval-end')) continue;
    let key: { text: string; json: unknown };
    if (shape.interval && shape.key.parts.length === 1) {
      const p = shape.key.parts[0]!;
      const end = sorted[i + 1];
      const last = end?.flags?.includes('interval-end') ? fromBigInt(toBigInt(end.key!.value!, 'big') - 1n, p.size, 'big') : e.keyEnd?.value ?? fromBigInt((1n << BigInt(p.size * 8)) - 1n, p.size, 'big');
      key = rangeText(e.key!.value!, last, p);
    } else if (e.keyEnd?.value) {
      const parts = partsOf(e.key!.value!, shape.key);
      const ends = partsOf(e.keyEnd.value, shape.key);
      const r = parts.map((b, j) => rangeText(b, ends[j]!, shape.key.parts[j]!));
      key = { text: r.map((x) => x.text).join(' . '), json: { concat: r.map((x) => x.json) } };
    } else {
      key = keyOf(e.key!.value!, shape.key);
    }
    const data = dataOf(e.data, shape.data);
    out.push({ key: key.text, keyJson: key.json, ...(data.text !== undefined ? { data: data.text, dataJson: data.json } : {}), ...extras(e, setTimeout) });
  }
  return out;
}

/** One element in text: `key [timeout T] [expires E] [comment "C"] [: data]`. */
export function elementText(e: ListedElement): string {
  let out = e.key;
  if (e.timeout !== undefined) out += ` timeout ${formatDuration(e.timeout)}`;
  if (e.expires !== undefined) out += ` expires ${formatDuration(e.expires)}`;
  if (e.comment !== undefined) out += ` comment "${e.comment}"`;
  if (e.data !== undefined) out += ` : ${e.data}`;
  return out;
}

/** One element in `nft -j` JSON. */
export function elementJson(e: ListedElement): unknown {
  const hasExtras = e.timeout !== undefined || e.expires !== undefined || e.comment !== undefined;
  const key = hasExtras
    ? { elem: { val: e.keyJson, ...(e.timeout !== undefined ? { timeout: Number(e.timeout / 1000n) } : {}), ...(e.expires !== undefined ? { expires: Number(e.expires / 1000n) } : {}), ...(e.comment !== undefined ? { comment: e.comment } : {}) } }
    : e.keyJson;
  return e.dataJson !== undefined ? [key, e.dataJson] : key;
}

/** Elements per line nft prints for a named set of this key type (its calculate_delim). */
export function elementsPerLine(type: Datatype): number | undefined {
  switch (type) {
    case 'integer': case 'inet_proto': case 'inet_service': case 'tcp_flag': case 'mark': case 'iface_index': case 'nf_proto': case 'ct_dir':
      return 16;
    case 'ipv4_addr': case 'ct_state': case 'ct_status': case 'pkttype':
      return 4;
    default:
      return undefined;
  }
}
