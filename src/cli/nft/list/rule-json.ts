/**
 * A rule's statements in `nft -j`'s JSON schema (libnftables-json(5)). The listing renders a
 * rule to nft syntax first; that text is parsed back and each statement mapped to its JSON
 * form, so text and JSON cannot disagree. Statements the parser does not know stay out of
 * `expr` and the text is kept in a `netns-ts` note instead.
 */
import type { SelectorNode, SimpleValue, StatementNode, ValueNode, WordValue } from '../../../nft/parse/ast.js';
import { parseRuleText } from '../../../nft/parse/parse-commands.js';
import { CT_FIELDS, HEADER_PROTOCOLS, META_FIELDS } from '../../../nft/render/fields.js';
import { FLAG_TYPES, type Datatype } from '../../../nft/render/datatypes.js';
import { ParseError } from '../../../nft/parse/errors.js';
import { DATA_UNITS, RATE_UNITS } from '../../../nft/parse/units.js';
import type { TableFamily } from '../../../nft/constants.js';

type Json = unknown;

/** nft -j's names of the log flags. */
const LOG_FLAG_JSON: Readonly<Record<string, string>> = { tcpseq: 'tcp sequence', tcpopt: 'tcp options', ipopt: 'ip options', uid: 'skuid', macdecode: 'ether' };
const ALL_LOG_FLAGS = Object.keys(LOG_FLAG_JSON).length;
const OPS: Readonly<Record<string, string>> = { eq: '==', neq: '!=', lt: '<', gt: '>', lte: '<=', gte: '>=' };
const NUMERIC: ReadonlySet<Datatype> = new Set(['integer', 'inet_service', 'time', 'boolean']);

function selectorJson(s: SelectorNode): Json {
  switch (s.kind) {
    case 'payload': return { payload: { protocol: s.protocol, field: s.field } };
    case 'meta': return { meta: { key: META_FIELDS[s.key]?.name ?? s.key } };
    case 'ct': return { ct: { key: CT_FIELDS[s.key]?.name ?? s.key, ...(s.direction ? { dir: s.direction } : {}) } };
    case 'fib': return { fib: { result: s.result, flags: s.keys } };
    case 'concat': return { concat: s.parts.map(selectorJson) };
  }
}

function typeOf(s: SelectorNode | undefined): Datatype | undefined {
  if (!s) return undefined;
  switch (s.kind) {
    case 'payload': return (HEADER_PROTOCOLS[s.protocol].fields as Record<string, { type: Datatype }>)[s.field]?.type;
    case 'meta': return META_FIELDS[s.key]?.type;
    case 'ct': return CT_FIELDS[s.key]?.type;
    default: return undefined;
  }
}

function wordJson(w: WordValue, type: Datatype | undefined): Json {
  // Numbers of numeric types, and of unknown type (map data such as the port of `a . 8080`).
  if ((type === undefined || NUMERIC.has(type)) && !w.quoted && /^\d+$/.test(w.text)) return Number(w.text);
  if ((type === 'mark' || type === 'integer' || type === 'hex') && /^0x[0-9a-f]+$/i.test(w.text)) return Number(BigInt(w.text));
  return w.text;
}

function simpleJson(v: SimpleValue, type: Datatype | undefined): Json {
  switch (v.kind) {
    case 'word': return wordJson(v, type);
    case 'prefix': return { prefix: { addr: v.value.text, len: v.length } };
    case 'range': return { range: [wordJson(v.from, type), wordJson(v.to, type)] };
    case 'list': return v.items.map((i) => wordJson(i, type));
  }
}

function valueJson(v: ValueNode, left: SelectorNode | undefined): Json {
  const type = typeOf(left);
  switch (v.kind) {
    case 'word': case 'prefix': case 'range': case 'list': return simpleJson(v, type);
    case 'concat': {
      const parts = left?.kind === 'concat' ? left.parts : [];
      return { concat: v.parts.map((p, i) => simpleJson(p, typeOf(parts[i]))) };
    }
    case 'setref': return `@${v.name}`;
    case 'set': {
      const parts = left?.kind === 'concat' ? left.parts : undefined;
      return {
        set: v.elements.map((e) => {
          const key = e.key.kind === 'concat' ? { concat: e.key.parts.map((p, i) => simpleJson(p, typeOf(parts?.[i]))) } : simpleJson(e.key, type);
          if (!e.data) return key;
          const data = e.data.kind === 'verdict' ? verdictJson(e.data.verdict, e.data.chain) : e.data.kind === 'concat' ? { concat: e.data.parts.map((p) => simpleJson(p, undefined)) } : simpleJson(e.data, undefined);
          return [key, data];
        }),
      };
    }
    case 'map': return { map: { key: selectorJson(v.key), data: valueJson(v.map, v.key) } };
    case 'selector': return selectorJson(v.selector);
  }
}

