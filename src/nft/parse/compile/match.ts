/**
 * Lowering a match (`ip saddr 10.0.0.0/24`, `tcp dport != 20-30`, `ct state established`,
 * `iifname "veth*"`, `ip daddr { … }`, `meta mark @marks`) into the expressions nft generates:
 *  - a constant: load, cmp (payload matches stay symbolic for merge.ts);
 *  - a flag value written bare (`ct state established`): load, bitwise & flags, cmp neq 0;
 *  - a bit field (`ip dscp cs1`): load the bytes around it, bitwise & its mask, cmp;
 *  - a prefix: load only its whole bytes when it ends on a byte (`/24`: 3 bytes), else load,
 *    bitwise & netmask, cmp;
 *  - a range: cmp gte, cmp lte — or `range neq` for `!=`;
 *  - a set: lookup in an anonymous set (flag inv for `!=`) or in a named one.
 */
import type { Expression } from '../../expressions/expression.js';
import type { CmpOpName } from '../../expressions/constants.js';
import { fromBigInt, toBigInt } from '../../render/bytes.js';
import type { FibSelector, MatchStatement, SimpleValue } from '../ast.js';
import { CompileError } from './compile-error.js';
import { encodeFlagList, encodeWord, isFlagType } from './datatypes.js';
import type { Ir } from './ir.js';
import { keyOf, type Key } from './keys.js';
import { Registers } from './registers.js';
import { setReference, type RuleState } from './state.js';

const CMP_OF: Readonly<Record<string, CmpOpName>> = { implicit: 'eq', eq: 'eq', neq: 'neq', lt: 'lt', gt: 'gt', lte: 'lte', gte: 'gte' };
/** NFTA_FIB_F_PRESENT results are compared as a 4-byte boolean. */
const FIB_PRESENT_SIZE = 4;

/** The dependency matches a key needs, checked against and recorded in the context. */
export function dependencies(key: Key, state: RuleState): Ir[] {
  if (key.parts) return key.parts.flatMap((p) => dependencies(p, state));
  if (key.meta === 'nfproto' && state.family !== 'inet') throw new CompileError('meta nfproto is only useful in the inet family', key.span);
  if (!key.payload) return [];
  return state.context.require(key.payload.protocol, key.payload.layer, key.span);
}

function exprs(span: MatchStatement['span'], build: () => Expression[]): Ir {
  return { kind: 'exprs', fence: false, span, build };
}

/** `fib … exists|missing`: the fib lookup with NFTA_FIB_F_PRESENT, compared with 1 or 0. */
function fibPresence(m: MatchStatement, fib: FibSelector, word: string): Ir {
  const flags = [...fib.keys, 'present' as const];
  const value = fromBigInt(word === 'exists' ? 1n : 0n, FIB_PRESENT_SIZE, 'host');
  const op = CMP_OF[m.op]!;
  return exprs(m.span, () => [{ type: 'fib', flags, result: fib.result, dreg: 1 }, { type: 'cmp', sreg: 1, op, data: { value } }]);
}

/** A constant (or flag list) compared with the key. */
function constantMatch(m: MatchStatement, key: Key, value: SimpleValue & { kind: 'word' | 'list' }, state: RuleState): Ir {
  const shape = { type: key.type, size: key.size, order: key.order };
  const encoded = value.kind === 'list' ? { bytes: encodeFlagList(value, shape, state.resolvers) } : encodeWord(value, shape, state.resolvers);
  const op = CMP_OF[m.op]!;
  if (key.order === 'host' && key.size > 1 && op !== 'eq' && op !== 'neq') {
    throw new CompileError(`${op === 'lt' || op === 'lte' ? '<' : '>'} on this key needs nft's byteorder expression, which netns-ts does not generate: match a set or range of values instead`, m.span);
  }
  if (key.defines && op === 'eq' && value.kind === 'word') state.context.learn(key.defines, Number(toBigInt(encoded.bytes, key.order)));
  if (key.defines === 'transport') state.context.transportMatched = true;
  const place = key.payload;
  if (place?.mask) {
    // A bit field: its value shifted into place within the loaded bytes, under its mask.
    const shifted = fromBigInt(toBigInt(encoded.bytes, 'big') << BigInt(place.shift), place.len, 'big');
    return exprs(m.span, () => [
      ...key.load(1),
      { type: 'bitwise', sreg: 1, dreg: 1, op: 'mask_xor', len: place.len, mask: { value: place.mask! }, xor: { value: new Uint8Array(place.len) } },
      { type: 'cmp', sreg: 1, op, data: { value: shifted } },
    ]);
  }
  if (m.op === 'implicit' && isFlagType(key.type)) {
    return exprs(m.span, () => [
      ...key.load(1),
      { type: 'bitwise', sreg: 1, dreg: 1, len: key.size, mask: { value: encoded.bytes }, xor: { value: new Uint8Array(key.size) } },
      { type: 'cmp', sreg: 1, op: 'neq', data: { value: new Uint8Array(key.size) } },
    ]);
  }
  if (place && (op === 'eq' || op === 'neq') && !encoded.prefix) {
    return { kind: 'payload-match', place, op, value: encoded.bytes, span: m.span };
  }
  return exprs(m.span, () => [...key.load(1), { type: 'cmp', sreg: 1, op, data: { value: encoded.bytes } }]);
}

