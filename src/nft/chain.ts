/**
 * nf_tables chains (NFT_MSG_NEWCHAIN / GETCHAIN / DELCHAIN / DESTROYCHAIN). A base chain has a
 * hook (number, priority and, for netdev, devices), a type (`filter`, `nat`, `route`) and a
 * policy; a regular chain has none of these and is only reached by jump/goto.
 */
import { defineAttributeSet, type AttributeValues } from '../netlink/attribute-set.js';
import { binary, cstring, enumOf, flagsOf, s32be, u32be, u64be } from '../netlink/fields.js';
import { NftaChain, NftaCounter, NftaDevice, NftaHook, NftChainFlags, NfVerdict } from './constants.js';
import { commentUdata } from './udata.js';

/** enum nft_devices_attributes: the device list of a netdev hook (NFTA_HOOK_DEVS). */
export const deviceListAttributes = defineAttributeSet('devices', {
  name: { type: NftaDevice.NFTA_DEVICE_NAME, codec: cstring, repeated: true }, // NFTA_DEVICE_NAME
  prefix: { type: NftaDevice.NFTA_DEVICE_PREFIX, codec: cstring, repeated: true }, // NFTA_DEVICE_PREFIX (wildcard `eth*`)
});

/** enum nft_hook_attributes */
export const hookAttributes = defineAttributeSet('hook', {
  hooknum: { type: NftaHook.NFTA_HOOK_HOOKNUM, codec: u32be }, // NFTA_HOOK_HOOKNUM (meaning depends on the family)
  priority: { type: NftaHook.NFTA_HOOK_PRIORITY, codec: s32be }, // NFTA_HOOK_PRIORITY
  device: { type: NftaHook.NFTA_HOOK_DEV, codec: cstring }, // NFTA_HOOK_DEV
  devices: { type: NftaHook.NFTA_HOOK_DEVS, codec: deviceListAttributes }, // NFTA_HOOK_DEVS
});
export type HookAttributes = AttributeValues<typeof hookAttributes.specs>;

/** enum nft_counter_attributes, as a chain's counters. */
export const chainCounterAttributes = defineAttributeSet('counters', {
  bytes: { type: NftaCounter.NFTA_COUNTER_BYTES, codec: u64be }, // NFTA_COUNTER_BYTES
  packets: { type: NftaCounter.NFTA_COUNTER_PACKETS, codec: u64be }, // NFTA_COUNTER_PACKETS
  pad: { type: NftaCounter.NFTA_COUNTER_PAD, codec: binary }, // NFTA_COUNTER_PAD
});

/** enum nft_chain_attributes */
export const chainAttributes = defineAttributeSet('chain', {
  table: { type: NftaChain.NFTA_CHAIN_TABLE, codec: cstring }, // NFTA_CHAIN_TABLE
  handle: { type: NftaChain.NFTA_CHAIN_HANDLE, codec: u64be }, // NFTA_CHAIN_HANDLE
  name: { type: NftaChain.NFTA_CHAIN_NAME, codec: cstring }, // NFTA_CHAIN_NAME
  hook: { type: NftaChain.NFTA_CHAIN_HOOK, codec: hookAttributes }, // NFTA_CHAIN_HOOK
  policy: { type: NftaChain.NFTA_CHAIN_POLICY, codec: enumOf(u32be, NfVerdict) }, // NFTA_CHAIN_POLICY
  use: { type: NftaChain.NFTA_CHAIN_USE, codec: u32be }, // NFTA_CHAIN_USE
  type: { type: NftaChain.NFTA_CHAIN_TYPE, codec: cstring }, // NFTA_CHAIN_TYPE: filter, nat, route
  counters: { type: NftaChain.NFTA_CHAIN_COUNTERS, codec: chainCounterAttributes }, // NFTA_CHAIN_COUNTERS
  pad: { type: NftaChain.NFTA_CHAIN_PAD, codec: binary }, // NFTA_CHAIN_PAD
  flags: { type: NftaChain.NFTA_CHAIN_FLAGS, codec: flagsOf(u32be, NftChainFlags) }, // NFTA_CHAIN_FLAGS
  id: { type: NftaChain.NFTA_CHAIN_ID, codec: u32be }, // NFTA_CHAIN_ID (names a chain added in the same batch)
  userdata: { type: NftaChain.NFTA_CHAIN_USERDATA, codec: commentUdata }, // NFTA_CHAIN_USERDATA
});
export type ChainAttributes = AttributeValues<typeof chainAttributes.specs>;

/** Chain types the kernel knows (nft_chain_type names). */
export const CHAIN_TYPES = ['filter', 'nat', 'route'] as const;
export type ChainType = (typeof CHAIN_TYPES)[number];
export type ChainPolicy = keyof typeof NfVerdict;
