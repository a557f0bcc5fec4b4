/**
 * Parsing selectors (`ip saddr`, `meta mark`, `ct original ip saddr`, `fib daddr type`,
 * `ip saddr . tcp dport`) and values (`10.0.0.0/8`, `80-90`, `established,related`,
 * `{ 22, 80 : 10.0.0.2 }`, `@name`, `tcp dport map { … }`).
 */
import type { CtKeyName } from '../expressions/constants.js';
import { HEADER_PROTOCOLS } from '../render/fields.js';
import type {
  ConcatSelector, ConcatValue, FibKey, FibResultName, MapLookupValue, SelectorNode, SetElementNode, SetLiteral, SetReference,
  SimpleValue, ValueNode, VerdictName, VerdictValue, WordValue,
} from './ast.js';
import type { Token } from './lexer.js';
import { CT_KEY_BY_NAME, META_KEY_BY_NAME, UNQUALIFIED_META_KEYS, fieldNames, isHeaderProtocol, startsSelector, VERDICTS } from './names.js';
import { parseDuration } from './units.js';
import type { TokenStream } from './token-stream.js';

const FIB_KEYS: readonly FibKey[] = ['saddr', 'daddr', 'mark', 'iif', 'oif'];
const FIB_RESULTS: readonly FibResultName[] = ['type', 'oif', 'oifname'];

function word(t: Token): WordValue {
  return { kind: 'word', text: t.text, quoted: t.kind === 'string', span: { start: t.start, end: t.end } };
}

/**
 * Whether the next tokens are a selector. `tcp` alone is a value (`meta l4proto tcp`), `tcp
 * dport` a selector: a protocol name only starts one when one of its fields follows.
 */
export function atSelector(s: TokenStream): boolean {
  const t = s.peek();
  if (t.kind !== 'word' || !startsSelector(t.text)) return false;
  if (!isHeaderProtocol(t.text)) return true;
  const f = s.peek(1);
  return f.kind === 'word' && Object.hasOwn(HEADER_PROTOCOLS[t.text].fields, f.text);
}

function parseOneSelector(s: TokenStream): Exclude<SelectorNode, ConcatSelector> {
  const first = s.next();
  const start = first.start;
  if (isHeaderProtocol(first.text)) {
    const f = s.peek();
    const fields = HEADER_PROTOCOLS[first.text].fields as Record<string, unknown>;
    if (f.kind !== 'word' || !Object.hasOwn(fields, f.text)) throw s.unexpected(f, `a ${first.text} field (${fieldNames(first.text).join(', ')})`);
    s.next();
    return { kind: 'payload', protocol: first.text, field: f.text, span: s.spanFrom(start) };
  }
  if (first.text === 'meta') {
    const k = s.peek();
    const key = k.kind === 'word' ? META_KEY_BY_NAME.get(k.text) : undefined;
    if (!key) throw s.unexpected(k, `a meta key (${[...META_KEY_BY_NAME.keys()].join(', ')})`);
    s.next();
    return { kind: 'meta', key, span: s.spanFrom(start) };
  }
  if (UNQUALIFIED_META_KEYS.has(first.text)) {
    return { kind: 'meta', key: META_KEY_BY_NAME.get(first.text)!, span: s.spanFrom(start) };
  }
  if (first.text === 'ct') {
    const direction = s.acceptWord('original', 'reply')?.text as 'original' | 'reply' | undefined;
    let name = s.expectWord(`a ct key (${[...CT_KEY_BY_NAME.keys()].join(', ')})`).text;
    if ((name === 'ip' || name === 'ip6') && s.isWord('saddr', 'daddr')) name = `${name} ${s.next().text}`;
    const key: CtKeyName | undefined = CT_KEY_BY_NAME.get(name);
    if (!key) throw s.error(`unknown ct key '${name}' (one of ${[...CT_KEY_BY_NAME.keys()].join(', ')})`, s.spanFrom(start));
    return { kind: 'ct', key, ...(direction ? { direction } : {}), span: s.spanFrom(start) };
  }
  // fib KEY [. KEY …] RESULT
  const keys: FibKey[] = [];
  do {
    const k = s.expectWord(`a fib key (${FIB_KEYS.join(', ')})`);
    if (!FIB_KEYS.includes(k.text as FibKey)) throw s.unexpected(k, `a fib key (${FIB_KEYS.join(', ')})`);
    keys.push(k.text as FibKey);
  } while (s.acceptPunct('.'));
  const r = s.expectWord(`a fib result (${FIB_RESULTS.join(', ')})`);
  if (!FIB_RESULTS.includes(r.text as FibResultName)) throw s.unexpected(r, `a fib result (${FIB_RESULTS.join(', ')})`);
  return { kind: 'fib', keys, result: r.text as FibResultName, span: s.spanFrom(start) };
}

/** A selector, or a concatenation of them (`ip saddr . tcp dport`). */
export function parseSelector(s: TokenStream): SelectorNode {
  const start = s.peek().start;
  const parts = [parseOneSelector(s)];
  while (s.isPunct('.') && (() => { const t = s.peek(1); return t.kind === 'word' && startsSelector(t.text); })()) {
    s.next();
    parts.push(parseOneSelector(s));
  }
  return parts.length === 1 ? parts[0]! : { kind: 'concat', parts, span: s.spanFrom(start) };
}

/** A word or quoted string value (`$variables` already substituted). */
function parseWord(s: TokenStream, what: string): WordValue {
  const t = s.peek();
  if (t.kind === 'word' || t.kind === 'string') return word(s.next());
  throw s.unexpected(t, what);
}

