/**
 * Set elements as nft writes them. Plain sets and maps: one element per value, in the order
 * written. Interval sets (any prefix, range or `eth*` among the values): the values become
 * ranges, sorted and merged where they overlap or touch (nft's automerge), then written as
 * start elements and `interval-end` elements one past each range's end, with an extra end
 * element at 0 when the first range does not start there; a range that reaches the top of the
 * key space has no end element, its start carries the "open interval" userdata flag instead.
 */
import { toBigInt, fromBigInt } from '../../render/bytes.js';
import type { Data } from '../../expressions/data.js';
import type { SetElementAttributes } from '../../set-element.js';
import type { ConcatValue, SetElementNode, SimpleValue, VerdictValue } from '../ast.js';
import { CompileError } from './compile-error.js';
import { encodeFlagList, encodeWord, type ValueResolvers, type ValueShape } from './datatypes.js';
import { unitsOf } from './registers.js';

/** EXPR_F_INTERVAL_OPEN, stored as the element's NFTNL_UDATA_SET_ELEM_FLAGS. */
const INTERVAL_OPEN = 1;
const REGISTER_WORD = 4;

/** How a set's keys (or a map's values) are encoded: one shape, or one per concatenated part. */
export interface ElementShape {
  parts: ValueShape[];
}

/** A key as the inclusive range [from, to] of big-endian numbers (a single value: from = to). */
interface KeyRange {
  from: Uint8Array;
  to: Uint8Array;
  element: SetElementNode;
}

function allOnes(length: number): Uint8Array {
  return new Uint8Array(length).fill(0xff);
}

/** One simple value as a range of `shape`. */
function simpleRange(value: SimpleValue, shape: ValueShape, resolvers: ValueResolvers): { from: Uint8Array; to: Uint8Array; interval: boolean } {
  switch (value.kind) {
    case 'word': {
      const v = encodeWord(value, shape, resolvers);
      if (!v.prefix) return { from: v.bytes, to: v.bytes, interval: false };
      const from = new Uint8Array(shape.size);
      from.set(v.bytes);
      const to = allOnes(shape.size);
      to.set(v.bytes);
      return { from, to, interval: true };
    }
    case 'prefix': {
      const bits = shape.size * 8;
      if (shape.type !== 'ipv4_addr' && shape.type !== 'ipv6_addr') throw new CompileError('only addresses take a prefix length', value.span);
      if (value.length > bits) throw new CompileError(`prefix length ${value.length} is longer than ${bits} bits`, value.span);
      const base = encodeWord(value.value, shape, resolvers).bytes;
      const host = (1n << BigInt(bits - value.length)) - 1n;
      const n = toBigInt(base, 'big') & ~host;
      return { from: fromBigInt(n, shape.size, 'big'), to: fromBigInt(n | host, shape.size, 'big'), interval: true };
    }
    case 'range': {
      if (shape.order === 'host' && shape.size > 1) throw new CompileError('ranges of this key are not supported (its value is in host byte order)', value.span);
      const from = encodeWord(value.from, shape, resolvers).bytes;
      const to = encodeWord(value.to, shape, resolvers).bytes;
      if (toBigInt(from, 'big') > toBigInt(to, 'big')) throw new CompileError('the range is empty: its start is above its end', value.span);
      return { from, to, interval: true };
    }
    case 'list': {
      const bytes = encodeFlagList(value, shape, resolvers);
      return { from: bytes, to: bytes, interval: false };
    }
  }
}

/** A key or map value of `shape` as bytes (concatenated parts padded to 4 bytes). */
export function encodeElementValue(value: SimpleValue | ConcatValue, shape: ElementShape, resolvers: ValueResolvers): Uint8Array {
  const parts = value.kind === 'concat' ? value.parts : [value];
  if (parts.length !== shape.parts.length) {
    throw new CompileError(`expected ${shape.parts.length === 1 ? 'a single value' : `${shape.parts.length} values joined with ' . '`}`, value.span);
  }
  if (parts.length === 1) {
    const r = simpleRange(parts[0]!, shape.parts[0]!, resolvers);
    if (r.interval) throw new CompileError('a range or prefix is not allowed here', value.span);
    return r.from;
  }
  const out = new Uint8Array(shape.parts.reduce((n, p) => n + unitsOf(p.size) * REGISTER_WORD, 0));
  let at = 0;
  parts.forEach((part, i) => {
    const r = simpleRange(part, shape.parts[i]!, resolvers);
    if (r.interval) throw new CompileError('ranges inside a concatenation are not supported', part.span);
    out.set(r.from, at);
    at += unitsOf(shape.parts[i]!.size) * REGISTER_WORD;
  });
  return out;
}

/** Whether any key of the elements is a range, a prefix or a wildcard (the set needs the interval flag). */
export function needsInterval(elements: readonly SetElementNode[]): boolean {
  return elements.some((e) => e.key.kind === 'prefix' || e.key.kind === 'range' || (e.key.kind === 'word' && e.key.text.endsWith('*')));
}

