/**
 * Tokens of nft's language. Addresses, numbers, durations and names are all `word`s (the
 * datatype they must have is only known from context, as in nft, where they are all strings
 * until evaluated); quoted text is a `string`; the rest is punctuation. A word is the longest
 * of the forms that make sense here: an IPv6 or MAC address (with colons), a number-like word
 * (`10.0.0.1`, `0x10`, `30s`), or a name (`ip`, `port-unreachable`, `v-net-0`, `eth*`).
 */
import { ipFamilyOf } from '../../netlink/addresses.js';
import { ParseError, type Source, type Span } from './errors.js';

export type TokenKind = 'word' | 'string' | 'punct' | 'newline' | 'eof';

export interface Token extends Span {
  kind: TokenKind;
  /** The word, the string without quotes, or the punctuation. */
  text: string;
}

/** Multi-character operators first, so `!=` is not `!` then `=`. */
const OPERATORS = ['!=', '==', '<=', '>=', '<<', '>>', '{', '}', '(', ')', '[', ']', ';', ',', ':', '.', '/', '-', '=', '<', '>', '!', '@', '$', '&', '|', '^', '*', '+'];

const NAME = /^[A-Za-z_][A-Za-z0-9_\-]*\*?/;
const NUMBERISH = /^[0-9][A-Za-z0-9_.]*/;
/** Hex digits, colons and (for an IPv4 tail) dots: an IPv6 or MAC address candidate. */
const COLONISH = /^[0-9A-Fa-f:][0-9A-Fa-f:.]*/;
/** An Ethernet address: six groups, so `80:10` in `{ 80:10.0.0.2 }` is not taken for one. */
const MAC = /^[0-9A-Fa-f]{1,2}(:[0-9A-Fa-f]{1,2}){5}$/;
const PRINTABLE = /^[\x20-\x7e]$/;

/** The longest prefix of `candidate` (cut at a colon) that is an IPv6 or MAC address. */
function addressPrefix(candidate: string): string | undefined {
  for (let end = candidate.length; end > 0; end--) {
    const text = candidate.slice(0, end);
    if (!text.includes(':')) return undefined;
    if (ipFamilyOf(text) === 6 || MAC.test(text)) return text;
  }
  return undefined;
}

/** Split `text` into tokens. @throws ParseError for an unterminated string or a stray character. */
export function tokenize(source: Source): Token[] {
  const text = source.text;
  const out: Token[] = [];
  let i = 0;
  while (i < text.length) {
    const c = text[i]!;
    if (c === '\n') {
      out.push({ kind: 'newline', text: '\n', start: i, end: i + 1 });
      i++;
      continue;
    }
    if (c === ' ' || c === '\t' || c === '\r') {
      i++;
      continue;
    }
    if (c === '\\' && text[i + 1] === '\n') {
      // A line continuation, as in nft files.
      i += 2;
      continue;
    }
    if (c === '#') {
      while (i < text.length && text[i] !== '\n') i++;
      continue;
    }
    if (c === '"') {
      const close = text.indexOf('"', i + 1);
      const newline = text.indexOf('\n', i + 1);
      if (close < 0 || (newline >= 0 && newline < close)) throw new ParseError('unterminated string', source, { start: i, end: newline < 0 ? text.length : newline });
      out.push({ kind: 'string', text: text.slice(i + 1, close), start: i, end: close + 1 });
      i = close + 1;
      continue;
    }
    const rest = text.slice(i, i + 64);
    const colonish = COLONISH.exec(rest)?.[0];
    const address = colonish !== undefined && colonish.includes(':') ? addressPrefix(colonish) : undefined;
    const word = address ?? NUMBERISH.exec(rest)?.[0] ?? NAME.exec(rest)?.[0];
    if (word !== undefined) {
      // A name may be longer than the address-looking start of it (`deadbeef-1` is a name).
      const name = NAME.exec(rest)?.[0];
      const chosen = name !== undefined && name.length > word.length ? name : word;
      out.push({ kind: 'word', text: chosen, start: i, end: i + chosen.length });
      i += chosen.length;
      continue;
    }
    const op = OPERATORS.find((o) => text.startsWith(o, i));
    if (op) {
      out.push({ kind: 'punct', text: op, start: i, end: i + op.length });
      i += op.length;
      continue;
    }
    const shown = PRINTABLE.test(c) ? `'${c}'` : `character 0x${c.charCodeAt(0).toString(16).padStart(2, '0')}`;
    throw new ParseError(`syntax error, unexpected ${shown}`, source, { start: i, end: i + 1 });
  }
  out.push({ kind: 'eof', text: '', start: text.length, end: text.length });
  return out;
}
