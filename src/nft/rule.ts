/**
 * nf_tables rules (NFT_MSG_NEWRULE / GETRULE / GETRULE_RESET / DELRULE / DESTROYRULE). A rule
 * is a list of expressions in a chain, identified by its 64-bit handle. NFTA_RULE_POSITION
 * places a new rule after (append) or before (insert) the rule with that handle; userdata
 * carries nft's comment TLV.
 */
import { defineAttributeSet, type AttributeValues } from '../netlink/attribute-set.js';
import { binary, cstring, flagsOf, u32be, u64be } from '../netlink/fields.js';
import { NftaRule, NftaRuleCompat, NftRuleCompatFlags } from './constants.js';
import { expressionListCodec } from './expression-codecs.js';
import { ruleUdata } from './udata.js';

/** enum nft_rule_compat_attributes (rules translated from x_tables) */
export const ruleCompatAttributes = defineAttributeSet('compat', {
  proto: { type: NftaRuleCompat.NFTA_RULE_COMPAT_PROTO, codec: u32be }, // NFTA_RULE_COMPAT_PROTO
  flags: { type: NftaRuleCompat.NFTA_RULE_COMPAT_FLAGS, codec: flagsOf(u32be, NftRuleCompatFlags) }, // NFTA_RULE_COMPAT_FLAGS
});

/** enum nft_rule_attributes */
export const ruleAttributes = defineAttributeSet('rule', {
  table: { type: NftaRule.NFTA_RULE_TABLE, codec: cstring }, // NFTA_RULE_TABLE
  chain: { type: NftaRule.NFTA_RULE_CHAIN, codec: cstring }, // NFTA_RULE_CHAIN
  handle: { type: NftaRule.NFTA_RULE_HANDLE, codec: u64be }, // NFTA_RULE_HANDLE
  expressions: { type: NftaRule.NFTA_RULE_EXPRESSIONS, codec: expressionListCodec }, // NFTA_RULE_EXPRESSIONS
  compat: { type: NftaRule.NFTA_RULE_COMPAT, codec: ruleCompatAttributes }, // NFTA_RULE_COMPAT
  position: { type: NftaRule.NFTA_RULE_POSITION, codec: u64be }, // NFTA_RULE_POSITION (a rule handle)
  userdata: { type: NftaRule.NFTA_RULE_USERDATA, codec: ruleUdata }, // NFTA_RULE_USERDATA
  pad: { type: NftaRule.NFTA_RULE_PAD, codec: binary }, // NFTA_RULE_PAD
  id: { type: NftaRule.NFTA_RULE_ID, codec: u32be }, // NFTA_RULE_ID (names a rule added in the same batch)
  positionId: { type: NftaRule.NFTA_RULE_POSITION_ID, codec: u32be }, // NFTA_RULE_POSITION_ID
  chainId: { type: NftaRule.NFTA_RULE_CHAIN_ID, codec: u32be }, // NFTA_RULE_CHAIN_ID
});
export type RuleAttributes = AttributeValues<typeof ruleAttributes.specs>;
