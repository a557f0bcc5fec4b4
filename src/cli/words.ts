/**
 * Splitting a command line into words, for batch files and the REPL: whitespace separates,
 * "double" and 'single' quotes group (so `alias "my link"` is two words), a backslash escapes
 * the next character, and a `#` at the start of a word begins a comment. Pure.
 */
import { UsageError } from './usage-error.js';

export function splitWords(line: string): string[] {
  const words: string[] = [];
  let word: string | undefined;
  let quote: '"' | "'" | undefined;
  for (let i = 0; i < line.length; i++) {
    const c = line[i]!;
    if (quote !== undefined) {
      if (c === quote) quote = undefined;
      else if (c === '\\' && quote === '"' && i + 1 < line.length) word += line[++i]!;
      else word += c;
      continue;
    }
    if (c === '#' && word === undefined) break;
    if (/\s/.test(c)) {
      if (word !== undefined) words.push(word);
      word = undefined;
    } else if (c === '"' || c === "'") {
      quote = c;
      word ??= '';
    } else if (c === '\\' && i + 1 < line.length) word = (word ?? '') + line[++i]!;
    else word = (word ?? '') + c;
  }
  if (quote !== undefined) throw new UsageError(`unterminated ${quote === '"' ? 'double' : 'single'} quote`);
  if (word !== undefined) words.push(word);
  return words;
}
