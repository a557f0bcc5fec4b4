/**
 * Errors of the nft-syntax parser and compiler. A ParseError points at the offending part of
 * the input (a character range of one source line), so it can be shown the way nft shows its
 * errors: the line, then carets under the part at fault.
 *
 *   Error: conflicting protocols specified: udp vs. tcp
 *   add rule ip t filt ip protocol udp tcp dport 22
 *                                      ^^^^^^^^^
 *
 * It is a ValidationError (nothing was sent to the kernel), so callers that only know the core
 * error classes still handle it.
 */
import { ValidationError } from '../../netlink/errors.js';

/** A character range of the input: [start, end) offsets into `Source.text`. */
export interface Span {
  start: number;
  end: number;
}

/** The text a span refers to: a command line, or a whole `-f` file (with its name). */
export interface Source {
  text: string;
  /** File name for `-f` input (errors then say `FILE:LINE:COL`). */
  name?: string;
}

/** The line of `source` containing `offset`, and where it starts (0-based line number). */
export function lineAt(source: Source, offset: number): { line: number; start: number; text: string } {
  const text = source.text;
  const at = Math.max(0, Math.min(offset, text.length));
  const start = text.lastIndexOf('\n', at - 1) + 1;
  const endOfLine = text.indexOf('\n', at);
  const line = text.slice(0, start).split('\n').length - 1;
  return { line, start, text: text.slice(start, endOfLine < 0 ? text.length : endOfLine) };
}

/** Tabs keep their width under carets; every other character becomes a space. */
function pad(prefix: string): string {
  return prefix.replace(/[^\t]/g, ' ');
}

/**
 * The two lines nft prints under an error: the source line and `^^^` under `span` (clipped to
 * that line). `context` spans (nft's `~~~`) mark related tokens, e.g. the statement a bad
 * argument belongs to.
 */
export function caretLines(source: Source, span: Span, context: readonly Span[] = []): [string, string] {
  const { start, text } = lineAt(source, span.start);
  const marks = new Array<string>(text.length).fill(' ');
  const mark = (s: Span, ch: string): void => {
    for (let i = Math.max(s.start, start); i < Math.min(s.end, start + text.length); i++) marks[i - start] = ch;
  };
  for (const c of context) mark(c, '~');
  mark({ start: span.start, end: Math.max(span.end, span.start + 1) }, '^');
  if (span.start - start >= text.length) marks.push('^');
  const last = marks.length - [...marks].reverse().findIndex((m) => m !== ' ');
  const caret = marks.slice(0, last).map((m, i) => (m === ' ' ? pad(text[i] ?? ' ') : m)).join('');
  return [text, caret];
}

/** Input that does not parse or compile. Nothing was sent to the kernel. */
export class ParseError extends ValidationError {
  override name = 'ParseError';
  /** What is wrong, without the location (nft's error text). */
  readonly reason: string;
  readonly source: Source;
  readonly span: Span;
  /** Related spans, underlined with `~` (nft marks the statement an argument belongs to). */
  readonly context: readonly Span[];

  constructor(reason: string, source: Source, span: Span, context: readonly Span[] = []) {
    const where = lineAt(source, span.start);
    const column = span.start - where.start + 1;
    const location = source.name !== undefined ? `${source.name}:${where.line + 1}:${column}-${column + Math.max(0, span.end - span.start - 1)}: ` : '';
    super('nft', `${location}${reason}`, source.text.slice(span.start, span.end));
    this.message = `${location}${reason}`;
    this.reason = reason;
    this.source = source;
    this.span = span;
    this.context = context;
  }

  /** 1-based line and column of the error. */
  get position(): { line: number; column: number } {
    const where = lineAt(this.source, this.span.start);
    return { line: where.line + 1, column: this.span.start - where.start + 1 };
  }

  /** The source line the error is on. */
  get sourceLine(): string {
    return caretLines(this.source, this.span, this.context)[0];
  }

  /** Carets under the offending part of {@link sourceLine}. */
  get caretLine(): string {
    return caretLines(this.source, this.span, this.context)[1];
  }

  /** nft's three-line form: `Error: …`, the line, the carets. */
  format(): string {
    const [line, carets] = caretLines(this.source, this.span, this.context);
    return `Error: ${this.message}\n${line}\n${carets}`;
  }
}
