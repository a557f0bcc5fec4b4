/**
 * Bridge port options (<linux/if_link.h> IFLA_BRPORT_*): IFLA_INFO_SLAVE_DATA of a link whose
 * master is a bridge (`ip link set X type bridge_slave …`), and IFLA_PROTINFO of AF_BRIDGE
 * messages (`bridge link set …`). Booleans are u8 0/1, as the kernel sends them.
 */
import { defineAttributeSet, type AttributeValues } from '../../attribute-set.js';
import { enumOf, flag, u16, u32, u64, u8 } from '../../fields.js';
import { iflaBridgeId } from './common.js';

export const IflaBrport = {
  IFLA_BRPORT_STATE: 1,
  IFLA_BRPORT_PRIORITY: 2,
  IFLA_BRPORT_COST: 3,
  IFLA_BRPORT_MODE: 4,
  IFLA_BRPORT_GUARD: 5,
  IFLA_BRPORT_PROTECT: 6,
  IFLA_BRPORT_FAST_LEAVE: 7,
  IFLA_BRPORT_LEARNING: 8,
  IFLA_BRPORT_UNICAST_FLOOD: 9,
  IFLA_BRPORT_PROXYARP: 10,
  IFLA_BRPORT_LEARNING_SYNC: 11,
  IFLA_BRPORT_PROXYARP_WIFI: 12,
  IFLA_BRPORT_ROOT_ID: 13,
  IFLA_BRPORT_BRIDGE_ID: 14,
  IFLA_BRPORT_DESIGNATED_PORT: 15,
  IFLA_BRPORT_DESIGNATED_COST: 16,
  IFLA_BRPORT_ID: 17,
  IFLA_BRPORT_NO: 18,
  IFLA_BRPORT_TOPOLOGY_CHANGE_ACK: 19,
  IFLA_BRPORT_CONFIG_PENDING: 20,
  IFLA_BRPORT_MESSAGE_AGE_TIMER: 21,
  IFLA_BRPORT_FORWARD_DELAY_TIMER: 22,
  IFLA_BRPORT_HOLD_TIMER: 23,
  IFLA_BRPORT_FLUSH: 24,
  IFLA_BRPORT_MULTICAST_ROUTER: 25,
  IFLA_BRPORT_PAD: 26,
  IFLA_BRPORT_MCAST_FLOOD: 27,
  IFLA_BRPORT_MCAST_TO_UCAST: 28,
  IFLA_BRPORT_VLAN_TUNNEL: 29,
  IFLA_BRPORT_BCAST_FLOOD: 30,
  IFLA_BRPORT_GROUP_FWD_MASK: 31,
  IFLA_BRPORT_NEIGH_SUPPRESS: 32,
  IFLA_BRPORT_ISOLATED: 33,
  IFLA_BRPORT_BACKUP_PORT: 34,
  IFLA_BRPORT_MRP_RING_OPEN: 35,
  IFLA_BRPORT_MRP_IN_OPEN: 36,
  IFLA_BRPORT_MCAST_EHT_HOSTS_LIMIT: 37,
  IFLA_BRPORT_MCAST_EHT_HOSTS_CNT: 38,
  IFLA_BRPORT_LOCKED: 39,
  IFLA_BRPORT_MAB: 40,
  IFLA_BRPORT_MCAST_N_GROUPS: 41,
  IFLA_BRPORT_MCAST_MAX_GROUPS: 42,
  IFLA_BRPORT_NEIGH_VLAN_SUPPRESS: 43,
  IFLA_BRPORT_BACKUP_NHID: 44,
} as const;

/** STP port states (<linux/if_bridge.h> BR_STATE_*). */
export const bridgePortStates = {
  disabled: 0,
  listening: 1,
  learning: 2,
  forwarding: 3,
  blocking: 4,
} as const;
export type BridgePortState = keyof typeof bridgePortStates;

