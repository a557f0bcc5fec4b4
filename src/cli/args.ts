/**
 * A cursor over the words of one command (`ip link add veth0 mtu 1400 …`), for parsers written
 * the way iproute2 reads its arguments: a keyword, then its value. Every failure is a
 * UsageError that names the command and the words at fault, and every value read is noted in
 * the TokenMap so later errors (ValidationError, kernel refusals) can name them too.
 */
import { findKeyword, type Keyword } from './keywords.js';
import { TokenMap } from './tokens.js';
import { UsageError } from './usage-error.js';

export class ArgReader {
  private pos = 0;
  readonly tokens = new TokenMap();

  /** `command` is how errors start, e.g. `ip link add`. */
  constructor(
    readonly command: string,
    private readonly words: readonly string[],
  ) {}

  get done(): boolean {
    return this.pos >= this.words.length;
  }

  peek(): string | undefined {
    return this.words[this.pos];
  }

  /** The next word; a UsageError naming `what` when there is none. */
  next(what = 'an argument'): string {
    const w = this.words[this.pos];
    if (w === undefined) throw this.error(`${what} is missing`);
    this.pos++;
    return w;
  }

  /** Every word not read yet (consumed). */
  rest(): string[] {
    const out = this.words.slice(this.pos);
    this.pos = this.words.length;
    return out;
  }

  /** If the next word selects one of `table`, consume it and return the keyword. */
  keyword<K extends Keyword>(table: readonly K[]): K | undefined {
    const k = findKeyword(this.peek(), table);
    if (k !== undefined) this.pos++;
    return k;
  }

  /**
   * The value after keyword `key` (already consumed); notes the words as typed (`me 5` for
   * `metric`, `peer mtu 1400`) under `fields`.
   */
  value(key: string, fields: string | readonly string[] = []): string {
    const typed = this.typedKey(key);
    const v = this.words[this.pos];
    if (v === undefined) throw this.error(`${typed}: needs a value`);
    this.pos++;
    this.tokens.note(fields, `${typed} ${v}`);
    return v;
  }

  /** An integer value for `key` in [min, max] (decimal or 0x hex, as iproute2 reads them). */
  integer(key: string, fields: string | readonly string[], min: number, max: number): number {
    const typed = this.typedKey(key);
    const text = this.value(key, fields);
    const n = parseInteger(text);
    if (n === undefined || n < min || n > max) throw this.fail(`${typed} ${text}`, `must be an integer from ${min} to ${max}`);
    return n;
  }

  /** `key` with its last word as the user typed it (the word just consumed, maybe abbreviated). */
  private typedKey(key: string): string {
    const typed = this.words[this.pos - 1];
    if (typed === undefined) return key;
    const space = key.lastIndexOf(' ');
    return space < 0 ? typed : `${key.slice(0, space)} ${typed}`;
  }

  /** A UsageError `command: words: reason`. */
  fail(words: string, reason: string): UsageError {
    return new UsageError(`${this.command}: ${words}: ${reason}`);
  }

  /** A UsageError `command: reason`. */
  error(reason: string): UsageError {
    return new UsageError(`${this.command}: ${reason}`);
  }

  /** The word at the cursor is not understood here. */
  unexpected(hint?: string): UsageError {
    const w = this.peek() ?? '';
    return this.fail(w, `unknown or unsupported argument${hint ? ` (${hint})` : ''}`);
  }
}

/** Decimal, or hex with 0x, as strtoul(…, 0) reads them; undefined if not an integer. */
export function parseInteger(text: string): number | undefined {
  if (/^[0-9]+$/.test(text)) return Number(text);
  if (/^0x[0-9a-f]+$/i.test(text)) return Number.parseInt(text.slice(2), 16);
  return undefined;
}
