/**
 * cmp: compare a register with a constant; the rule stops unless the comparison holds.
 * `[ cmp eq reg 1 0x0100000a ]`.
 */
import { defineAttributeSet } from '../../netlink/attribute-set.js';
import { enumOf, u32be } from '../../netlink/fields.js';
import { CmpOp, NftaCmp } from './constants.js';
import { dataCodec, describeValue } from './data.js';
import { defineExpression, nameOr, requireKeys, words, type ExpressionOf } from './definition.js';
import { registerCodec } from './registers.js';

/** Attributes every value must have (a constant: validate runs for every expression encoded or decoded). */
const REQUIRED = ['sreg', 'op', 'data'];

export const cmp = defineExpression({
  name: 'cmp',
  data: defineAttributeSet('cmp', {
    sreg: { type: NftaCmp.NFTA_CMP_SREG, codec: registerCodec }, // NFTA_CMP_SREG
    op: { type: NftaCmp.NFTA_CMP_OP, codec: enumOf(u32be, CmpOp) }, // NFTA_CMP_OP
    data: { type: NftaCmp.NFTA_CMP_DATA, codec: dataCodec }, // NFTA_CMP_DATA
  }),
  describe: (v) => words(`${nameOr(v.op)} reg ${v.sreg ?? 0}`, describeValue(v.data?.value)),
  validate: (v) => requireKeys(v, REQUIRED),
});
export type CmpExpression = ExpressionOf<typeof cmp>;
