/**
 * Link statistics (<linux/if_link.h>): struct rtnl_link_stats64 (IFLA_STATS64, counters as
 * bigint) and the legacy 32-bit struct rtnl_link_stats (IFLA_STATS). Both grow across kernel
 * versions, so they are growable structs: an older kernel's shorter struct decodes with the
 * trailing counters absent, a newer kernel's longer one keeps the extra bytes in `tail`.
 */
import { defineGrowableStruct, type StructGrowableValue } from '../struct.js';

/** Counter names in struct order, shared by both structs (rtnl_link_stats stops earlier). */
const COUNTERS = [
  'rxPackets', 'txPackets', 'rxBytes', 'txBytes', 'rxErrors', 'txErrors', 'rxDropped', 'txDropped',
  'multicast', 'collisions',
  // detailed rx_errors
  'rxLengthErrors', 'rxOverErrors', 'rxCrcErrors', 'rxFrameErrors', 'rxFifoErrors', 'rxMissedErrors',
  // detailed tx_errors
  'txAbortedErrors', 'txCarrierErrors', 'txFifoErrors', 'txHeartbeatErrors', 'txWindowErrors',
  // for cslip etc
  'rxCompressed', 'txCompressed',
  'rxNohandler',
  // rtnl_link_stats64 only (Linux 5.19+)
  'rxOtherhostDropped',
] as const;
type Counter = (typeof COUNTERS)[number];

/** The 32-bit struct ends at rx_nohandler. */
const COUNTERS32 = COUNTERS.slice(0, COUNTERS.indexOf('rxNohandler') + 1) as Exclude<Counter, 'rxOtherhostDropped'>[];

function fields<const K extends string, const T extends 'u64' | 'u32'>(names: readonly K[], kind: T): Record<K, T> {
  return Object.fromEntries(names.map((n) => [n, kind])) as Record<K, T>;
}

const STATS64_FIELDS = fields(COUNTERS, 'u64');
const STATS32_FIELDS = fields(COUNTERS32, 'u32');

/** struct rtnl_link_stats64 (IFLA_STATS64): 64-bit counters as bigint. */
export const rtnlLinkStats64 = defineGrowableStruct('rtnl_link_stats64', STATS64_FIELDS);
export type LinkStats64 = StructGrowableValue<typeof STATS64_FIELDS>;

/** struct rtnl_link_stats (IFLA_STATS): the legacy 32-bit counters (they wrap). */
export const rtnlLinkStats = defineGrowableStruct('rtnl_link_stats', STATS32_FIELDS);
export type LinkStats32 = StructGrowableValue<typeof STATS32_FIELDS>;
