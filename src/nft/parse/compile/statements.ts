/**
 * Lowering the statements that are not matches or NAT: verdicts, verdict maps, counter,
 * limit, log, reject, quota, notrack, and `meta|ct KEY set VALUE`.
 */
import type { Expression } from '../../expressions/expression.js';
import { LogFlags, type LogLevelName } from '../../expressions/constants.js';
import { ICMP_REJECT_CODES, ICMPV6_REJECT_CODES } from '../../render/datatypes.js';
import { RejectIcmpxCode } from '../../expressions/constants.js';
import type {
  CounterStatement, LimitStatement, LogStatement, QuotaStatement, RejectStatement, SetStatement, StatementNode, VerdictStatement, VmapStatement,
} from '../ast.js';
import { CompileError } from './compile-error.js';
import { encodeFlagList, encodeWord } from './datatypes.js';
import type { Ir } from './ir.js';
import { keyOf } from './keys.js';
import { dependencies } from './match.js';
import { Registers } from './registers.js';
import { setReference, type RuleState } from './state.js';

/** The ICMP port-unreachable codes a plain `reject` uses. */
const DEFAULT_CODE = { icmp: ICMP_REJECT_CODES['port-unreachable']!, icmpv6: ICMPV6_REJECT_CODES['port-unreachable']!, icmpx: RejectIcmpxCode['port-unreachable'] };

function fixed(span: StatementNode['span'], expressions: Expression[], fence = true): Ir {
  return { kind: 'exprs', fence, span, build: () => expressions };
}

function verdict(s: VerdictStatement): Ir {
  const v = s.chain === undefined ? { code: s.verdict } : { code: s.verdict, chain: s.chain };
  return fixed(s.span, [{ type: 'immediate', dreg: 0, data: { verdict: v } }]);
}

function vmap(s: VmapStatement, state: RuleState): Ir[] {
  const key = keyOf(s.key);
  const deps = dependencies(key, state);
  if (s.map.kind === 'set' && s.map.elements.length === 0) throw new CompileError('the map is empty', s.map.span);
  const ref = setReference(state, key, s.map, { kind: 'verdict' });
  return [...deps, {
    kind: 'exprs', fence: true, span: s.span,
    build() {
      const reg = new Registers().take(key.size, key.parts !== undefined);
      return [...key.load(reg), { type: 'lookup', sreg: reg, dreg: 0, ...ref }];
    },
  }];
}

function counter(s: CounterStatement): Ir {
  return fixed(s.span, [{ type: 'counter', ...(s.packets !== undefined ? { bytes: s.bytes!, packets: s.packets } : {}) }]);
}

function limit(s: LimitStatement): Ir {
  return fixed(s.span, [{ type: 'limit', rate: s.rate, unit: s.unit, burst: s.burst ?? 0, limitType: s.bytes ? 'bytes' : 'packets', flags: s.over ? ['inv'] : [] }]);
}

function log(s: LogStatement): Ir {
  const flags = [...s.flags].sort((a, b) => LogFlags[a] - LogFlags[b]);
  return fixed(s.span, [{
    type: 'log',
    ...(s.prefix !== undefined ? { prefix: s.prefix } : {}),
    ...(s.group !== undefined ? { group: s.group } : {}),
    ...(s.snaplen !== undefined ? { snaplen: s.snaplen } : {}),
    ...(s.queueThreshold !== undefined ? { qthreshold: s.queueThreshold } : {}),
    ...(s.level !== undefined ? { level: s.level as LogLevelName } : {}),
    ...(flags.length > 0 ? { flags } : {}),
  }]);
}

function quota(s: QuotaStatement): Ir {
  return fixed(s.span, [{ type: 'quota', bytes: s.bytes, consumed: s.used ?? 0n, flags: s.over ? ['inv'] : [] }]);
}

/** An ICMP code given by name or number, checked against the table of its kind. */
function rejectCode(s: RejectStatement, table: Readonly<Record<string, number>>): number {
  const w = s.with!.code!;
  if (Object.hasOwn(table, w.text)) return table[w.text]!;
  if (/^\d+$/.test(w.text) && Number(w.text) <= 0xff) return Number(w.text);
  throw new CompileError(`'${w.text}' is not a ${s.with!.type} reject code (one of ${Object.keys(table).join(', ')})`, w.span);
}