function verdictJson(verdict: string, chain?: string): Json {
  return chain === undefined ? { [verdict]: null } : { [verdict]: { target: chain } };
}

function statementJson(s: StatementNode, family: TableFamily): Json {
  switch (s.kind) {
    case 'match': {
      const flagBare = s.op === 'implicit' && FLAG_TYPES[typeOf(s.left) ?? 'integer'] !== undefined && (s.right.kind === 'word' || s.right.kind === 'list');
      const op = flagBare ? 'in' : OPS[s.op === 'implicit' ? 'eq' : s.op];
      return { match: { op, left: selectorJson(s.left), right: valueJson(s.right, s.left) } };
    }
    case 'vmap': return { vmap: { key: selectorJson(s.key), data: valueJson(s.map, s.key) } };
    case 'verdict': return verdictJson(s.verdict, s.chain);
    case 'counter': return { counter: { packets: Number(s.packets ?? 0n), bytes: Number(s.bytes ?? 0n) } };
    case 'notrack': return { notrack: null };
    case 'limit': {
      const per = Object.entries(RATE_UNITS).find(([, n]) => n === s.unit)?.[0] ?? 'second';
      const inUnit = (n: bigint, unit: string | undefined): number => Number(unit ? n / DATA_UNITS[unit]! : n);
      return {
        limit: {
          rate: inUnit(s.rate, s.rateUnit), burst: inUnit(BigInt(s.burst ?? 0), s.burstUnit), per,
          ...(s.bytes ? { rate_unit: s.rateUnit ?? 'bytes', burst_unit: s.burstUnit ?? 'bytes' } : {}),
          ...(s.over ? { inv: true } : {}),
        },
      };
    }
    case 'log': return {
      log: {
        ...(s.prefix !== undefined ? { prefix: s.prefix } : {}),
        ...(s.group !== undefined ? { group: s.group } : {}),
        ...(s.snaplen !== undefined ? { snaplen: s.snaplen } : {}),
        ...(s.queueThreshold !== undefined ? { 'queue-threshold': s.queueThreshold } : {}),
        ...(s.level !== undefined ? { level: s.level } : {}),
        ...(s.flags.length > 0 ? { flags: s.flags.length === ALL_LOG_FLAGS ? ['all'] : s.flags.map((f) => LOG_FLAG_JSON[f]) } : {}),
      },
    };
    case 'reject': {
      // A plain reject is ICMP port unreachable of the table's family (icmpx in inet-like tables).
      const type = s.with?.type ?? (family === 'ip' ? 'icmp' : family === 'ip6' ? 'icmpv6' : 'icmpx');
      const code = s.with ? s.with.code?.text : 'port-unreachable';
      return { reject: { type, ...(code !== undefined ? { expr: code } : {}) } };
    }
    case 'quota': {
      const w = s.written ?? { value: s.bytes, unit: 'bytes' };
      return { quota: { val: Number(w.value), val_unit: w.unit, ...(w.used ? { used: Number(w.used.value), used_unit: w.used.unit } : {}), ...(s.over ? { inv: true } : {}) } };
    }
    case 'set-key': return { mangle: { key: selectorJson(s.target), value: valueJson(s.value, s.target) } };
    case 'nat': {
      const body: Record<string, Json> = {};
      if (s.family) body.family = s.family;
      if (s.addr) body.addr = s.addr.kind === 'map' ? valueJson(s.addr, undefined) : simpleJson(s.addr, undefined);
      if (s.port) body.port = simpleJson(s.port, 'inet_service');
      // nft -j prints one flag as a string, several as a list.
      if (s.flags.length > 0) body.flags = s.flags.length === 1 ? s.flags[0] : s.flags;
      return { [s.type]: Object.keys(body).length > 0 ? body : null };
    }
  }
}

/** The `expr` array of a rule from its nft-syntax text (and the text itself when it does not parse). */
export function ruleExprJson(text: string, family: TableFamily): { expr: Json[]; unparsed?: string } {
  try {
    const { body } = parseRuleText(text);
    return { expr: body.statements.map((s) => statementJson(s, family)) };
  } catch (err) {
    if (err instanceof ParseError) return { expr: [], unparsed: text };
    throw err;
  }
}
