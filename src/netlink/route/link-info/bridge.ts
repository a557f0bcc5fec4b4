/**
 * bridge: IFLA_INFO_DATA of a bridge device (<linux/if_link.h> IFLA_BR_*). Times are in
 * clock_t ticks (USER_HZ, 1/100 s), as `ip -d link` shows them: forwardDelay 1500 = 15 s.
 */
import { defineAttributeSet, type AttributeValues } from '../../attribute-set.js';
import { enumOf, flag, linkAddress, u16, u16be, u32, u64, u8 } from '../../fields.js';
import { defineStruct } from '../../struct.js';
import { bridgePortData } from './bridge-port.js';
import { iflaBridgeId, opaqueNest, type LinkKindCodecs } from './common.js';

export const IflaBr = {
  IFLA_BR_FORWARD_DELAY: 1,
  IFLA_BR_HELLO_TIME: 2,
  IFLA_BR_MAX_AGE: 3,
  IFLA_BR_AGEING_TIME: 4,
  IFLA_BR_STP_STATE: 5,
  IFLA_BR_PRIORITY: 6,
  IFLA_BR_VLAN_FILTERING: 7,
  IFLA_BR_VLAN_PROTOCOL: 8,
  IFLA_BR_GROUP_FWD_MASK: 9,
  IFLA_BR_ROOT_ID: 10,
  IFLA_BR_BRIDGE_ID: 11,
  IFLA_BR_ROOT_PORT: 12,
  IFLA_BR_ROOT_PATH_COST: 13,
  IFLA_BR_TOPOLOGY_CHANGE: 14,
  IFLA_BR_TOPOLOGY_CHANGE_DETECTED: 15,
  IFLA_BR_HELLO_TIMER: 16,
  IFLA_BR_TCN_TIMER: 17,
  IFLA_BR_TOPOLOGY_CHANGE_TIMER: 18,
  IFLA_BR_GC_TIMER: 19,
  IFLA_BR_GROUP_ADDR: 20,
  IFLA_BR_FDB_FLUSH: 21,
  IFLA_BR_MCAST_ROUTER: 22,
  IFLA_BR_MCAST_SNOOPING: 23,
  IFLA_BR_MCAST_QUERY_USE_IFADDR: 24,
  IFLA_BR_MCAST_QUERIER: 25,
  IFLA_BR_MCAST_HASH_ELASTICITY: 26,
  IFLA_BR_MCAST_HASH_MAX: 27,
  IFLA_BR_MCAST_LAST_MEMBER_CNT: 28,
  IFLA_BR_MCAST_STARTUP_QUERY_CNT: 29,
  IFLA_BR_MCAST_LAST_MEMBER_INTVL: 30,
  IFLA_BR_MCAST_MEMBERSHIP_INTVL: 31,
  IFLA_BR_MCAST_QUERIER_INTVL: 32,
  IFLA_BR_MCAST_QUERY_INTVL: 33,
  IFLA_BR_MCAST_QUERY_RESPONSE_INTVL: 34,
  IFLA_BR_MCAST_STARTUP_QUERY_INTVL: 35,
  IFLA_BR_NF_CALL_IPTABLES: 36,
  IFLA_BR_NF_CALL_IP6TABLES: 37,
  IFLA_BR_NF_CALL_ARPTABLES: 38,
  IFLA_BR_VLAN_DEFAULT_PVID: 39,
  IFLA_BR_PAD: 40,
  IFLA_BR_VLAN_STATS_ENABLED: 41,
  IFLA_BR_MCAST_STATS_ENABLED: 42,
  IFLA_BR_MCAST_IGMP_VERSION: 43,
  IFLA_BR_MCAST_MLD_VERSION: 44,
  IFLA_BR_VLAN_STATS_PER_PORT: 45,
  IFLA_BR_MULTI_BOOLOPT: 46,
  IFLA_BR_MCAST_QUERIER_STATE: 47,
  IFLA_BR_FDB_N_LEARNED: 48,
  IFLA_BR_FDB_MAX_LEARNED: 49,
} as const;

/** VLAN protocols a bridge filters on (ETH_P_8021Q, ETH_P_8021AD; network byte order). */
export const bridgeVlanProtocols = { '802.1Q': 0x8100, '802.1ad': 0x88a8 } as const;

/** struct br_boolopt_multi: a value and a mask over BR_BOOLOPT_* bit numbers. */
export const brBooloptMulti = defineStruct('br_boolopt_multi', {
  optval: 'u32',
  optmask: 'u32',
});

