/**
 * Parsing a rule's statements: matches (`ip saddr 10.0.0.0/8`), verdict maps, verdicts,
 * counter, limit, log, reject, quota, notrack, `meta mark set …`, and the NAT statements
 * (masquerade, snat, dnat, redirect), plus the rule's `comment "…"`.
 */
import type {
  LimitStatement, LogFlagName, LogStatement, NatFlagName, NatStatement, RejectStatement, RelationalOp, RuleBody, StatementNode, VerdictName,
} from './ast.js';
import { atSelector, parseMapLookup, parseSelector, parseSimpleValue, parseValue, parseVerdictMap } from './parse-values.js';
import { startsSelector, VERDICTS } from './names.js';
import type { TokenStream } from './token-stream.js';
import { DATA_UNITS, parseByteAmount, parseInteger, RATE_UNITS } from './units.js';

const OPERATORS: Readonly<Record<string, RelationalOp>> = {
  '==': 'eq', '!=': 'neq', '<': 'lt', '>': 'gt', '<=': 'lte', '>=': 'gte',
  eq: 'eq', ne: 'neq', lt: 'lt', gt: 'gt', le: 'lte', ge: 'gte',
};
const NAT_FLAGS: readonly NatFlagName[] = ['random', 'fully-random', 'persistent'];
const U32_MAX = 0xffffffffn;
const U16_MAX = 0xffffn;
/** nft's default burst of a packet rate limit. */
const DEFAULT_PACKET_BURST = 5;
const STATEMENT_WORDS = ['counter', 'limit', 'log', 'reject', 'masquerade', 'snat', 'dnat', 'redirect', 'quota', 'notrack', 'comment', ...VERDICTS];

function parseMatchOrKeyStatement(s: TokenStream): StatementNode {
  const start = s.peek().start;
  const left = parseSelector(s);
  if ((left.kind === 'meta' || left.kind === 'ct') && s.acceptWord('set')) {
    const value = parseValue(s, true);
    return { kind: 'set-key', target: left, value, span: s.spanFrom(start) };
  }
  if (s.acceptWord('vmap')) {
    const map = parseVerdictMap(s);
    return { kind: 'vmap', key: left, map, span: s.spanFrom(start) };
  }
  const t = s.peek();
  let op: RelationalOp = 'implicit';
  if ((t.kind === 'punct' || t.kind === 'word') && Object.hasOwn(OPERATORS, t.text)) {
    op = OPERATORS[t.text]!;
    s.next();
  }
  if (s.atStatementEnd()) throw s.unexpected(s.peek(), 'a value to compare with');
  const right = parseValue(s);
  return { kind: 'match', left, op, right, span: s.spanFrom(start) };
}

function parseLimit(s: TokenStream, start: number): LimitStatement {
  s.expectWord("'rate'", 'rate');
  const over = s.acceptWord('over') !== undefined;
  let rate = parseInteger(s, 'a rate', 2n ** 64n - 1n);
  const dataUnit = s.acceptWord(...Object.keys(DATA_UNITS));
  const bytes = dataUnit !== undefined;
  if (dataUnit) rate *= DATA_UNITS[dataUnit.text]!;
  s.expectPunct('/');
  const unitWord = s.expectWord(`a time unit (${Object.keys(RATE_UNITS).join(', ')})`, ...Object.keys(RATE_UNITS));
  let burst: number | undefined = bytes ? 0 : DEFAULT_PACKET_BURST;
  let burstUnit = bytes ? 'bytes' : undefined;
  if (s.acceptWord('burst')) {
    let n = parseInteger(s, 'a burst', U32_MAX);
    const unit = s.acceptWord('packets', ...Object.keys(DATA_UNITS));
    if (unit && unit.text !== 'packets') {
      if (!bytes) throw s.error('a packet rate takes its burst in packets', unit);
      n *= DATA_UNITS[unit.text]!;
      burstUnit = unit.text;
    } else if (unit && bytes) throw s.error('a byte rate takes its burst in bytes, kbytes or mbytes', unit);
    if (n > U32_MAX) throw s.error('the burst does not fit 32 bits', s.spanFrom(start));
    burst = Number(n);
  }
  return {
    kind: 'limit', rate, unit: RATE_UNITS[unitWord.text]!, burst, bytes, over,
    ...(dataUnit ? { rateUnit: dataUnit.text } : {}), ...(burstUnit ? { burstUnit } : {}),
    span: s.spanFrom(start),
  };
}

