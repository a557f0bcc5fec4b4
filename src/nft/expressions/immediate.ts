/**
 * immediate: load a constant into a register, or set the verdict (register 0): accept, drop,
 * jump, goto, return, continue. `[ immediate reg 0 jump -> other ]`.
 */
import { defineAttributeSet } from '../../netlink/attribute-set.js';
import { NftaImmediate } from './constants.js';
import { dataCodec, describeData } from './data.js';
import { defineExpression, requireKeys, words, type ExpressionOf } from './definition.js';
import { registerCodec } from './registers.js';

/** Attributes every value must have (a constant: validate runs for every expression encoded or decoded). */
const REQUIRED = ['dreg', 'data'];

export const immediate = defineExpression({
  name: 'immediate',
  data: defineAttributeSet('immediate', {
    dreg: { type: NftaImmediate.NFTA_IMMEDIATE_DREG, codec: registerCodec }, // NFTA_IMMEDIATE_DREG
    data: { type: NftaImmediate.NFTA_IMMEDIATE_DATA, codec: dataCodec }, // NFTA_IMMEDIATE_DATA
  }),
  describe: (v) => words(`reg ${v.dreg ?? 0}`, describeData(v.data)),
  validate: (v) => requireKeys(v, REQUIRED),
});
export type ImmediateExpression = ExpressionOf<typeof immediate>;