function dataOf(data: SimpleValue | ConcatValue | VerdictValue | undefined, shape: ElementShape | 'verdict' | undefined, element: SetElementNode, resolvers: ValueResolvers): Data | undefined {
  if (shape === undefined) {
    if (data !== undefined) throw new CompileError('a set has no values: use a map for `key : value`', data.span);
    return undefined;
  }
  if (data === undefined) throw new CompileError('a map element needs a value: `key : value`', element.span);
  if (shape === 'verdict') {
    if (data.kind !== 'verdict') throw new CompileError('a verdict map needs a verdict (accept, drop, jump CHAIN …)', data.span);
    return { verdict: data.chain === undefined ? { code: data.verdict } : { code: data.verdict, chain: data.chain } };
  }
  if (data.kind === 'verdict') throw new CompileError('this map holds values, not verdicts', data.span);
  return { value: encodeElementValue(data, shape, resolvers) };
}

/** Common attributes of an element besides its key (timeout, comment). */
function extras(e: SetElementNode): Pick<SetElementAttributes, 'timeout' | 'userdata'> {
  return {
    ...(e.timeout !== undefined ? { timeout: e.timeout } : {}),
    ...(e.comment !== undefined ? { userdata: [{ type: 'comment' as const, value: e.comment }] } : {}),
  };
}

export interface EncodedElements {
  elements: SetElementAttributes[];
  /** nft's NFTA_SET_DESC_SIZE for an anonymous set holding them. */
  size: number;
}

/** Elements of a set without intervals, in the order written. */
function plainElements(list: readonly SetElementNode[], key: ElementShape, data: ElementShape | 'verdict' | undefined, resolvers: ValueResolvers): EncodedElements {
  const elements = list.map((e): SetElementAttributes => {
    const d = dataOf(e.data, data, e, resolvers);
    const x = extras(e);
    return { ...(x.timeout !== undefined ? { timeout: x.timeout } : {}), key: { value: encodeElementValue(e.key, key, resolvers) }, ...(d ? { data: d } : {}), ...(x.userdata ? { userdata: x.userdata } : {}) };
  });
  return { elements, size: elements.length };
}

/** Elements of an interval set (see the file comment). */
function intervalElements(list: readonly SetElementNode[], key: ElementShape, resolvers: ValueResolvers): EncodedElements {
  if (key.parts.length !== 1) throw new CompileError('ranges of concatenated keys are not supported', list[0]!.span);
  const shape = key.parts[0]!;
  const ranges: KeyRange[] = list.map((e) => {
    if (e.data !== undefined) throw new CompileError('ranges are only supported in sets, not in map keys', e.span);
    if (e.key.kind === 'concat') throw new CompileError('expected a single value', e.key.span);
    const r = simpleRange(e.key, shape, resolvers);
    return { from: r.from, to: r.to, element: e };
  });
  ranges.sort((a, b) => (toBigInt(a.from, 'big') < toBigInt(b.from, 'big') ? -1 : toBigInt(a.from, 'big') > toBigInt(b.from, 'big') ? 1 : 0));
  const merged: KeyRange[] = [];
  for (const r of ranges) {
    const last = merged[merged.length - 1];
    if (last && toBigInt(r.from, 'big') <= toBigInt(last.to, 'big') + 1n) {
      if (toBigInt(r.to, 'big') > toBigInt(last.to, 'big')) last.to = r.to;
    } else merged.push({ ...r });
  }
  const top = (1n << BigInt(shape.size * 8)) - 1n;
  const elements: SetElementAttributes[] = [];
  const leading = toBigInt(merged[0]!.from, 'big') !== 0n;
  if (leading) elements.push({ flags: ['interval-end'], key: { value: new Uint8Array(shape.size) } });
  for (const r of merged) {
    const x = extras(r.element);
    const end = toBigInt(r.to, 'big');
    const open = end === top;
    elements.push({
      ...(x.timeout !== undefined ? { timeout: x.timeout } : {}),
      key: { value: r.from },
      ...(open || x.userdata ? { userdata: [...(x.userdata ?? []), ...(open ? [{ type: 'flags' as const, value: INTERVAL_OPEN }] : [])] } : {}),
    });
    if (!open) elements.push({ flags: ['interval-end'], key: { value: fromBigInt(end + 1n, shape.size, 'big') } });
  }
  return { elements, size: merged.length * 2 + (leading ? 1 : 0) };
}

/** Encode elements for a set keyed by `key` (a map when `data` is given). @throws CompileError */
export function encodeElements(list: readonly SetElementNode[], key: ElementShape, data: ElementShape | 'verdict' | undefined, interval: boolean, resolvers: ValueResolvers): EncodedElements {
  if (interval) return intervalElements(list, key, resolvers);
  return plainElements(list, key, data, resolvers);
}
