/**
 * notrack: do not track this packet's connection (raw priority, prerouting or output). It has
 * no attributes. `[ notrack ]`.
 */
import { defineAttributeSet } from '../../netlink/attribute-set.js';
import { defineExpression, type ExpressionOf } from './definition.js';

export const notrack = defineExpression({
  name: 'notrack',
  data: defineAttributeSet('notrack', {}),
  // libnftnl sends no NFTA_EXPR_DATA at all for an expression without attributes to build.
  noData: true,
  describe: () => '',
});
export type NotrackExpression = ExpressionOf<typeof notrack>;
