/**
 * dynset: add, update or delete the element keyed by a register in a set from the packet path
 * (`add @seen { ip saddr }`), with an optional timeout and stateful expressions attached to the
 * element (`update @flood { ip saddr limit rate 10/second }`).
 * `[ dynset add reg_key 1 set seen ]`.
 */
import { defineAttributeSet, lazy } from '../../netlink/attribute-set.js';
import type { FieldCodec } from '../../netlink/field.js';
import { binary, cstring, enumOf, u32be, u64be } from '../../netlink/fields.js';
import { checkedFlagsOf } from './checked-flags.js';
import { DynsetFlags, DynsetOp, NftaDynset } from './constants.js';
import { defineExpression, nameOr, requireKeys, words, type ExpressionOf } from './definition.js';
import { describeExpression, expressionCodec, expressionListCodec } from './expression.js';
import { registerCodec } from './registers.js';

/**
 * An expression nested in a dynset. Typed structurally (not as the Expression union) because
 * the union includes dynset itself; every Expression is one of these.
 */
export interface NestedExpression {
  type: string;
  [attribute: string]: unknown;
}

// Resolved on first use: expression.ts imports the registry, which imports this file.
const nestedExpression: FieldCodec<NestedExpression> = lazy((): FieldCodec<NestedExpression> => expressionCodec as unknown as FieldCodec<NestedExpression>);
const nestedExpressions: FieldCodec<NestedExpression[]> = lazy((): FieldCodec<NestedExpression[]> => expressionListCodec as unknown as FieldCodec<NestedExpression[]>);

/** Attributes every value must have (a constant: validate runs for every expression encoded or decoded). */
const REQUIRED = ['sregKey', 'op'];

export const dynset = defineExpression({
  name: 'dynset',
  data: defineAttributeSet('dynset', {
    sregKey: { type: NftaDynset.NFTA_DYNSET_SREG_KEY, codec: registerCodec }, // NFTA_DYNSET_SREG_KEY
    sregData: { type: NftaDynset.NFTA_DYNSET_SREG_DATA, codec: registerCodec }, // NFTA_DYNSET_SREG_DATA (maps)
    op: { type: NftaDynset.NFTA_DYNSET_OP, codec: enumOf(u32be, DynsetOp) }, // NFTA_DYNSET_OP
    timeout: { type: NftaDynset.NFTA_DYNSET_TIMEOUT, codec: u64be }, // NFTA_DYNSET_TIMEOUT (ms)
    set: { type: NftaDynset.NFTA_DYNSET_SET_NAME, codec: cstring }, // NFTA_DYNSET_SET_NAME
    setId: { type: NftaDynset.NFTA_DYNSET_SET_ID, codec: u32be }, // NFTA_DYNSET_SET_ID
    expr: { type: NftaDynset.NFTA_DYNSET_EXPR, codec: nestedExpression }, // NFTA_DYNSET_EXPR (one expression)
    expressions: { type: NftaDynset.NFTA_DYNSET_EXPRESSIONS, codec: nestedExpressions }, // NFTA_DYNSET_EXPRESSIONS (NFTA_LIST_ELEM each)
    flags: { type: NftaDynset.NFTA_DYNSET_FLAGS, codec: checkedFlagsOf(u32be, DynsetFlags) }, // NFTA_DYNSET_FLAGS
    pad: { type: NftaDynset.NFTA_DYNSET_PAD, codec: binary }, // NFTA_DYNSET_PAD
  }),
  describe(v): string {
    const nested = [...(v.expr ? [v.expr] : []), ...(v.expressions ?? [])];
    return words(
      `${nameOr(v.op)} reg_key ${v.sregKey ?? 0} set ${v.set ?? '(null)'}`,
      v.sregData !== undefined && `sreg_data ${v.sregData}`,
      v.timeout !== undefined && `timeout ${v.timeout}ms`,
      ...nested.map((e): string => `expr ${describeExpression(e as never)}`),
    );
  },
  validate: (v) => requireKeys(v, REQUIRED) ?? (v.set === undefined && v.setId === undefined ? 'needs set or setId' : undefined),
});
export type DynsetExpression = ExpressionOf<typeof dynset>;
