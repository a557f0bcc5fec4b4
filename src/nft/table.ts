/**
 * nf_tables tables (NFT_MSG_NEWTABLE / GETTABLE / DELTABLE / DESTROYTABLE).
 * A table with the `owner` flag belongs to the netlink socket that created it: the kernel
 * deletes it when that socket closes, and refuses changes from any other socket.
 */
import { defineAttributeSet, type AttributeValues } from '../netlink/attribute-set.js';
import { binary, cstring, flagsOf, u32be, u64be } from '../netlink/fields.js';
import { NftaTable, NftTableFlags } from './constants.js';
import { commentUdata } from './udata.js';

/** enum nft_table_attributes */
export const tableAttributes = defineAttributeSet('table', {
  name: { type: NftaTable.NFTA_TABLE_NAME, codec: cstring }, // NFTA_TABLE_NAME
  flags: { type: NftaTable.NFTA_TABLE_FLAGS, codec: flagsOf(u32be, NftTableFlags) }, // NFTA_TABLE_FLAGS
  use: { type: NftaTable.NFTA_TABLE_USE, codec: u32be }, // NFTA_TABLE_USE (chains in the table)
  handle: { type: NftaTable.NFTA_TABLE_HANDLE, codec: u64be }, // NFTA_TABLE_HANDLE
  pad: { type: NftaTable.NFTA_TABLE_PAD, codec: binary }, // NFTA_TABLE_PAD
  userdata: { type: NftaTable.NFTA_TABLE_USERDATA, codec: commentUdata }, // NFTA_TABLE_USERDATA
  owner: { type: NftaTable.NFTA_TABLE_OWNER, codec: u32be }, // NFTA_TABLE_OWNER (netlink port id)
});
export type TableAttributes = AttributeValues<typeof tableAttributes.specs>;
export type TableFlag = keyof typeof NftTableFlags;
