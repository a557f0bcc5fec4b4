/**
 * range: match a register against an inclusive range (nft uses it for `!= 20-30`; `20-30`
 * itself becomes two cmp). `[ range neq reg 1 0x00001400 0x00001e00 ]`.
 */
import { defineAttributeSet } from '../../netlink/attribute-set.js';
import { enumOf, u32be } from '../../netlink/fields.js';
import { NftaRange, RangeOp } from './constants.js';
import { dataCodec, describeValue } from './data.js';
import { defineExpression, nameOr, requireKeys, words, type ExpressionOf } from './definition.js';
import { registerCodec } from './registers.js';

/** Attributes every value must have (a constant: validate runs for every expression encoded or decoded). */
const REQUIRED = ['sreg', 'op', 'from', 'to'];

export const range = defineExpression({
  name: 'range',
  data: defineAttributeSet('range', {
    sreg: { type: NftaRange.NFTA_RANGE_SREG, codec: registerCodec }, // NFTA_RANGE_SREG
    op: { type: NftaRange.NFTA_RANGE_OP, codec: enumOf(u32be, RangeOp) }, // NFTA_RANGE_OP
    from: { type: NftaRange.NFTA_RANGE_FROM_DATA, codec: dataCodec }, // NFTA_RANGE_FROM_DATA
    to: { type: NftaRange.NFTA_RANGE_TO_DATA, codec: dataCodec }, // NFTA_RANGE_TO_DATA
  }),
  describe: (v) => words(`${nameOr(v.op)} reg ${v.sreg ?? 0}`, describeValue(v.from?.value), describeValue(v.to?.value)),
  validate: (v) => requireKeys(v, REQUIRED),
});
export type RangeExpression = ExpressionOf<typeof range>;
