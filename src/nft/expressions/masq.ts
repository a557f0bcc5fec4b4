/**
 * masq: source NAT to the address of the outgoing interface (`masquerade`), optionally to a
 * port range held in registers. `[ masq proto_min reg 1 proto_max reg 2 flags 0x2 ]`.
 */
import { defineAttributeSet } from '../../netlink/attribute-set.js';
import { NftaMasq } from './constants.js';
import { defineExpression, words, type ExpressionOf } from './definition.js';
import { describeNatFlags, natFlagsCodec } from './nat-flags.js';
import { registerCodec } from './registers.js';

export const masq = defineExpression({
  name: 'masq',
  data: defineAttributeSet('masq', {
    flags: { type: NftaMasq.NFTA_MASQ_FLAGS, codec: natFlagsCodec }, // NFTA_MASQ_FLAGS (NF_NAT_RANGE_*)
    protoMin: { type: NftaMasq.NFTA_MASQ_REG_PROTO_MIN, codec: registerCodec }, // NFTA_MASQ_REG_PROTO_MIN
    protoMax: { type: NftaMasq.NFTA_MASQ_REG_PROTO_MAX, codec: registerCodec }, // NFTA_MASQ_REG_PROTO_MAX
  }),
  describe: (v) =>
    words(
      v.protoMin !== undefined && `proto_min reg ${v.protoMin}`,
      v.protoMax !== undefined && `proto_max reg ${v.protoMax}`,
      describeNatFlags(v.flags),
    ),
});
export type MasqExpression = ExpressionOf<typeof masq>;