export const bridgePortData = defineAttributeSet('bridgePort', {
  state: { type: IflaBrport.IFLA_BRPORT_STATE, codec: enumOf(u8, bridgePortStates) },
  priority: { type: IflaBrport.IFLA_BRPORT_PRIORITY, codec: u16 },
  cost: { type: IflaBrport.IFLA_BRPORT_COST, codec: u32 },
  /** Hairpin mode: 1 = frames may go back out of the port they came in on. */
  mode: { type: IflaBrport.IFLA_BRPORT_MODE, codec: u8 },
  guard: { type: IflaBrport.IFLA_BRPORT_GUARD, codec: u8 },
  protect: { type: IflaBrport.IFLA_BRPORT_PROTECT, codec: u8 },
  fastLeave: { type: IflaBrport.IFLA_BRPORT_FAST_LEAVE, codec: u8 },
  learning: { type: IflaBrport.IFLA_BRPORT_LEARNING, codec: u8 },
  unicastFlood: { type: IflaBrport.IFLA_BRPORT_UNICAST_FLOOD, codec: u8 },
  proxyarp: { type: IflaBrport.IFLA_BRPORT_PROXYARP, codec: u8 },
  learningSync: { type: IflaBrport.IFLA_BRPORT_LEARNING_SYNC, codec: u8 },
  proxyarpWifi: { type: IflaBrport.IFLA_BRPORT_PROXYARP_WIFI, codec: u8 },
  rootId: { type: IflaBrport.IFLA_BRPORT_ROOT_ID, codec: iflaBridgeId },
  bridgeId: { type: IflaBrport.IFLA_BRPORT_BRIDGE_ID, codec: iflaBridgeId },
  designatedPort: { type: IflaBrport.IFLA_BRPORT_DESIGNATED_PORT, codec: u16 },
  designatedCost: { type: IflaBrport.IFLA_BRPORT_DESIGNATED_COST, codec: u16 },
  id: { type: IflaBrport.IFLA_BRPORT_ID, codec: u16 },
  no: { type: IflaBrport.IFLA_BRPORT_NO, codec: u16 },
  topologyChangeAck: { type: IflaBrport.IFLA_BRPORT_TOPOLOGY_CHANGE_ACK, codec: u8 },
  configPending: { type: IflaBrport.IFLA_BRPORT_CONFIG_PENDING, codec: u8 },
  messageAgeTimer: { type: IflaBrport.IFLA_BRPORT_MESSAGE_AGE_TIMER, codec: u64 },
  forwardDelayTimer: { type: IflaBrport.IFLA_BRPORT_FORWARD_DELAY_TIMER, codec: u64 },
  holdTimer: { type: IflaBrport.IFLA_BRPORT_HOLD_TIMER, codec: u64 },
  flush: { type: IflaBrport.IFLA_BRPORT_FLUSH, codec: flag },
  multicastRouter: { type: IflaBrport.IFLA_BRPORT_MULTICAST_ROUTER, codec: u8 },
  mcastFlood: { type: IflaBrport.IFLA_BRPORT_MCAST_FLOOD, codec: u8 },
  mcastToUcast: { type: IflaBrport.IFLA_BRPORT_MCAST_TO_UCAST, codec: u8 },
  vlanTunnel: { type: IflaBrport.IFLA_BRPORT_VLAN_TUNNEL, codec: u8 },
  bcastFlood: { type: IflaBrport.IFLA_BRPORT_BCAST_FLOOD, codec: u8 },
  groupFwdMask: { type: IflaBrport.IFLA_BRPORT_GROUP_FWD_MASK, codec: u16 },
  neighSuppress: { type: IflaBrport.IFLA_BRPORT_NEIGH_SUPPRESS, codec: u8 },
  isolated: { type: IflaBrport.IFLA_BRPORT_ISOLATED, codec: u8 },
  backupPort: { type: IflaBrport.IFLA_BRPORT_BACKUP_PORT, codec: u32 },
  mrpRingOpen: { type: IflaBrport.IFLA_BRPORT_MRP_RING_OPEN, codec: u8 },
  mrpInOpen: { type: IflaBrport.IFLA_BRPORT_MRP_IN_OPEN, codec: u8 },
  mcastEhtHostsLimit: { type: IflaBrport.IFLA_BRPORT_MCAST_EHT_HOSTS_LIMIT, codec: u32 },
  mcastEhtHostsCnt: { type: IflaBrport.IFLA_BRPORT_MCAST_EHT_HOSTS_CNT, codec: u32 },
  locked: { type: IflaBrport.IFLA_BRPORT_LOCKED, codec: u8 },
  mab: { type: IflaBrport.IFLA_BRPORT_MAB, codec: u8 },
  mcastNGroups: { type: IflaBrport.IFLA_BRPORT_MCAST_N_GROUPS, codec: u32 },
  mcastMaxGroups: { type: IflaBrport.IFLA_BRPORT_MCAST_MAX_GROUPS, codec: u32 },
  neighVlanSuppress: { type: IflaBrport.IFLA_BRPORT_NEIGH_VLAN_SUPPRESS, codec: u8 },
  backupNhid: { type: IflaBrport.IFLA_BRPORT_BACKUP_NHID, codec: u32 },
}, { nested: false });

export type BridgePortData = AttributeValues<typeof bridgePortData.specs>;