export const bridgeData = defineAttributeSet('bridge', {
  forwardDelay: { type: IflaBr.IFLA_BR_FORWARD_DELAY, codec: u32 },
  helloTime: { type: IflaBr.IFLA_BR_HELLO_TIME, codec: u32 },
  maxAge: { type: IflaBr.IFLA_BR_MAX_AGE, codec: u32 },
  ageingTime: { type: IflaBr.IFLA_BR_AGEING_TIME, codec: u32 },
  stpState: { type: IflaBr.IFLA_BR_STP_STATE, codec: u32 },
  priority: { type: IflaBr.IFLA_BR_PRIORITY, codec: u16 },
  vlanFiltering: { type: IflaBr.IFLA_BR_VLAN_FILTERING, codec: u8 },
  vlanProtocol: { type: IflaBr.IFLA_BR_VLAN_PROTOCOL, codec: enumOf(u16be, bridgeVlanProtocols) },
  groupFwdMask: { type: IflaBr.IFLA_BR_GROUP_FWD_MASK, codec: u16 },
  rootId: { type: IflaBr.IFLA_BR_ROOT_ID, codec: iflaBridgeId },
  bridgeId: { type: IflaBr.IFLA_BR_BRIDGE_ID, codec: iflaBridgeId },
  rootPort: { type: IflaBr.IFLA_BR_ROOT_PORT, codec: u16 },
  rootPathCost: { type: IflaBr.IFLA_BR_ROOT_PATH_COST, codec: u32 },
  topologyChange: { type: IflaBr.IFLA_BR_TOPOLOGY_CHANGE, codec: u8 },
  topologyChangeDetected: { type: IflaBr.IFLA_BR_TOPOLOGY_CHANGE_DETECTED, codec: u8 },
  helloTimer: { type: IflaBr.IFLA_BR_HELLO_TIMER, codec: u64 },
  tcnTimer: { type: IflaBr.IFLA_BR_TCN_TIMER, codec: u64 },
  topologyChangeTimer: { type: IflaBr.IFLA_BR_TOPOLOGY_CHANGE_TIMER, codec: u64 },
  gcTimer: { type: IflaBr.IFLA_BR_GC_TIMER, codec: u64 },
  groupAddr: { type: IflaBr.IFLA_BR_GROUP_ADDR, codec: linkAddress },
  fdbFlush: { type: IflaBr.IFLA_BR_FDB_FLUSH, codec: flag },
  mcastRouter: { type: IflaBr.IFLA_BR_MCAST_ROUTER, codec: u8 },
  mcastSnooping: { type: IflaBr.IFLA_BR_MCAST_SNOOPING, codec: u8 },
  mcastQueryUseIfaddr: { type: IflaBr.IFLA_BR_MCAST_QUERY_USE_IFADDR, codec: u8 },
  mcastQuerier: { type: IflaBr.IFLA_BR_MCAST_QUERIER, codec: u8 },
  mcastHashElasticity: { type: IflaBr.IFLA_BR_MCAST_HASH_ELASTICITY, codec: u32 },
  mcastHashMax: { type: IflaBr.IFLA_BR_MCAST_HASH_MAX, codec: u32 },
  mcastLastMemberCnt: { type: IflaBr.IFLA_BR_MCAST_LAST_MEMBER_CNT, codec: u32 },
  mcastStartupQueryCnt: { type: IflaBr.IFLA_BR_MCAST_STARTUP_QUERY_CNT, codec: u32 },
  mcastLastMemberIntvl: { type: IflaBr.IFLA_BR_MCAST_LAST_MEMBER_INTVL, codec: u64 },
  mcastMembershipIntvl: { type: IflaBr.IFLA_BR_MCAST_MEMBERSHIP_INTVL, codec: u64 },
  mcastQuerierIntvl: { type: IflaBr.IFLA_BR_MCAST_QUERIER_INTVL, codec: u64 },
  mcastQueryIntvl: { type: IflaBr.IFLA_BR_MCAST_QUERY_INTVL, codec: u64 },
  mcastQueryResponseIntvl: { type: IflaBr.IFLA_BR_MCAST_QUERY_RESPONSE_INTVL, codec: u64 },
  mcastStartupQueryIntvl: { type: IflaBr.IFLA_BR_MCAST_STARTUP_QUERY_INTVL, codec: u64 },
  nfCallIptables: { type: IflaBr.IFLA_BR_NF_CALL_IPTABLES, codec: u8 },
  nfCallIp6tables: { type: IflaBr.IFLA_BR_NF_CALL_IP6TABLES, codec: u8 },
  nfCallArptables: { type: IflaBr.IFLA_BR_NF_CALL_ARPTABLES, codec: u8 },
  vlanDefaultPvid: { type: IflaBr.IFLA_BR_VLAN_DEFAULT_PVID, codec: u16 },
  vlanStatsEnabled: { type: IflaBr.IFLA_BR_VLAN_STATS_ENABLED, codec: u8 },
  mcastStatsEnabled: { type: IflaBr.IFLA_BR_MCAST_STATS_ENABLED, codec: u8 },
  mcastIgmpVersion: { type: IflaBr.IFLA_BR_MCAST_IGMP_VERSION, codec: u8 },
  mcastMldVersion: { type: IflaBr.IFLA_BR_MCAST_MLD_VERSION, codec: u8 },
  vlanStatsPerPort: { type: IflaBr.IFLA_BR_VLAN_STATS_PER_PORT, codec: u8 },
  multiBoolopt: { type: IflaBr.IFLA_BR_MULTI_BOOLOPT, codec: brBooloptMulti },
  mcastQuerierState: { type: IflaBr.IFLA_BR_MCAST_QUERIER_STATE, codec: opaqueNest },
  fdbNLearned: { type: IflaBr.IFLA_BR_FDB_N_LEARNED, codec: u32 },
  fdbMaxLearned: { type: IflaBr.IFLA_BR_FDB_MAX_LEARNED, codec: u32 },
}, { nested: false });

export type BridgeData = AttributeValues<typeof bridgeData.specs>;

export const bridgeKind: LinkKindCodecs = {
  kind: 'bridge',
  data: bridgeData,
  slaveData: bridgePortData,
};
