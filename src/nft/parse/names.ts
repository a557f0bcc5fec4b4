/**
 * The names the parser accepts, derived from the renderer's tables (render/fields.ts) so the
 * two directions cannot disagree: `meta length` is the key the renderer prints as `meta
 * length`, `ct original ip saddr` the one it prints that way.
 */
import type { CtKeyName, MetaKeyName } from '../expressions/constants.js';
import { CT_FIELDS, HEADER_PROTOCOLS, META_FIELDS, type HeaderProtocolName } from '../render/fields.js';

/** Meta keys by the name nft gives them (`length` → len, `random` → prandom). */
export const META_KEY_BY_NAME: ReadonlyMap<string, MetaKeyName> = new Map(
  Object.entries(META_FIELDS).map(([key, field]) => [field!.name, key as MetaKeyName]),
);

/** Meta keys nft accepts without the `meta` keyword (nft's meta_key_unqualified). */
export const UNQUALIFIED_META_KEYS: ReadonlySet<string> = new Set([
  'mark', 'iif', 'iifname', 'iiftype', 'oif', 'oifname', 'oiftype', 'skuid', 'skgid', 'nftrace', 'pkttype', 'cpu',
  'iifgroup', 'oifgroup', 'cgroup',
]);

/** Conntrack keys by nft name (`l3proto`, `proto-dst`, `ip saddr` …). */
export const CT_KEY_BY_NAME: ReadonlyMap<string, CtKeyName> = new Map(
  Object.entries(CT_FIELDS).map(([key, field]) => [field!.name, key as CtKeyName]),
);

/** Header protocols nft knows by name. */
export function isHeaderProtocol(word: string): word is HeaderProtocolName {
  return Object.hasOwn(HEADER_PROTOCOLS, word);
}

/** The field names of a header protocol, for error messages. */
export function fieldNames(protocol: HeaderProtocolName): string[] {
  return Object.keys(HEADER_PROTOCOLS[protocol].fields);
}

/** Words that start a selector (a key a rule can load). */
export function startsSelector(word: string): boolean {
  return isHeaderProtocol(word) || word === 'meta' || word === 'ct' || word === 'fib' || UNQUALIFIED_META_KEYS.has(word);
}

export const VERDICTS = ['accept', 'drop', 'return', 'continue', 'jump', 'goto'] as const;
