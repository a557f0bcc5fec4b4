/**
 * NFNL_MSG_BATCH_BEGIN and NFNL_MSG_BATCH_END, the messages that open and close an nfnetlink
 * batch. Their nfgenmsg names the subsystem in res_id (NFNL_SUBSYS_NFTABLES); BATCH_BEGIN may
 * carry NFNL_BATCH_GENID, and the kernel then refuses the whole batch with ERESTART unless the
 * ruleset generation is still that one.
 */
import { defineAttributeSet, type AttributeValues } from '../netlink/attribute-set.js';
import { u32be } from '../netlink/fields.js';
import { NfnlBatchAttr } from './constants.js';

/** enum nfnl_batch_attributes */
export const batchAttributes = defineAttributeSet('batch', {
  genid: { type: NfnlBatchAttr.NFNL_BATCH_GENID, codec: u32be }, // NFNL_BATCH_GENID
});
export type BatchAttributes = AttributeValues<typeof batchAttributes.specs>;
