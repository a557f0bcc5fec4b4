/**
 * A cursor over the tokens of one input, with nft's `$variable` substitution (`define`) and
 * errors that point at the token at hand.
 */
import { ParseError, type Source, type Span } from './errors.js';
import { tokenize, type Token } from './lexer.js';

/** What ends a statement list: end of input, a new line, `;` or a closing brace. */
const STATEMENT_END = new Set([';', '}']);

export class TokenStream {
  private readonly tokens: Token[];
  private pos = 0;
  /** `define NAME = …` values, as token lists, substituted for `$NAME`. */
  readonly defines = new Map<string, Token[]>();
  /** Newlines are skipped outside blocks where they end statements (inside `{ … }` of sets). */
  private newlinesSignificant = true;

  constructor(readonly source: Source) {
    this.tokens = tokenize(source);
  }

  /** The token `ahead` positions on (after `$variable` substitution). */
  peek(ahead = 0): Token {
    this.expandVariable(this.pos);
    let i = this.pos;
    let seen = 0;
    for (;;) {
      const t = this.tokens[i] ?? this.tokens[this.tokens.length - 1]!;
      if (t.kind === 'eof') return t;
      if (t.kind === 'newline' && !this.newlinesSignificant) {
        i++;
        continue;
      }
      if (seen === ahead) return t;
      seen++;
      i++;
      this.expandVariable(i);
    }
  }

  next(): Token {
    const t = this.peek();
    this.pos = this.tokens.indexOf(t, this.pos) + (t.kind === 'eof' ? 0 : 1);
    return t;
  }

  /** Where the last consumed token ended (for spans). */
  get lastEnd(): number {
    for (let i = this.pos - 1; i >= 0; i--) if (this.tokens[i]!.kind !== 'newline') return this.tokens[i]!.end;
    return 0;
  }

  private expandVariable(at: number): void {
    const t = this.tokens[at];
    if (!t || t.kind !== 'punct' || t.text !== '$') return;
    const name = this.tokens[at + 1];
    if (!name || name.kind !== 'word' || name.start !== t.end) throw new ParseError('syntax error, expected a variable name after $', this.source, t);
    const value = this.defines.get(name.text);
    if (!value) throw new ParseError(`unknown identifier '${name.text}'`, this.source, { start: t.start, end: name.end });
    this.tokens.splice(at, 2, ...value);
  }

  /** Run `fn` with newlines treated as blanks (inside braces of a set literal). */
  withNewlinesIgnored<T>(fn: () => T): T {
    const before = this.newlinesSignificant;
    this.newlinesSignificant = false;
    try {
      return fn();
    } finally {
      this.newlinesSignificant = before;
    }
  }

  /** Whether the next token is the word (or one of the words) given. */
  isWord(...words: string[]): boolean {
    const t = this.peek();
    return t.kind === 'word' && (words.length === 0 || words.includes(t.text));
  }

  isPunct(...punct: string[]): boolean {
    const t = this.peek();
    return t.kind === 'punct' && punct.includes(t.text);
  }

  /** The end of a statement list: eof, newline, `;` or `}`. */
  atStatementEnd(): boolean {
    const t = this.peek();
    return t.kind === 'eof' || t.kind === 'newline' || (t.kind === 'punct' && STATEMENT_END.has(t.text));
  }

  /** Consume the word if it is next. */
  acceptWord(...words: string[]): Token | undefined {
    return this.isWord(...words) ? this.next() : undefined;
  }

  acceptPunct(...punct: string[]): Token | undefined {
    return this.isPunct(...punct) ? this.next() : undefined;
  }

  /** Skip newlines and `;` between statements or commands. */
  skipSeparators(): void {
    for (;;) {
      const t = this.tokens[this.pos];
      if (t && (t.kind === 'newline' || (t.kind === 'punct' && t.text === ';'))) this.pos++;
      else return;
    }
  }

  /** A word, or an error naming what was expected. */
  expectWord(what: string, ...words: string[]): Token {
    const t = this.peek();
    if (t.kind === 'word' && (words.length === 0 || words.includes(t.text))) return this.next();
    throw this.unexpected(t, what);
  }

  /** A word or a quoted string (names may be quoted). */
  expectName(what: string): Token {
    const t = this.peek();
    if (t.kind === 'word' || t.kind === 'string') return this.next();
    throw this.unexpected(t, what);
  }

  expectString(what: string): Token {
    const t = this.peek();
    if (t.kind === 'string') return this.next();
    throw this.unexpected(t, what);
  }

  expectPunct(punct: string): Token {
    const t = this.peek();
    if (t.kind === 'punct' && t.text === punct) return this.next();
    throw this.unexpected(t, `'${punct}'`);
  }

  /** nft's wording: `syntax error, unexpected X, expecting Y`. */
  unexpected(t: Token, expected?: string): ParseError {
    const what = t.kind === 'eof' ? 'end of input' : t.kind === 'newline' ? 'newline' : t.kind === 'string' ? `"${t.text}"` : `'${t.text}'`;
    const span = t.kind === 'eof' ? { start: t.start, end: t.start + 1 } : t;
    return new ParseError(`syntax error, unexpected ${what}${expected ? `, expecting ${expected}` : ''}`, this.source, span);
  }

  error(reason: string, span: Span, context: readonly Span[] = []): ParseError {
    return new ParseError(reason, this.source, span, context);
  }

  /** A span from `start` to the end of the last consumed token. */
  spanFrom(start: number): Span {
    return { start, end: Math.max(start, this.lastEnd) };
  }
}