function prefixMatch(m: MatchStatement, key: Key, value: SimpleValue & { kind: 'prefix' }, state: RuleState): Ir {
  if (key.type !== 'ipv4_addr' && key.type !== 'ipv6_addr') throw new CompileError(`a prefix needs an address key, not ${key.type}`, value.span);
  const op = CMP_OF[m.op]!;
  if (op !== 'eq' && op !== 'neq') throw new CompileError('a prefix can only be compared with == or !=', m.span);
  const bits = key.size * 8;
  if (value.length > bits) throw new CompileError(`prefix length ${value.length} is longer than ${bits} bits`, value.span);
  const address = encodeWord(value.value, { type: key.type, size: key.size, order: key.order }, state.resolvers).bytes;
  if (value.length === bits) return constantMatch(m, key, value.value, state);
  const host = (1n << BigInt(bits - value.length)) - 1n;
  const network = fromBigInt(toBigInt(address, 'big') & ~host, key.size, 'big');
  if (key.payload && value.length % 8 === 0 && value.length > 0) {
    const len = value.length / 8;
    return { kind: 'payload-match', place: { ...key.payload, len }, op, value: network.slice(0, len), span: m.span, prefix: true };
  }
  const mask = fromBigInt(((1n << BigInt(bits)) - 1n) & ~host, key.size, 'big');
  return exprs(m.span, () => [
    ...key.load(1),
    { type: 'bitwise', sreg: 1, dreg: 1, len: key.size, mask: { value: mask }, xor: { value: new Uint8Array(key.size) } },
    { type: 'cmp', sreg: 1, op, data: { value: network } },
  ]);
}

function rangeMatch(m: MatchStatement, key: Key, value: SimpleValue & { kind: 'range' }, state: RuleState): Ir {
  const shape = { type: key.type, size: key.size, order: key.order };
  if (key.order === 'host' && key.size > 1) throw new CompileError('ranges of this key need nft\'s byteorder expression, which netns-ts does not generate: use a set { a, b, … }', value.span);
  const from = encodeWord(value.from, shape, state.resolvers).bytes;
  const to = encodeWord(value.to, shape, state.resolvers).bytes;
  if (toBigInt(from, 'big') > toBigInt(to, 'big')) throw new CompileError('the range is empty: its start is above its end', value.span);
  if (key.defines === 'transport') state.context.transportMatched = true;
  const op = CMP_OF[m.op]!;
  if (op === 'neq') return exprs(m.span, () => [...key.load(1), { type: 'range', sreg: 1, op: 'neq', from: { value: from }, to: { value: to } }]);
  if (op !== 'eq') throw new CompileError('a range can only be compared with == or !=', m.span);
  return exprs(m.span, () => [
    ...key.load(1),
    { type: 'cmp', sreg: 1, op: 'gte', data: { value: from } },
    { type: 'cmp', sreg: 1, op: 'lte', data: { value: to } },
  ]);
}

/** Lower a match statement: its dependencies, then the match itself. */
export function lowerMatch(m: MatchStatement, state: RuleState): Ir[] {
  const right = m.right;
  if (m.left.kind === 'fib' && right.kind === 'word' && (right.text === 'exists' || right.text === 'missing')) return [fibPresence(m, m.left, right.text)];
  const key = keyOf(m.left);
  const deps = dependencies(key, state);
  if (key.parts && right.kind !== 'set' && right.kind !== 'setref') throw new CompileError('compare a concatenation with a set: { a . b, … } or @name', right.span);
  switch (right.kind) {
    case 'word':
    case 'list':
      return [...deps, constantMatch(m, key, right, state)];
    case 'prefix':
      return [...deps, prefixMatch(m, key, right, state)];
    case 'range':
      return [...deps, rangeMatch(m, key, right, state)];
    case 'set':
    case 'setref': {
      const op = CMP_OF[m.op]!;
      if (op !== 'eq' && op !== 'neq') throw new CompileError('a set can only be compared with == or !=', m.span);
      if (key.payload?.mask) throw new CompileError('sets of this field are not supported', m.left.span);
      if (right.kind === 'set' && right.elements.length === 0) throw new CompileError('the set is empty', right.span);
      if (key.defines === 'transport') state.context.transportMatched = true;
      const ref = setReference(state, key, right, undefined);
      return [...deps, exprs(m.span, () => {
        const reg = new Registers().take(key.size, key.parts !== undefined);
        return [...key.load(reg), { type: 'lookup', sreg: reg, ...ref, ...(op === 'neq' ? { flags: ['inv' as const] } : {}) }];
      })];
    }
    default:
      throw new CompileError('expecting a value, a prefix, a range or a set to compare with', right.span);
  }
}