const LOG_LEVELS = ['emerg', 'alert', 'crit', 'err', 'warn', 'notice', 'info', 'debug', 'audit'];

function parseLogFlags(s: TokenStream, flags: LogFlagName[]): void {
  const t = s.expectWord('log flags (tcp sequence,options | ip options | skuid | ether | all)', 'tcp', 'ip', 'skuid', 'ether', 'all');
  const add = (f: LogFlagName): void => void (flags.includes(f) || flags.push(f));
  if (t.text === 'tcp') {
    do {
      const w = s.expectWord("'sequence' or 'options'", 'sequence', 'options');
      add(w.text === 'sequence' ? 'tcpseq' : 'tcpopt');
    } while (s.acceptPunct(','));
  } else if (t.text === 'ip') {
    s.expectWord("'options'", 'options');
    add('ipopt');
  } else if (t.text === 'skuid') add('uid');
  else if (t.text === 'ether') add('macdecode');
  else for (const f of ['tcpseq', 'tcpopt', 'ipopt', 'uid', 'macdecode'] as const) add(f);
}

function parseLog(s: TokenStream, start: number): LogStatement {
  const log: LogStatement = { kind: 'log', flags: [], span: { start, end: start } };
  for (;;) {
    if (s.acceptWord('prefix')) log.prefix = s.expectString('a quoted prefix').text;
    else if (s.acceptWord('level')) log.level = s.expectWord(`a log level (${LOG_LEVELS.join(', ')})`, ...LOG_LEVELS).text;
    else if (s.acceptWord('group')) log.group = Number(parseInteger(s, 'a group number', U16_MAX));
    else if (s.acceptWord('snaplen')) log.snaplen = Number(parseInteger(s, 'a snap length', U32_MAX));
    else if (s.acceptWord('queue-threshold')) log.queueThreshold = Number(parseInteger(s, 'a queue threshold', U16_MAX));
    else if (s.acceptWord('flags')) parseLogFlags(s, log.flags);
    else break;
  }
  log.span = s.spanFrom(start);
  return log;
}

function parseReject(s: TokenStream, start: number): RejectStatement {
  const withWord = s.acceptWord('with');
  if (!withWord) return { kind: 'reject', span: s.spanFrom(start) };
  const kind = s.expectWord("'icmp', 'icmpv6', 'icmpx' or 'tcp reset'", 'icmp', 'icmpv6', 'icmpx', 'tcp');
  if (kind.text === 'tcp') {
    s.expectWord("'reset'", 'reset');
    return { kind: 'reject', with: { type: 'tcp reset', span: s.spanFrom(kind.start) }, span: s.spanFrom(start) };
  }
  s.acceptWord('type');
  const code = parseSimpleValue(s, false);
  if (code.kind !== 'word') throw s.error('expecting an ICMP code name or number', code.span);
  return { kind: 'reject', with: { type: kind.text as 'icmp' | 'icmpv6' | 'icmpx', code, span: s.spanFrom(kind.start) }, span: s.spanFrom(start) };
}

function parseNatFlags(s: TokenStream): NatFlagName[] {
  const flags: NatFlagName[] = [];
  while (s.isWord(...NAT_FLAGS)) {
    do {
      const f = s.expectWord(`a NAT flag (${NAT_FLAGS.join(', ')})`, ...NAT_FLAGS).text as NatFlagName;
      if (!flags.includes(f)) flags.push(f);
    } while (s.acceptPunct(','));
  }
  return flags;
}

