/**
 * ct: load a property of the packet's conntrack entry (state, status, mark, original/reply
 * addresses …), or set the writable ones (mark, labels, zone …).
 * `[ ct load state => reg 1 ]`, `[ ct load src_ip => reg 1 , dir original ]`.
 */
import { defineAttributeSet } from '../../netlink/attribute-set.js';
import { enumOf, u32be, u8 } from '../../netlink/fields.js';
import { CtDirection, CtKey, NftaCt } from './constants.js';
import { defineExpression, nameOr, words, type ExpressionOf } from './definition.js';
import { registerCodec } from './registers.js';

export const ct = defineExpression({
  name: 'ct',
  data: defineAttributeSet('ct', {
    key: { type: NftaCt.NFTA_CT_KEY, codec: enumOf(u32be, CtKey) }, // NFTA_CT_KEY
    dreg: { type: NftaCt.NFTA_CT_DREG, codec: registerCodec }, // NFTA_CT_DREG (load)
    direction: { type: NftaCt.NFTA_CT_DIRECTION, codec: enumOf(u8, CtDirection) }, // NFTA_CT_DIRECTION
    sreg: { type: NftaCt.NFTA_CT_SREG, codec: registerCodec }, // NFTA_CT_SREG (set)
  }),
  describe: (v) =>
    words(
      v.sreg !== undefined && `set ${nameOr(v.key)} with reg ${v.sreg}`,
      v.dreg !== undefined && `load ${nameOr(v.key)} => reg ${v.dreg}`,
      v.direction !== undefined && `, dir ${nameOr(v.direction)}`,
    ),
  validate(v) {
    if (v.key === undefined) return 'missing key';
    return (v.sreg === undefined) === (v.dreg === undefined) ? 'needs exactly one of dreg (load) and sreg (set)' : undefined;
  },
});
export type CtExpression = ExpressionOf<typeof ct>;
