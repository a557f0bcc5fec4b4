/**
 * The ruleset generation (NFT_MSG_GETGEN, answered and announced as NFT_MSG_NEWGEN). Every
 * committed batch increments it; a batch carrying NFNL_BATCH_GENID is refused with ERESTART
 * when the generation moved, which is how optimistic writers detect concurrent changes.
 */
import { defineAttributeSet, type AttributeValues } from '../netlink/attribute-set.js';
import { cstring, u32be } from '../netlink/fields.js';
import { NftaGen } from './constants.js';

/** enum nft_gen_attributes */
export const genAttributes = defineAttributeSet('gen', {
  id: { type: NftaGen.NFTA_GEN_ID, codec: u32be }, // NFTA_GEN_ID
  procPid: { type: NftaGen.NFTA_GEN_PROC_PID, codec: u32be }, // NFTA_GEN_PROC_PID
  procName: { type: NftaGen.NFTA_GEN_PROC_NAME, codec: cstring }, // NFTA_GEN_PROC_NAME
});
export type GenAttributes = AttributeValues<typeof genAttributes.specs>;
