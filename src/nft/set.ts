/**
 * nf_tables sets and maps (NFT_MSG_NEWSET / GETSET / DELSET / DESTROYSET). A set has a key
 * type and length; a map also a data type and length (NFT_DATA_VERDICT for verdict maps).
 * Types are nft's datatype ids, which the kernel stores without interpreting; a concatenation
 * declares each field's length in NFTA_SET_DESC_CONCAT.
 */
import { defineAttributeSet, type AttributeValues } from '../netlink/attribute-set.js';
import { binary, cstring, enumOf, flagsOf, u32be, u64be } from '../netlink/fields.js';
import { NFTA_LIST_ELEM, NftaSet, NftaSetDesc, NftaSetField, NftObjectType, NftSetFlags, NftSetPolicy } from './constants.js';
import { expressionCodec, expressionListCodec } from './expression-codecs.js';
import { setUdata } from './udata.js';

/** enum nft_set_field_attributes: one field of a concatenation. */
export const setFieldAttributes = defineAttributeSet('field', {
  len: { type: NftaSetField.NFTA_SET_FIELD_LEN, codec: u32be }, // NFTA_SET_FIELD_LEN
});

/** The NFTA_LIST_ELEM list of a concatenation's fields. */
export const setConcatAttributes = defineAttributeSet('concat', {
  field: { type: NFTA_LIST_ELEM, codec: setFieldAttributes, repeated: true }, // NFTA_LIST_ELEM
});

/** enum nft_set_desc_attributes */
export const setDescAttributes = defineAttributeSet('desc', {
  size: { type: NftaSetDesc.NFTA_SET_DESC_SIZE, codec: u32be }, // NFTA_SET_DESC_SIZE
  concat: { type: NftaSetDesc.NFTA_SET_DESC_CONCAT, codec: setConcatAttributes }, // NFTA_SET_DESC_CONCAT
});

/** enum nft_set_attributes */
export const setAttributes = defineAttributeSet('set', {
  table: { type: NftaSet.NFTA_SET_TABLE, codec: cstring }, // NFTA_SET_TABLE
  name: { type: NftaSet.NFTA_SET_NAME, codec: cstring }, // NFTA_SET_NAME
  flags: { type: NftaSet.NFTA_SET_FLAGS, codec: flagsOf(u32be, NftSetFlags) }, // NFTA_SET_FLAGS
  keyType: { type: NftaSet.NFTA_SET_KEY_TYPE, codec: u32be }, // NFTA_SET_KEY_TYPE (nft datatype id)
  keyLen: { type: NftaSet.NFTA_SET_KEY_LEN, codec: u32be }, // NFTA_SET_KEY_LEN
  dataType: { type: NftaSet.NFTA_SET_DATA_TYPE, codec: u32be }, // NFTA_SET_DATA_TYPE
  dataLen: { type: NftaSet.NFTA_SET_DATA_LEN, codec: u32be }, // NFTA_SET_DATA_LEN
  policy: { type: NftaSet.NFTA_SET_POLICY, codec: enumOf(u32be, NftSetPolicy) }, // NFTA_SET_POLICY
  desc: { type: NftaSet.NFTA_SET_DESC, codec: setDescAttributes }, // NFTA_SET_DESC
  id: { type: NftaSet.NFTA_SET_ID, codec: u32be }, // NFTA_SET_ID (names an anonymous set within a batch)
  timeout: { type: NftaSet.NFTA_SET_TIMEOUT, codec: u64be }, // NFTA_SET_TIMEOUT (ms)
  gcInterval: { type: NftaSet.NFTA_SET_GC_INTERVAL, codec: u32be }, // NFTA_SET_GC_INTERVAL (ms)
  userdata: { type: NftaSet.NFTA_SET_USERDATA, codec: setUdata }, // NFTA_SET_USERDATA
  pad: { type: NftaSet.NFTA_SET_PAD, codec: binary }, // NFTA_SET_PAD
  objType: { type: NftaSet.NFTA_SET_OBJ_TYPE, codec: enumOf(u32be, NftObjectType) }, // NFTA_SET_OBJ_TYPE
  handle: { type: NftaSet.NFTA_SET_HANDLE, codec: u64be }, // NFTA_SET_HANDLE
  expr: { type: NftaSet.NFTA_SET_EXPR, codec: expressionCodec }, // NFTA_SET_EXPR
  expressions: { type: NftaSet.NFTA_SET_EXPRESSIONS, codec: expressionListCodec }, // NFTA_SET_EXPRESSIONS
  type: { type: NftaSet.NFTA_SET_TYPE, codec: cstring }, // NFTA_SET_TYPE (backend, e.g. hash, rbtree)
  count: { type: NftaSet.NFTA_SET_COUNT, codec: u32be }, // NFTA_SET_COUNT (elements)
});
export type SetAttributes = AttributeValues<typeof setAttributes.specs>;
export type SetFlag = keyof typeof NftSetFlags;
