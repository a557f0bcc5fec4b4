/**
 * The declarations inside braces, shared by commands and nft -f blocks: a table's `flags` and
 * `comment`, a chain's `type … hook … priority …; policy …;`, a set's or map's `type`, `flags`,
 * `timeout`, `size`, `policy`, `comment` and `elements = { … }`; and rule handles.
 */
import type { ChainOptions, SetOptions, TableOptions } from './ast.js';
import { parseSetLiteral } from './parse-values.js';
import type { TokenStream } from './token-stream.js';
import { parseDuration, parseInteger } from './units.js';

const U64_MAX = 2n ** 64n - 1n;
const U32_MAX = 0xffffffffn;

/** `handle N` (handles start at 1). */
export function handleOf(s: TokenStream): bigint {
  s.expectWord("'handle'", 'handle');
  const n = parseInteger(s, 'a handle number', U64_MAX);
  if (n === 0n) throw s.error('handles start at 1', s.spanFrom(s.lastEnd - 1));
  return n;
}

/** Statements inside `{ … }` of a table, chain or set: `flags …;`, `type …;` … Returns at `}`. */
export function blockItems(s: TokenStream, item: () => void): void {
  s.expectPunct('{');
  for (;;) {
    s.skipSeparators();
    if (s.acceptPunct('}')) return;
    if (s.peek().kind === 'eof') throw s.unexpected(s.peek(), "'}'");
    item();
  }
}

function words(s: TokenStream, what: string): string[] {
  const out = [s.expectWord(what).text];
  while (s.acceptPunct(',')) out.push(s.expectWord(what).text);
  return out;
}

export function parseTableItem(s: TokenStream, options: TableOptions): boolean {
  if (s.acceptWord('flags')) options.flags = words(s, 'a table flag (dormant, owner, persist)');
  else if (s.acceptWord('comment')) options.comment = s.expectString('a quoted comment').text;
  else return false;
  return true;
}

export function parseChainItem(s: TokenStream, options: ChainOptions): boolean {
  if (s.acceptWord('type')) {
    options.type = s.expectWord('a chain type (filter, nat, route)').text;
    s.expectWord("'hook'", 'hook');
    options.hook = s.expectWord('a hook name').text;
    if (s.acceptWord('device')) options.device = s.expectName('a device name').text;
    s.expectWord("'priority'", 'priority');
    const start = s.peek().start;
    const negative = s.acceptPunct('-') !== undefined;
    const p = s.expectWord('a priority (a number or a name such as filter, srcnat)');
    let base: string | number = p.text;
    if (/^\d+$/.test(p.text)) base = (negative ? -1 : 1) * Number(p.text);
    else if (negative) throw s.unexpected(p, 'a number');
    let offset = 0;
    const sign = typeof base === 'string' ? s.acceptPunct('+', '-') : undefined;
    if (sign) offset = (sign.text === '-' ? -1 : 1) * Number(parseInteger(s, 'a priority offset', U32_MAX));
    options.priority = { base, offset, span: s.spanFrom(start) };
  } else if (s.acceptWord('policy')) {
    options.policy = s.expectWord("'accept' or 'drop'", 'accept', 'drop').text as 'accept' | 'drop';
  } else if (s.acceptWord('comment')) {
    options.comment = s.expectString('a quoted comment').text;
  } else {
    return false;
  }
  return true;
}

function datatypes(s: TokenStream): string[] {
  const out = [s.expectWord('a datatype (ipv4_addr, inet_service …)').text];
  while (s.acceptPunct('.')) out.push(s.expectWord('a datatype').text);
  return out;
}

function parseSetItem(s: TokenStream, options: SetOptions, map: boolean): void {
  const t = s.peek();
  if (s.acceptWord('type')) {
    options.key = datatypes(s);
    if (map) {
      s.expectPunct(':');
      options.data = datatypes(s);
    }
  } else if (s.acceptWord('typeof')) {
    throw s.error("'typeof' set declarations are not supported: declare the key with 'type' (e.g. type ipv4_addr)", t);
  } else if (s.acceptWord('flags')) options.flags = words(s, 'a set flag (constant, interval, timeout, dynamic)');
  else if (s.acceptWord('timeout')) options.timeout = parseDuration(s);
  else if (s.acceptWord('gc-interval')) options.gcInterval = parseDuration(s);
  else if (s.acceptWord('size')) options.size = Number(parseInteger(s, 'a size', U32_MAX));
  else if (s.acceptWord('policy')) options.policy = s.expectWord("'performance' or 'memory'", 'performance', 'memory').text as 'performance' | 'memory';
  else if (s.acceptWord('comment')) options.comment = s.expectString('a quoted comment').text;
  else if (s.acceptWord('elements')) {
    s.expectPunct('=');
    options.elements = parseSetLiteral(s, map ? 'any' : 'none').elements;
  } else throw s.unexpected(t, 'a set property (type, flags, timeout, size, policy, comment, elements)');
}

export function setOptions(s: TokenStream, map: boolean): SetOptions {
  const start = s.peek().start;
  const options: SetOptions = { span: { start, end: start } };
  blockItems(s, () => parseSetItem(s, options, map));
  options.span = s.spanFrom(start);
  return options;
}

/** A name (or handle) token, recording where it was written under `key`. */