/**
 * One value: a word, `a/len`, `a-b`, or (with `allowList`) `a,b,c`. IPv6 addresses may be in
 * brackets (`[fd00::1]`), as in NAT targets.
 */
export function parseSimpleValue(s: TokenStream, allowList: boolean): SimpleValue {
  const start = s.peek().start;
  const first = parseBracketed(s);
  if (s.isPunct('/') && !first.quoted) {
    s.next();
    const len = s.expectWord('a prefix length');
    if (!/^\d+$/.test(len.text)) throw s.unexpected(len, 'a prefix length');
    return { kind: 'prefix', value: first, length: Number(len.text), span: s.spanFrom(start) };
  }
  if (s.isPunct('-') && !first.quoted) {
    s.next();
    const to = parseBracketed(s);
    return { kind: 'range', from: first, to, span: s.spanFrom(start) };
  }
  if (allowList && s.isPunct(',') && !first.quoted) {
    const items = [first];
    while (s.acceptPunct(',')) items.push(parseWord(s, 'a value'));
    return { kind: 'list', items, span: s.spanFrom(start) };
  }
  return first;
}

function parseBracketed(s: TokenStream): WordValue {
  const open = s.acceptPunct('[');
  if (!open) return parseWord(s, 'a value');
  const inner = parseWord(s, 'an IPv6 address');
  const close = s.expectPunct(']');
  return { ...inner, span: { start: open.start, end: close.end } };
}

/** `a . b . c` of simple values (a key of a concatenated type), or one simple value. */
function parseConcatValue(s: TokenStream, allowList: boolean): SimpleValue | ConcatValue {
  const start = s.peek().start;
  const parts = [parseSimpleValue(s, allowList)];
  while (s.acceptPunct('.')) parts.push(parseSimpleValue(s, allowList));
  return parts.length === 1 ? parts[0]! : { kind: 'concat', parts, span: s.spanFrom(start) };
}

function parseVerdictValue(s: TokenStream): VerdictValue {
  const t = s.expectWord(`a verdict (${VERDICTS.join(', ')})`, ...VERDICTS);
  const verdict = t.text as VerdictName;
  if (verdict === 'jump' || verdict === 'goto') {
    const chain = s.expectName('a chain name');
    return { kind: 'verdict', verdict, chain: chain.text, span: { start: t.start, end: chain.end } };
  }
  return { kind: 'verdict', verdict, span: { start: t.start, end: t.end } };
}

/** `{ e, e, … }`; `dataKind` says what follows `:` in a map (a value or a verdict). */
export function parseSetLiteral(s: TokenStream, dataKind: 'none' | 'value' | 'verdict' | 'any'): SetLiteral {
  const open = s.expectPunct('{');
  return s.withNewlinesIgnored(() => {
    const elements: SetElementNode[] = [];
    while (!s.isPunct('}')) {
      const start = s.peek().start;
      const key = parseConcatValue(s, false);
      const element: SetElementNode = { key, span: key.span };
      for (;;) {
        if (s.acceptWord('timeout')) element.timeout = parseDuration(s);
        else if (s.acceptWord('expires')) parseDuration(s);
        else if (s.acceptWord('comment')) element.comment = s.expectString('a quoted comment').text;
        else break;
      }
      if (s.isPunct(':')) {
        const colon = s.next();
        if (dataKind === 'none') throw s.error('a set has no values: use a map (`vmap` or `map`) for `key : value`', colon);
        const verdict = dataKind === 'verdict' || (dataKind === 'any' && s.isWord(...VERDICTS));
        element.data = verdict ? parseVerdictValue(s) : parseConcatValue(s, false);
      }
      element.span = s.spanFrom(start);
      elements.push(element);
      if (!s.acceptPunct(',')) break;
    }
    const close = s.expectPunct('}');
    return { kind: 'set', elements, span: { start: open.start, end: close.end } };
  });
}

function parseSetReference(s: TokenStream): SetReference {
  const at = s.expectPunct('@');
  const name = s.expectWord('a set name');
  return { kind: 'setref', name: name.text, span: { start: at.start, end: name.end } };
}

/** `SELECTOR map { … }` or `SELECTOR map @name`, the selector already parsed. */
export function parseMapLookup(s: TokenStream, key: SelectorNode): MapLookupValue {
  s.expectWord("'map'", 'map');
  const map = s.isPunct('@') ? parseSetReference(s) : parseSetLiteral(s, 'value');
  return { kind: 'map', key, map, span: { start: key.span.start, end: map.span.end } };
}

/**
 * The right side of a match, or (with `selectors`) the value of a `set` statement, which may
 * be another key (`meta mark set ct mark`) or a map lookup.
 */
export function parseValue(s: TokenStream, selectors = false): ValueNode {
  if (s.isPunct('{')) return parseSetLiteral(s, 'none');
  if (s.isPunct('@')) return parseSetReference(s);
  if (selectors && atSelector(s)) {
    const selector = parseSelector(s);
    if (s.isWord('map')) return parseMapLookup(s, selector);
    return { kind: 'selector', selector, span: selector.span };
  }
  return parseConcatValue(s, true);
}

/** The map of a `vmap` statement. */
export function parseVerdictMap(s: TokenStream): SetLiteral | SetReference {
  return s.isPunct('@') ? parseSetReference(s) : parseSetLiteral(s, 'verdict');
}
