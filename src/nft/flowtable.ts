/**
 * Flowtables (NFT_MSG_NEWFLOWTABLE / GETFLOWTABLE / DELFLOWTABLE / DESTROYFLOWTABLE): decoded
 * so that dumps, monitors and traces show them; the client does not create them yet.
 */
import { defineAttributeSet, type AttributeValues } from '../netlink/attribute-set.js';
import { binary, cstring, flagsOf, s32be, u32be, u64be } from '../netlink/fields.js';
import { NftaFlowtable, NftaFlowtableHook, NftFlowtableFlags } from './constants.js';
import { deviceListAttributes } from './chain.js';

/** enum nft_flowtable_hook_attributes */
export const flowtableHookAttributes = defineAttributeSet('hook', {
  num: { type: NftaFlowtableHook.NFTA_FLOWTABLE_HOOK_NUM, codec: u32be }, // NFTA_FLOWTABLE_HOOK_NUM
  priority: { type: NftaFlowtableHook.NFTA_FLOWTABLE_HOOK_PRIORITY, codec: s32be }, // NFTA_FLOWTABLE_HOOK_PRIORITY
  devices: { type: NftaFlowtableHook.NFTA_FLOWTABLE_HOOK_DEVS, codec: deviceListAttributes }, // NFTA_FLOWTABLE_HOOK_DEVS
});

/** enum nft_flowtable_attributes */
export const flowtableAttributes = defineAttributeSet('flowtable', {
  table: { type: NftaFlowtable.NFTA_FLOWTABLE_TABLE, codec: cstring }, // NFTA_FLOWTABLE_TABLE
  name: { type: NftaFlowtable.NFTA_FLOWTABLE_NAME, codec: cstring }, // NFTA_FLOWTABLE_NAME
  hook: { type: NftaFlowtable.NFTA_FLOWTABLE_HOOK, codec: flowtableHookAttributes }, // NFTA_FLOWTABLE_HOOK
  use: { type: NftaFlowtable.NFTA_FLOWTABLE_USE, codec: u32be }, // NFTA_FLOWTABLE_USE
  handle: { type: NftaFlowtable.NFTA_FLOWTABLE_HANDLE, codec: u64be }, // NFTA_FLOWTABLE_HANDLE
  pad: { type: NftaFlowtable.NFTA_FLOWTABLE_PAD, codec: binary }, // NFTA_FLOWTABLE_PAD
  flags: { type: NftaFlowtable.NFTA_FLOWTABLE_FLAGS, codec: flagsOf(u32be, NftFlowtableFlags) }, // NFTA_FLOWTABLE_FLAGS
});
export type FlowtableAttributes = AttributeValues<typeof flowtableAttributes.specs>;
