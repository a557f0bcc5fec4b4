/**
 * lookup: is the key in a register an element of a set? With a destination register the set
 * is a map and the element's data is loaded (register 0: a verdict map). Anonymous sets made
 * in the same batch are named by `setId`. `[ lookup reg 1 set __set%d dreg 1 ]`.
 */
import { defineAttributeSet } from '../../netlink/attribute-set.js';
import { cstring, u32be } from '../../netlink/fields.js';
import { checkedFlagsOf } from './checked-flags.js';
import { LookupFlags, NftaLookup } from './constants.js';
import { defineExpression, flagBits, hex, words, type ExpressionOf } from './definition.js';
import { registerCodec } from './registers.js';

export const lookup = defineExpression({
  name: 'lookup',
  data: defineAttributeSet('lookup', {
    sreg: { type: NftaLookup.NFTA_LOOKUP_SREG, codec: registerCodec }, // NFTA_LOOKUP_SREG
    dreg: { type: NftaLookup.NFTA_LOOKUP_DREG, codec: registerCodec }, // NFTA_LOOKUP_DREG (maps)
    set: { type: NftaLookup.NFTA_LOOKUP_SET, codec: cstring }, // NFTA_LOOKUP_SET
    setId: { type: NftaLookup.NFTA_LOOKUP_SET_ID, codec: u32be }, // NFTA_LOOKUP_SET_ID
    flags: { type: NftaLookup.NFTA_LOOKUP_FLAGS, codec: checkedFlagsOf(u32be, LookupFlags) }, // NFTA_LOOKUP_FLAGS
  }),
  describe: (v) =>
    words(
      `reg ${v.sreg ?? 0} set ${v.set ?? '(null)'}`,
      v.dreg !== undefined && `dreg ${v.dreg}`,
      v.flags !== undefined && hex(flagBits(v.flags, LookupFlags)),
    ),
  validate: (v) => (v.sreg === undefined ? 'missing sreg' : v.set === undefined && v.setId === undefined ? 'needs set or setId' : undefined),
});
export type LookupExpression = ExpressionOf<typeof lookup>;
