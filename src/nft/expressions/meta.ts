/**
 * meta: load packet metadata (interface, mark, protocol …) into a register, or set the
 * writable ones (mark, priority, nftrace …) from a register. `[ meta load oifname => reg 1 ]`.
 */
import { defineAttributeSet } from '../../netlink/attribute-set.js';
import { enumOf, u32be } from '../../netlink/fields.js';
import { MetaKey, NftaMeta } from './constants.js';
import { defineExpression, nameOr, type ExpressionOf } from './definition.js';
import { registerCodec } from './registers.js';

export const meta = defineExpression({
  name: 'meta',
  data: defineAttributeSet('meta', {
    key: { type: NftaMeta.NFTA_META_KEY, codec: enumOf(u32be, MetaKey) }, // NFTA_META_KEY
    dreg: { type: NftaMeta.NFTA_META_DREG, codec: registerCodec }, // NFTA_META_DREG (load)
    sreg: { type: NftaMeta.NFTA_META_SREG, codec: registerCodec }, // NFTA_META_SREG (set)
  }),
  describe(v) {
    if (v.sreg !== undefined) return `set ${nameOr(v.key)} with reg ${v.sreg}`;
    if (v.dreg !== undefined) return `load ${nameOr(v.key)} => reg ${v.dreg}`;
    return '';
  },
  validate(v) {
    if (v.key === undefined) return 'missing key';
    return (v.sreg === undefined) === (v.dreg === undefined) ? 'needs exactly one of dreg (load) and sreg (set)' : undefined;
  },
});
export type MetaExpression = ExpressionOf<typeof meta>;
