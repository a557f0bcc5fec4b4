/**
 * macvlan (<linux/if_link.h> IFLA_MACVLAN_*): a child of a lower link (IFLA_LINK) with its own
 * MAC address.
 */
import { defineAttributeSet, type AttributeValues } from '../../attribute-set.js';
import { enumOf, flagsOf, linkAddress, s32, u16, u32 } from '../../fields.js';
import type { LinkKindCodecs } from './common.js';

export const IflaMacvlan = {
  IFLA_MACVLAN_MODE: 1,
  IFLA_MACVLAN_FLAGS: 2,
  IFLA_MACVLAN_MACADDR_MODE: 3,
  IFLA_MACVLAN_MACADDR: 4,
  IFLA_MACVLAN_MACADDR_DATA: 5,
  IFLA_MACVLAN_MACADDR_COUNT: 6,
  IFLA_MACVLAN_BC_QUEUE_LEN: 7,
  IFLA_MACVLAN_BC_QUEUE_LEN_USED: 8,
  IFLA_MACVLAN_BC_CUTOFF: 9,
} as const;

/** enum macvlan_mode, by the names `ip link add … type macvlan mode NAME` uses. */
export const macvlanModes = {
  private: 1,
  vepa: 2,
  bridge: 4,
  passthru: 8,
  source: 16,
} as const;
export type MacvlanMode = keyof typeof macvlanModes;

/** MACVLAN_FLAG_* */
export const macvlanFlags = {
  nopromisc: 1,
  nodst: 2,
} as const;

/** enum macvlan_macaddr_mode: how IFLA_MACVLAN_MACADDR changes a source-mode list. */
export const macvlanMacaddrModes = {
  add: 0,
  del: 1,
  flush: 2,
  set: 3,
} as const;

const macaddrData = defineAttributeSet('macaddrData', {
  macaddr: { type: IflaMacvlan.IFLA_MACVLAN_MACADDR, codec: linkAddress, repeated: true },
}, { nested: false });

export const macvlanData = defineAttributeSet('macvlan', {
  mode: { type: IflaMacvlan.IFLA_MACVLAN_MODE, codec: enumOf(u32, macvlanModes) },
  flags: { type: IflaMacvlan.IFLA_MACVLAN_FLAGS, codec: flagsOf(u16, macvlanFlags) },
  macaddrMode: { type: IflaMacvlan.IFLA_MACVLAN_MACADDR_MODE, codec: enumOf(u32, macvlanMacaddrModes) },
  macaddr: { type: IflaMacvlan.IFLA_MACVLAN_MACADDR, codec: linkAddress },
  macaddrData: { type: IflaMacvlan.IFLA_MACVLAN_MACADDR_DATA, codec: macaddrData },
  macaddrCount: { type: IflaMacvlan.IFLA_MACVLAN_MACADDR_COUNT, codec: u32 },
  bcQueueLen: { type: IflaMacvlan.IFLA_MACVLAN_BC_QUEUE_LEN, codec: u32 },
  bcQueueLenUsed: { type: IflaMacvlan.IFLA_MACVLAN_BC_QUEUE_LEN_USED, codec: u32 },
  bcCutoff: { type: IflaMacvlan.IFLA_MACVLAN_BC_CUTOFF, codec: s32 },
}, { nested: false });

export type MacvlanData = AttributeValues<typeof macvlanData.specs>;

export const macvlanKind: LinkKindCodecs = { kind: 'macvlan', data: macvlanData };