function reject(s: RejectStatement, state: RuleState): Ir[] {
  const family = state.family;
  const inetLike = family !== 'ip' && family !== 'ip6';
  const kind = s.with?.type;
  if (kind === 'tcp reset') {
    const deps = state.context.require('tcp', 'transport', s.span);
    return [...deps, fixed(s.span, [{ type: 'reject', rejectType: 'tcp reset', code: 0 }])];
  }
  if (kind === undefined) {
    // In inet-like tables the family-independent icmpx, unless the network protocol is known.
    const network = inetLike ? state.context.network : family;
    if (network === 'ip') return [fixed(s.span, [{ type: 'reject', rejectType: 'icmp', code: DEFAULT_CODE.icmp }])];
    if (network === 'ip6') return [fixed(s.span, [{ type: 'reject', rejectType: 'icmp', code: DEFAULT_CODE.icmpv6 }])];
    return [fixed(s.span, [{ type: 'reject', rejectType: 'icmpx', code: DEFAULT_CODE.icmpx }])];
  }
  if (kind === 'icmpx') {
    if (!inetLike) throw new CompileError('abstracted ICMP unreachable not supported', s.with!.code!.span, [s.span]);
    return [fixed(s.span, [{ type: 'reject', rejectType: 'icmpx', code: rejectCode(s, RejectIcmpxCode) }])];
  }
  const network = kind === 'icmp' ? 'ip' : 'ip6';
  const deps = state.context.require(network, 'network', s.with!.span);
  const code = rejectCode(s, kind === 'icmp' ? ICMP_REJECT_CODES : ICMPV6_REJECT_CODES);
  return [...deps, fixed(s.span, [{ type: 'reject', rejectType: 'icmp', code }])];
}

/** `meta mark set 0x10`, `ct mark set meta mark`, `meta mark set ip saddr map { … }`. */
function setKey(s: SetStatement, state: RuleState): Ir[] {
  const target = keyOf(s.target);
  const setter = (reg: number): Expression => (s.target.kind === 'meta' ? { type: 'meta', key: s.target.key, sreg: reg } : { type: 'ct', key: s.target.key, sreg: reg });
  const shape = { type: target.type, size: target.size, order: target.order };
  const value = s.value;
  if (value.kind === 'word' || value.kind === 'list') {
    const bytes = value.kind === 'list' ? encodeFlagList(value, shape, state.resolvers) : encodeWord(value, shape, state.resolvers).bytes;
    return [fixed(s.span, [{ type: 'immediate', dreg: 1, data: { value: bytes } }, setter(1)])];
  }
  if (value.kind === 'selector') {
    const source = keyOf(value.selector);
    const deps = dependencies(source, state);
    if (source.parts) throw new CompileError('a concatenation cannot be assigned to a key', value.span);
    return [...deps, fixed(s.span, [...source.load(1), setter(1)])];
  }
  if (value.kind === 'map') {
    const key = keyOf(value.key);
    const deps = dependencies(key, state);
    const ref = setReference(state, key, value.map, { kind: 'value', shape: { parts: [shape] }, type: target.setType, len: target.size });
    return [...deps, {
      kind: 'exprs', fence: true, span: s.span,
      build: () => [...key.load(1), { type: 'lookup', sreg: 1, dreg: 1, ...ref }, setter(1)],
    }];
  }
  throw new CompileError('expecting a value, a key (ct mark) or a map lookup', value.span);
}

/** Lower any statement but a match or NAT. */
export function lowerOther(s: Exclude<StatementNode, { kind: 'match' | 'nat' }>, state: RuleState): Ir[] {
  switch (s.kind) {
    case 'verdict': return [verdict(s)];
    case 'vmap': return vmap(s, state);
    case 'counter': return [counter(s)];
    case 'limit': return [limit(s)];
    case 'log': return [log(s)];
    case 'quota': return [quota(s)];
    case 'notrack': return [fixed(s.span, [{ type: 'notrack' }])];
    case 'reject': return reject(s, state);
    case 'set-key': return setKey(s, state);
  }
}
