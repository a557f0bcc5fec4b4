/**
 * redir: destination NAT to the local machine (`redirect`), optionally to a port range held in
 * registers. `[ redir proto_min reg 1 flags 0x2 ]`.
 */
import { defineAttributeSet } from '../../netlink/attribute-set.js';
import { NftaRedir } from './constants.js';
import { defineExpression, words, type ExpressionOf } from './definition.js';
import { describeNatFlags, natFlagsCodec } from './nat-flags.js';
import { registerCodec } from './registers.js';

export const redir = defineExpression({
  name: 'redir',
  data: defineAttributeSet('redir', {
    protoMin: { type: NftaRedir.NFTA_REDIR_REG_PROTO_MIN, codec: registerCodec }, // NFTA_REDIR_REG_PROTO_MIN
    protoMax: { type: NftaRedir.NFTA_REDIR_REG_PROTO_MAX, codec: registerCodec }, // NFTA_REDIR_REG_PROTO_MAX
    flags: { type: NftaRedir.NFTA_REDIR_FLAGS, codec: natFlagsCodec }, // NFTA_REDIR_FLAGS (NF_NAT_RANGE_*)
  }),
  describe: (v) =>
    words(
      v.protoMin !== undefined && `proto_min reg ${v.protoMin}`,
      v.protoMax !== undefined && `proto_max reg ${v.protoMax}`,
      describeNatFlags(v.flags),
    ),
});
export type RedirExpression = ExpressionOf<typeof redir>;
