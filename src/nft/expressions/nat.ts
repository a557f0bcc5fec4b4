/**
 * nat: source or destination NAT to the address (range) and port (range) held in registers,
 * with NF_NAT_RANGE_* flags (random, persistent, fully-random …).
 * `[ nat dnat ip addr_min reg 1 proto_min reg 2 flags 0x2 ]`.
 */
import { defineAttributeSet } from '../../netlink/attribute-set.js';
import { enumOf, u32be } from '../../netlink/fields.js';
import { NfProto } from '../constants.js';
import { NatType, NftaNat } from './constants.js';
import { defineExpression, nameOr, requireKeys, words, type ExpressionOf } from './definition.js';
import { describeNatFlags, natFlagsCodec } from './nat-flags.js';
import { registerCodec } from './registers.js';

/** Attributes every value must have (a constant: validate runs for every expression encoded or decoded). */
const REQUIRED = ['natType', 'family'];

export const nat = defineExpression({
  name: 'nat',
  data: defineAttributeSet('nat', {
    natType: { type: NftaNat.NFTA_NAT_TYPE, codec: enumOf(u32be, NatType) }, // NFTA_NAT_TYPE (`type` is the expression's own key)
    family: { type: NftaNat.NFTA_NAT_FAMILY, codec: enumOf(u32be, NfProto) }, // NFTA_NAT_FAMILY (NFPROTO_IPV4/IPV6)
    addrMin: { type: NftaNat.NFTA_NAT_REG_ADDR_MIN, codec: registerCodec }, // NFTA_NAT_REG_ADDR_MIN
    addrMax: { type: NftaNat.NFTA_NAT_REG_ADDR_MAX, codec: registerCodec }, // NFTA_NAT_REG_ADDR_MAX
    protoMin: { type: NftaNat.NFTA_NAT_REG_PROTO_MIN, codec: registerCodec }, // NFTA_NAT_REG_PROTO_MIN
    protoMax: { type: NftaNat.NFTA_NAT_REG_PROTO_MAX, codec: registerCodec }, // NFTA_NAT_REG_PROTO_MAX
    flags: { type: NftaNat.NFTA_NAT_FLAGS, codec: natFlagsCodec }, // NFTA_NAT_FLAGS (NF_NAT_RANGE_*)
  }),
  describe: (v) =>
    words(
      nameOr(v.natType),
      v.family === undefined || v.family === 'unspec' ? 'unknown' : nameOr(v.family),
      v.addrMin !== undefined && `addr_min reg ${v.addrMin}`,
      v.addrMax !== undefined && `addr_max reg ${v.addrMax}`,
      v.protoMin !== undefined && `proto_min reg ${v.protoMin}`,
      v.protoMax !== undefined && `proto_max reg ${v.protoMax}`,
      describeNatFlags(v.flags),
    ),
  validate: (v) => requireKeys(v, REQUIRED),
});
export type NatExpression = ExpressionOf<typeof nat>;
