/**
 * Keywords as iproute2 matches them: a word selects a keyword when it is the keyword, one of
 * its aliases, or an abbreviation of it at least `min` characters long; tables are searched in
 * order, so an earlier keyword wins a shared prefix (`ip a` is `address`, not `addrlabel`).
 * Which abbreviations each keyword takes was checked against iproute2 6.1 by running it: many
 * keywords (`dev`, `mtu`, `name`, `via` …) must be written in full there, and here too.
 */

export interface Keyword {
  /** The full keyword, e.g. `txqueuelen`. */
  name: string;
  /** Shortest abbreviation accepted; absent = the full word only. */
  min?: number;
  /** Other spellings accepted in full, e.g. `txqlen`, `qlen`. */
  aliases?: readonly string[];
}

/** Whether `word` selects keyword `k`. */
export function matchesKeyword(word: string, k: Keyword): boolean {
  if (word === k.name || k.aliases?.includes(word) === true) return true;
  if (k.min === undefined || word.length < k.min) return false;
  return word.length <= k.name.length && k.name.startsWith(word);
}

/** The first keyword of `table` that `word` selects. */
export function findKeyword<K extends Keyword>(word: string | undefined, table: readonly K[]): K | undefined {
  if (word === undefined || word === '') return undefined;
  return table.find((k) => matchesKeyword(word, k));
}

/** Shorthand for a keyword table entry. */
export function kw(name: string, min?: number, aliases?: readonly string[]): Keyword {
  const k: Keyword = { name };
  if (min !== undefined) k.min = min;
  if (aliases !== undefined) k.aliases = aliases;
  return k;
}
