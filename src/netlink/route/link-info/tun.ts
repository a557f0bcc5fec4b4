/**
 * tun/tap (<linux/if_link.h> IFLA_TUN_*), decoded when listing. The kernel refuses to create
 * tun devices over rtnetlink (they are made with the TUNSETIFF ioctl on /dev/net/tun: see
 * Links.createTun and native/tun.c), so this kind is for reading only.
 */
import { defineAttributeSet, type AttributeValues } from '../../attribute-set.js';
import { enumOf, u32, u8 } from '../../fields.js';
import type { LinkKindCodecs } from './common.js';

export const IflaTun = {
  IFLA_TUN_OWNER: 1,
  IFLA_TUN_GROUP: 2,
  IFLA_TUN_TYPE: 3,
  IFLA_TUN_PI: 4,
  IFLA_TUN_VNET_HDR: 5,
  IFLA_TUN_PERSIST: 6,
  IFLA_TUN_MULTI_QUEUE: 7,
  IFLA_TUN_NUM_QUEUES: 8,
  IFLA_TUN_NUM_DISABLED_QUEUES: 9,
} as const;

/** IFF_TUN / IFF_TAP (<linux/if_tun.h>). */
export const tunTypes = { tun: 1, tap: 2 } as const;

export const tunData = defineAttributeSet('tun', {
  owner: { type: IflaTun.IFLA_TUN_OWNER, codec: u32 },
  group: { type: IflaTun.IFLA_TUN_GROUP, codec: u32 },
  type: { type: IflaTun.IFLA_TUN_TYPE, codec: enumOf(u8, tunTypes) },
  pi: { type: IflaTun.IFLA_TUN_PI, codec: u8 },
  vnetHdr: { type: IflaTun.IFLA_TUN_VNET_HDR, codec: u8 },
  persist: { type: IflaTun.IFLA_TUN_PERSIST, codec: u8 },
  multiQueue: { type: IflaTun.IFLA_TUN_MULTI_QUEUE, codec: u8 },
  numQueues: { type: IflaTun.IFLA_TUN_NUM_QUEUES, codec: u32 },
  numDisabledQueues: { type: IflaTun.IFLA_TUN_NUM_DISABLED_QUEUES, codec: u32 },
}, { nested: false });

export type TunData = AttributeValues<typeof tunData.specs>;

export const tunKind: LinkKindCodecs = { kind: 'tun', data: tunData };
