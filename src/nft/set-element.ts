/**
 * Set elements (NFT_MSG_NEWSETELEM / GETSETELEM / GETSETELEM_RESET / DELSETELEM /
 * DESTROYSETELEM). One message carries a list of elements of one set. A key and a map value
 * are data registers (NFTA_DATA_VALUE bytes, or NFTA_DATA_VERDICT in verdict maps); interval
 * sets mark where a range ends with the `interval-end` flag, or with NFTA_SET_ELEM_KEY_END for
 * concatenated ranges.
 */
import { defineAttributeSet, type AttributeValues } from '../netlink/attribute-set.js';
import { binary, cstring, flagsOf, u32be, u64be } from '../netlink/fields.js';
import { NftaSetElem, NftaSetElemList, NftSetElemFlags } from './constants.js';
import { dataCodec, expressionCodec, expressionListCodec } from './expression-codecs.js';
import { listNest } from './list-nest.js';
import { setElemUdata } from './udata.js';

/** enum nft_set_elem_attributes */
export const setElementAttributes = defineAttributeSet('element', {
  key: { type: NftaSetElem.NFTA_SET_ELEM_KEY, codec: dataCodec }, // NFTA_SET_ELEM_KEY
  data: { type: NftaSetElem.NFTA_SET_ELEM_DATA, codec: dataCodec }, // NFTA_SET_ELEM_DATA
  flags: { type: NftaSetElem.NFTA_SET_ELEM_FLAGS, codec: flagsOf(u32be, NftSetElemFlags) }, // NFTA_SET_ELEM_FLAGS
  timeout: { type: NftaSetElem.NFTA_SET_ELEM_TIMEOUT, codec: u64be }, // NFTA_SET_ELEM_TIMEOUT (ms)
  expiration: { type: NftaSetElem.NFTA_SET_ELEM_EXPIRATION, codec: u64be }, // NFTA_SET_ELEM_EXPIRATION (ms left)
  userdata: { type: NftaSetElem.NFTA_SET_ELEM_USERDATA, codec: setElemUdata }, // NFTA_SET_ELEM_USERDATA
  expr: { type: NftaSetElem.NFTA_SET_ELEM_EXPR, codec: expressionCodec }, // NFTA_SET_ELEM_EXPR
  pad: { type: NftaSetElem.NFTA_SET_ELEM_PAD, codec: binary }, // NFTA_SET_ELEM_PAD
  objref: { type: NftaSetElem.NFTA_SET_ELEM_OBJREF, codec: cstring }, // NFTA_SET_ELEM_OBJREF
  keyEnd: { type: NftaSetElem.NFTA_SET_ELEM_KEY_END, codec: dataCodec }, // NFTA_SET_ELEM_KEY_END
  expressions: { type: NftaSetElem.NFTA_SET_ELEM_EXPRESSIONS, codec: expressionListCodec }, // NFTA_SET_ELEM_EXPRESSIONS
});
export type SetElementAttributes = AttributeValues<typeof setElementAttributes.specs>;

/**
 * NFTA_SET_ELEM_LIST_ELEMENTS: one nest per element. The kernel sends NFTA_LIST_ELEM for each;
 * libnftnl numbers them 1, 2, 3 … (the kernel ignores the type), which decode → encode keeps.
 */
export const setElementListCodec = listNest('element', setElementAttributes);

/** enum nft_set_elem_list_attributes: the body of an element message. */
export const setElementMessageAttributes = defineAttributeSet('setelem', {
  table: { type: NftaSetElemList.NFTA_SET_ELEM_LIST_TABLE, codec: cstring }, // NFTA_SET_ELEM_LIST_TABLE
  set: { type: NftaSetElemList.NFTA_SET_ELEM_LIST_SET, codec: cstring }, // NFTA_SET_ELEM_LIST_SET
  elements: { type: NftaSetElemList.NFTA_SET_ELEM_LIST_ELEMENTS, codec: setElementListCodec }, // NFTA_SET_ELEM_LIST_ELEMENTS
  setId: { type: NftaSetElemList.NFTA_SET_ELEM_LIST_SET_ID, codec: u32be }, // NFTA_SET_ELEM_LIST_SET_ID
});
export type SetElementMessageAttributes = AttributeValues<typeof setElementMessageAttributes.specs>;
export type SetElementFlag = keyof typeof NftSetElemFlags;
