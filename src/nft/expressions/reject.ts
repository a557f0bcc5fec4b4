/**
 * reject: drop the packet and answer with an ICMP error, an ICMPv6 error, a family-independent
 * "icmpx" code (inet, bridge, netdev) or a TCP reset. `[ reject type 0 code 3 ]`.
 */
import { defineAttributeSet } from '../../netlink/attribute-set.js';
import { enumOf, u32be, u8 } from '../../netlink/fields.js';
import { NftaReject, RejectType } from './constants.js';
import { defineExpression, type ExpressionOf } from './definition.js';

export const reject = defineExpression({
  name: 'reject',
  data: defineAttributeSet('reject', {
    rejectType: { type: NftaReject.NFTA_REJECT_TYPE, codec: enumOf(u32be, RejectType) }, // NFTA_REJECT_TYPE (`type` is the expression's own key)
    code: { type: NftaReject.NFTA_REJECT_ICMP_CODE, codec: u8 }, // NFTA_REJECT_ICMP_CODE (ICMP, ICMPv6 or icmpx code)
  }),
  describe(v) {
    const type = v.rejectType === undefined ? 0 : typeof v.rejectType === 'number' ? v.rejectType : RejectType[v.rejectType];
    return `type ${type} code ${v.code ?? 0}`;
  },
  validate: (v) => (v.rejectType === undefined ? 'missing rejectType' : undefined),
});
export type RejectExpression = ExpressionOf<typeof reject>;
