/**
 * The compiler's intermediate form: a rule as a list of lowered statements, before register
 * allocation. Payload matches against a constant stay symbolic so adjacent ones can be merged
 * the way nft merges them (merge.ts); everything else already knows its expressions.
 */
import type { Expression } from '../../expressions/expression.js';
import type { Span } from '../errors.js';
import type { PayloadPlace } from './keys.js';

/** `payload load … ; cmp eq|neq …` on a whole header field (or adjacent fields, once merged). */
export interface PayloadMatchIr {
  kind: 'payload-match';
  place: PayloadPlace;
  op: 'eq' | 'neq';
  value: Uint8Array;
  /** Added by the compiler for a dependency (not written by the user). */
  dependency?: boolean;
  /** A trimmed prefix match (`ip saddr 10.0.0.0/8`) is not a constant match to nft: never merged. */
  prefix?: boolean;
  span: Span;
}

/** Any other statement, with its expressions (registers allocated from reg 1). */
export interface ExpressionsIr {
  kind: 'exprs';
  /**
   * Not a match (counter, NAT, a verdict …): nft does not merge payload matches across it
   * (once it has two or more to merge; see merge.ts).
   */
  fence: boolean;
  build(): Expression[];
  span: Span;
}

export type Ir = PayloadMatchIr | ExpressionsIr;
