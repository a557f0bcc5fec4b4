/**
 * `ip -d` for bridges and bridge ports: the `info_data` of a bridge and the `info_slave_data`
 * of a port, with ip's key names, order and formats (timers in seconds with two decimals,
 * bridge ids as `8000.2e:f3:46:1d:e4:39`, masks as hex strings, port flags as booleans).
 */
import type { BridgeData } from '../../netlink/route/link-info/bridge.js';
import type { BridgePortData } from '../../netlink/route/link-info/bridge-port.js';
import { JsonNumber, type IpJson } from './json.js';

type JsonObject = { [key: string]: IpJson | undefined };

/** Timers come in hundredths of a second (clock_t); ip prints seconds with two decimals. */
const CENTISECONDS = 100;
/** BR_BOOLOPT_* bit numbers of IFLA_BR_MULTI_BOOLOPT (<linux/if_bridge.h>). */
const BrBoolopt = { BR_BOOLOPT_NO_LL_LEARN: 0, BR_BOOLOPT_MCAST_VLAN_SNOOPING: 1 } as const;

function timer(v: bigint | undefined): JsonNumber | undefined {
  if (v === undefined) return undefined;
  const whole = v / BigInt(CENTISECONDS);
  const rest = v % BigInt(CENTISECONDS);
  return new JsonNumber(`${whole}.${rest.toString().padStart(2, '0')}`);
}

/** `8000.2e:f3:46:1d:e4:39`: priority as four hex digits, the MAC bytes unpadded (as ip prints them). */
function bridgeIdText(id: { priority: number; address: Uint8Array } | undefined): string | undefined {
  if (id === undefined) return undefined;
  return `${id.priority.toString(16).padStart(4, '0')}.${Array.from(id.address, (b) => b.toString(16)).join(':')}`;
}

/** ip's `%#x`: 0 stays `0`, anything else gets `0x`. */
const hexMask = (v: number | undefined): string | undefined => (v === undefined ? undefined : v === 0 ? '0' : `0x${v.toString(16)}`);
const bit = (v: { optval: number } | undefined, n: number): number | undefined => (v === undefined ? undefined : (v.optval >>> n) & 1);
const bool = (v: number | undefined): boolean | undefined => (v === undefined ? undefined : v !== 0);

/** A bridge's `info_data`. */
export function bridgeJson(d: BridgeData): JsonObject {
  return {
    forward_delay: d.forwardDelay,
    hello_time: d.helloTime,
    max_age: d.maxAge,
    ageing_time: d.ageingTime,
    stp_state: d.stpState,
    priority: d.priority,
    vlan_filtering: d.vlanFiltering,
    vlan_protocol: d.vlanProtocol,
    bridge_id: bridgeIdText(d.bridgeId),
    root_id: bridgeIdText(d.rootId),
    root_port: d.rootPort,
    root_path_cost: d.rootPathCost,
    topology_change: d.topologyChange,
    topology_change_detected: d.topologyChangeDetected,
    hello_timer: timer(d.helloTimer),
    tcn_timer: timer(d.tcnTimer),
    topology_change_timer: timer(d.topologyChangeTimer),
    gc_timer: timer(d.gcTimer),
    vlan_default_pvid: d.vlanDefaultPvid,
    vlan_stats_enabled: d.vlanStatsEnabled,
    vlan_stats_per_port: d.vlanStatsPerPort,
    group_fwd_mask: hexMask(d.groupFwdMask),
    group_addr: d.groupAddr,
    mcast_snooping: d.mcastSnooping,
    no_linklocal_learn: bit(d.multiBoolopt, BrBoolopt.BR_BOOLOPT_NO_LL_LEARN),
    mcast_vlan_snooping: bit(d.multiBoolopt, BrBoolopt.BR_BOOLOPT_MCAST_VLAN_SNOOPING),
    mcast_router: d.mcastRouter,
    mcast_query_use_ifaddr: d.mcastQueryUseIfaddr,
    mcast_querier: d.mcastQuerier,
    mcast_hash_elasticity: d.mcastHashElasticity,
    mcast_hash_max: d.mcastHashMax,
    mcast_last_member_cnt: d.mcastLastMemberCnt,
    mcast_startup_query_cnt: d.mcastStartupQueryCnt,
    mcast_last_member_intvl: d.mcastLastMemberIntvl,
    mcast_membership_intvl: d.mcastMembershipIntvl,
    mcast_querier_intvl: d.mcastQuerierIntvl,
    mcast_query_intvl: d.mcastQueryIntvl,
    mcast_query_response_intvl: d.mcastQueryResponseIntvl,
    mcast_startup_query_intvl: d.mcastStartupQueryIntvl,
    mcast_stats_enabled: d.mcastStatsEnabled,
    mcast_igmp_version: d.mcastIgmpVersion,
    mcast_mld_version: d.mcastMldVersion,
    nf_call_iptables: d.nfCallIptables,
    nf_call_ip6tables: d.nfCallIp6tables,
    nf_call_arptables: d.nfCallArptables,
  };
}

/** A bridge port's `info_slave_data`. */
export function bridgePortJson(p: BridgePortData): JsonObject {
  return {
    state: p.state,
    priority: p.priority,
    cost: p.cost,
    hairpin: bool(p.mode),
    guard: bool(p.guard),
    root_block: bool(p.protect),
    fastleave: bool(p.fastLeave),
    learning: bool(p.learning),
    flood: bool(p.unicastFlood),
    id: p.id === undefined ? undefined : `0x${p.id.toString(16)}`,
    no: p.no === undefined ? undefined : `0x${p.no.toString(16)}`,
    designated_port: p.designatedPort,
    designated_cost: p.designatedCost,
    bridge_id: bridgeIdText(p.bridgeId),
    root_id: bridgeIdText(p.rootId),
    hold_timer: timer(p.holdTimer),
    message_age_timer: timer(p.messageAgeTimer),
    forward_delay_timer: timer(p.forwardDelayTimer),
    topology_change_ack: p.topologyChangeAck,
    config_pending: p.configPending,
    proxy_arp: bool(p.proxyarp),
    proxy_arp_wifi: bool(p.proxyarpWifi),
    multicast_router: p.multicastRouter,
    mcast_flood: bool(p.mcastFlood),
    bcast_flood: bool(p.bcastFlood),
    mcast_to_unicast: bool(p.mcastToUcast),
    neigh_suppress: bool(p.neighSuppress),
    group_fwd_mask: hexMask(p.groupFwdMask),
    group_fwd_mask_str: p.groupFwdMask === undefined ? undefined : `0x${p.groupFwdMask.toString(16)}`,
    vlan_tunnel: bool(p.vlanTunnel),
    isolated: bool(p.isolated),
    locked: bool(p.locked),
  };
}