function parseNat(s: TokenStream, keyword: { text: string; start: number; end: number }): NatStatement {
  const type = keyword.text as NatStatement['type'];
  const nat: NatStatement = { kind: 'nat', type, flags: [], keywordSpan: { start: keyword.start, end: keyword.end }, span: { start: keyword.start, end: keyword.end } };
  if (type === 'snat' || type === 'dnat') {
    const family = s.peek();
    if ((family.text === 'ip' || family.text === 'ip6') && family.kind === 'word' && s.peek(1).kind === 'word' && (s.peek(1).text === 'to' || s.peek(1).text === 'addr')) {
      s.next();
      nat.family = family.text;
    }
    if (s.acceptWord('addr')) {
      s.expectPunct('.');
      s.expectWord("'port'", 'port');
      nat.addrPort = true;
    }
    s.expectWord("'to'", 'to');
    if (s.acceptPunct(':')) nat.port = parseSimpleValue(s, false);
    else {
      nat.addr = atSelector(s) ? parseMapLookup(s, parseSelector(s)) : parseSimpleValue(s, false);
      if (s.acceptPunct(':')) nat.port = parseSimpleValue(s, false);
    }
  } else if (s.acceptWord('to')) {
    // masquerade to :PORT; redirect to :PORT (and the older `redirect to PORT`).
    if (!s.acceptPunct(':') && type === 'masquerade') throw s.unexpected(s.peek(), "':PORT'");
    nat.port = parseSimpleValue(s, false);
  }
  nat.flags = parseNatFlags(s);
  nat.span = s.spanFrom(keyword.start);
  return nat;
}

/** One statement. @throws ParseError */
export function parseStatement(s: TokenStream): StatementNode {
  const t = s.peek();
  if (t.kind !== 'word') throw s.unexpected(t, 'a statement');
  if (startsSelector(t.text)) return parseMatchOrKeyStatement(s);
  s.next();
  const start = t.start;
  switch (t.text) {
    case 'accept': case 'drop': case 'return': case 'continue':
      return { kind: 'verdict', verdict: t.text as VerdictName, span: s.spanFrom(start) };
    case 'jump': case 'goto': {
      const chain = s.expectName('a chain name');
      return { kind: 'verdict', verdict: t.text, chain: chain.text, span: s.spanFrom(start) };
    }
    case 'counter': {
      if (!s.acceptWord('packets')) return { kind: 'counter', span: s.spanFrom(start) };
      const packets = parseInteger(s, 'a packet count', 2n ** 64n - 1n);
      s.expectWord("'bytes'", 'bytes');
      const bytes = parseInteger(s, 'a byte count', 2n ** 64n - 1n);
      return { kind: 'counter', packets, bytes, span: s.spanFrom(start) };
    }
    case 'limit': return parseLimit(s, start);
    case 'log': return parseLog(s, start);
    case 'reject': return parseReject(s, start);
    case 'masquerade': case 'snat': case 'dnat': case 'redirect': return parseNat(s, t);
    case 'notrack': return { kind: 'notrack', span: s.spanFrom(start) };
    case 'quota': {
      const over = (s.acceptWord('over', 'until')?.text ?? '') !== '';
      const amount = parseByteAmount(s, 'a quota');
      const used = s.acceptWord('used') ? parseByteAmount(s, 'a used amount') : undefined;
      return {
        kind: 'quota', bytes: amount.bytes, over, ...(used !== undefined ? { used: used.bytes } : {}),
        written: { value: amount.value, unit: amount.unit, ...(used ? { used: { value: used.value, unit: used.unit } } : {}) },
        span: s.spanFrom(start),
      };
    }
    default:
      throw s.error(`syntax error, unexpected '${t.text}' (a statement starts with a key such as ip saddr, tcp dport, meta, ct, fib, or one of ${STATEMENT_WORDS.join(', ')})`, t);
  }
}

/** A rule's statements up to the end of the line (or `;`, `}`), and its comment. */
export function parseRuleBody(s: TokenStream): RuleBody {
  const start = s.peek().start;
  const statements: StatementNode[] = [];
  let comment: string | undefined;
  while (!s.atStatementEnd()) {
    if (s.acceptWord('comment')) {
      comment = s.expectString('a quoted comment').text;
      continue;
    }
    statements.push(parseStatement(s));
  }
  if (statements.length === 0 && comment === undefined) throw s.unexpected(s.peek(), 'a statement');
  return { statements, ...(comment !== undefined ? { comment } : {}), span: s.spanFrom(start) };
}
