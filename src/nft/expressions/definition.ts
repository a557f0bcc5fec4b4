/**
 * What every expression module exports: its kernel name, its NFTA_EXPR_DATA attribute set and
 * how `nft --debug=netlink` (libnftnl's default output) describes it. The typed value of an
 * expression is `{ type: name } & the decoded attributes`, so the type, the decoder and the
 * encoder all derive from the one attribute table.
 */
import type { AttributeSet, AttributeSpecs, AttributeValues } from '../../netlink/attribute-set.js';

export interface ExpressionDefinition<N extends string = string, S extends AttributeSpecs = AttributeSpecs> {
  /** The kernel's NFTA_EXPR_NAME, e.g. `payload`. */
  readonly name: N;
  /** The attributes inside NFTA_EXPR_DATA (NFTA_PAYLOAD_* …), declared in libnftnl's build order. */
  readonly data: AttributeSet<S>;
  /**
   * The text libnftnl prints between `[ name ` and `]` (an empty string for none). Absent
   * attributes print as libnftnl prints its zero-initialised fields.
   */
  describe(value: AttributeValues<S>): string;
  /** nft sends no NFTA_EXPR_DATA for this expression (not even an empty one) when it has no attributes. */
  readonly noData?: boolean;
  /**
   * Checks across attributes (each attribute's codec checks itself); an error text or
   * undefined. It must look only at which attributes are present (`!== undefined`), never at
   * their values: decoding keeps its verdict per set of present attributes (expression-layout.ts),
   * and a test holds every definition to this.
   */
  validate?(value: AttributeValues<S>): string | undefined;
}

/** Declare an expression (an identity function that fixes the literal types). */
export function defineExpression<const N extends string, S extends AttributeSpecs>(definition: ExpressionDefinition<N, S>): ExpressionDefinition<N, S> {
  return definition;
}

/** The typed value of an expression definition: `{ type: 'payload', base: 'network', … }`. */
export type ExpressionOf<D> = D extends ExpressionDefinition<infer N, infer S> ? { type: N } & AttributeValues<S> : never;

/** Join the non-empty parts of a description with single spaces, as libnftnl's fields are. */
export function words(...parts: Array<string | false | undefined>): string {
  return parts.filter((p): p is string => typeof p === 'string' && p !== '').join(' ');
}

/** A value that may be an enum name or an unknown number, as libnftnl prints it. */
export function nameOr(value: string | number | undefined, unknown = 'unknown'): string {
  return typeof value === 'string' ? value : unknown;
}

/** A flags value as a number, for `flags 0x…` (names resolved through `table`). */
export function flagBits(value: ReadonlyArray<string | number> | undefined, table: Record<string, number>): number {
  let n = 0;
  for (const f of value ?? []) n |= typeof f === 'number' ? f : (table[f] ?? 0);
  return n >>> 0;
}

/** `0x1f` (libnftnl's `0x%x`). */
export function hex(n: number): string {
  return `0x${(n >>> 0).toString(16)}`;
}

/** Required attributes that are missing, as an error text. */
export function requireKeys(value: Record<string, unknown>, keys: readonly string[]): string | undefined {
  // Checked for every expression encoded: no array unless something is missing.
  for (const k of keys) {
    if (value[k] === undefined) return `missing ${keys.filter((key) => value[key] === undefined).join(', ')}`;
  }
  return undefined;
}
