/**
 * quota: match until a byte budget is consumed (`inv`: only once it is).
 * `[ quota bytes 104857600 consumed 0 flags 0 ]`.
 *
 * The attributes are those of the quota object (../object.ts), declared again here in the
 * order libnftnl writes them for the expression (bytes, consumed, flags), so a value built in
 * code encodes to the same bytes as nft's.
 */
import { defineAttributeSet } from '../../netlink/attribute-set.js';
import { binary, u32be, u64be } from '../../netlink/fields.js';
import { checkedFlagsOf } from './checked-flags.js';
import { NftaQuota, NftQuotaFlags } from '../constants.js';
import { defineExpression, flagBits, type ExpressionOf } from './definition.js';

export const quota = defineExpression({
  name: 'quota',
  data: defineAttributeSet('quota', {
    bytes: { type: NftaQuota.NFTA_QUOTA_BYTES, codec: u64be }, // NFTA_QUOTA_BYTES
    consumed: { type: NftaQuota.NFTA_QUOTA_CONSUMED, codec: u64be }, // NFTA_QUOTA_CONSUMED
    flags: { type: NftaQuota.NFTA_QUOTA_FLAGS, codec: checkedFlagsOf(u32be, NftQuotaFlags) }, // NFTA_QUOTA_FLAGS
    pad: { type: NftaQuota.NFTA_QUOTA_PAD, codec: binary }, // NFTA_QUOTA_PAD
  }),
  describe: (v) => `bytes ${v.bytes ?? 0n} consumed ${v.consumed ?? 0n} flags ${flagBits(v.flags, NftQuotaFlags)}`,
});
export type QuotaExpression = ExpressionOf<typeof quota>;
