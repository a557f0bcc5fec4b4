/**
 * Packet traces (NFT_MSG_TRACE on NFNLGRP_NFTRACE), emitted for packets marked with
 * `meta nftrace set 1`: which table, chain and rule saw the packet and the verdict.
 */
import { defineAttributeSet, type AttributeValues } from '../netlink/attribute-set.js';
import { binary, cstring, enumOf, u16be, u32be, u64be, u8 } from '../netlink/fields.js';
import { NfProto, NftaTrace, NftTraceType } from './constants.js';
import { verdictCodec } from './expression-codecs.js';

/** enum nft_trace_attributes */
export const traceAttributes = defineAttributeSet('trace', {
  table: { type: NftaTrace.NFTA_TRACE_TABLE, codec: cstring }, // NFTA_TRACE_TABLE
  chain: { type: NftaTrace.NFTA_TRACE_CHAIN, codec: cstring }, // NFTA_TRACE_CHAIN
  ruleHandle: { type: NftaTrace.NFTA_TRACE_RULE_HANDLE, codec: u64be }, // NFTA_TRACE_RULE_HANDLE
  type: { type: NftaTrace.NFTA_TRACE_TYPE, codec: enumOf(u32be, NftTraceType) }, // NFTA_TRACE_TYPE
  verdict: { type: NftaTrace.NFTA_TRACE_VERDICT, codec: verdictCodec }, // NFTA_TRACE_VERDICT
  id: { type: NftaTrace.NFTA_TRACE_ID, codec: u32be }, // NFTA_TRACE_ID
  llHeader: { type: NftaTrace.NFTA_TRACE_LL_HEADER, codec: binary }, // NFTA_TRACE_LL_HEADER
  networkHeader: { type: NftaTrace.NFTA_TRACE_NETWORK_HEADER, codec: binary }, // NFTA_TRACE_NETWORK_HEADER
  transportHeader: { type: NftaTrace.NFTA_TRACE_TRANSPORT_HEADER, codec: binary }, // NFTA_TRACE_TRANSPORT_HEADER
  iif: { type: NftaTrace.NFTA_TRACE_IIF, codec: u32be }, // NFTA_TRACE_IIF
  iiftype: { type: NftaTrace.NFTA_TRACE_IIFTYPE, codec: u16be }, // NFTA_TRACE_IIFTYPE
  oif: { type: NftaTrace.NFTA_TRACE_OIF, codec: u32be }, // NFTA_TRACE_OIF
  oiftype: { type: NftaTrace.NFTA_TRACE_OIFTYPE, codec: u16be }, // NFTA_TRACE_OIFTYPE
  mark: { type: NftaTrace.NFTA_TRACE_MARK, codec: u32be }, // NFTA_TRACE_MARK
  nfproto: { type: NftaTrace.NFTA_TRACE_NFPROTO, codec: enumOf(u32be, NfProto) }, // NFTA_TRACE_NFPROTO
  policy: { type: NftaTrace.NFTA_TRACE_POLICY, codec: u32be }, // NFTA_TRACE_POLICY
  pad: { type: NftaTrace.NFTA_TRACE_PAD, codec: binary }, // NFTA_TRACE_PAD
  ctId: { type: NftaTrace.NFTA_TRACE_CT_ID, codec: u32be }, // NFTA_TRACE_CT_ID
  ctDirection: { type: NftaTrace.NFTA_TRACE_CT_DIRECTION, codec: u8 }, // NFTA_TRACE_CT_DIRECTION
  ctStatus: { type: NftaTrace.NFTA_TRACE_CT_STATUS, codec: u32be }, // NFTA_TRACE_CT_STATUS
  ctState: { type: NftaTrace.NFTA_TRACE_CT_STATE, codec: u32be }, // NFTA_TRACE_CT_STATE
});
export type TraceAttributes = AttributeValues<typeof traceAttributes.specs>;
