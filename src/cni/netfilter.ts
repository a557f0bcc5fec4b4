/**
 * Changing the plugin's nf_tables tables (the inet one of NAT rules and the bridge one of MAC
 * checks): under the plugin's lock (so its own concurrent invocations take turns instead of
 * racing), read the tables as one snapshot, compute the commands from it, and apply them as
 * ONE batch pinned to the snapshot's generation — a writer outside this plugin committing in
 * between makes the kernel refuse the batch (ERESTART), and the plan is recomputed from a
 * fresh snapshot. Also: flushing the conntrack entries of removed port mappings, so
 * established flows stop using them. (This is applyOptimistic's protocol, for tables that may
 * not exist yet.)
 */
import type { IpFamily } from '../netlink/addresses.js';
import { connect } from '../netlink/connect.js';
import type { Connection } from '../netlink/connection.js';
import { NetlinkProtocol } from '../netlink/constants.js';
import { NetlinkError } from '../netlink/errors.js';
import { Conntrack, matchesFilter, type ConntrackFilter } from '../conntrack/client.js';
import type { NftCommand } from '../nft/command.js';
import { applyBatch } from '../nft/apply.js';
import { NftGenerationChangedError } from '../nft/batch-errors.js';
import { OptimisticConflictError } from '../nft/optimistic.js';
import type { TableFamily } from '../nft/constants.js';
import { listRuleset, listTables, readGeneration, RulesetChangedError, type Ruleset } from '../nft/reader.js';
import { withLock } from './lock.js';
import type { PortMapping } from './port-mappings.js';
import { MAC_TABLE_FAMILY } from './mac-check.js';
import { CNI_TABLE, CNI_TABLE_FAMILY } from './rules.js';
import { lockPath } from './state.js';

/** A NETLINK_NETFILTER connection in this process's namespace (nf_tables and conntrack). */
export function connectNetfilter(): Connection {
  return connect({ protocol: NetlinkProtocol.NETLINK_NETFILTER });
}

/** Attempts per change: each lost race against an outside writer costs one. */
const ATTEMPTS = 10;

const isMissing = (err: unknown): boolean => err instanceof NetlinkError && err.code === 'ENOENT';
const OUR_FAMILIES: readonly TableFamily[] = [CNI_TABLE_FAMILY, MAC_TABLE_FAMILY];

/**
 * Both of the plugin's tables (the inet one, and the bridge one that exists only where
 * macspoofchk is used) as one snapshot: the namespace's table list says which of them exist,
 * then each present one is listed, and the whole is taken only if every listing ended at the
 * generation the table list was read at (nf_tables numbers every commit of the namespace,
 * whatever its family); otherwise, or when a table went between the look and its listing,
 * everything is read again.
 */
export async function readTables(conn: Connection): Promise<Ruleset> {
  for (let attempt = 1; attempt <= ATTEMPTS; attempt++) {
    const generation = await readGeneration(conn);
    const present = (await listTables(conn)).filter((t) => t.name === CNI_TABLE && OUR_FAMILIES.includes(t.family as TableFamily));
    const parts: Ruleset[] = [];
    try {
      for (const t of present) parts.push(await listRuleset(conn, { family: t.family as TableFamily, table: CNI_TABLE, elements: false }));
    } catch (err) {
      // A table filter on a table deleted meanwhile: some dumps answer ENOENT.
      if (!isMissing(err)) throw err;
      continue;
    }
    const settled = parts.length > 0 ? parts.every((p) => p.generation === generation) : (await readGeneration(conn)) === generation;
    if (!settled) continue;
    return {
      generation,
      tables: parts.flatMap((p) => p.tables),
      chains: parts.flatMap((p) => p.chains),
      rules: parts.flatMap((p) => p.rules),
      sets: parts.flatMap((p) => p.sets),
      objects: parts.flatMap((p) => p.objects),
      flowtables: parts.flatMap((p) => p.flowtables),
    };
  }
  throw new RulesetChangedError(ATTEMPTS);
}

/**
 * Apply what `plan` computes from the current tables, atomically, under the plugin's lock:
 * one batch pinned to the snapshot's generation, recomputed when an outside writer got in
 * between (ERESTART). Returns the snapshot the applied plan was computed from.
 */
export async function changeTable(conn: Connection, dataDir: string, plan: (ruleset: Ruleset) => NftCommand[]): Promise<Ruleset> {
  return withLock(lockPath(dataDir), async () => {
    for (let attempt = 1; attempt <= ATTEMPTS; attempt++) {
      const ruleset = await readTables(conn);
      const commands = plan(ruleset);
      if (commands.length === 0) return ruleset;
      try {
        await applyBatch(conn, { commands, genid: ruleset.generation });
        return ruleset;
      } catch (err) {
        if (!(err instanceof NftGenerationChangedError)) throw err;
      }
    }
    throw new OptimisticConflictError(ATTEMPTS);
  });
}

/** Conntrack filters for the flows of port mappings to `addresses` (established flows keep their NAT until their entry goes). */
export function mappingFlows(mappings: readonly PortMapping[], addresses: readonly { family: IpFamily; address: string }[]): ConntrackFilter[] {
  const out: ConntrackFilter[] = [];
  for (const a of addresses) {
    for (const m of mappings) out.push({ family: a.family, protocol: m.protocol, origDstPort: m.hostPort, replySrc: a.address, replySrcPort: m.containerPort });
  }
  return out;
}

/**
 * UDP flows to mapped host ports made before the mapping existed: UDP has no handshake, so
 * an old entry (e.g. one that met "port unreachable") would keep catching the traffic.
 */
export function staleUdpFlows(mappings: readonly PortMapping[]): ConntrackFilter[] {
  return mappings.filter((m) => m.protocol === 'udp').map((m) => ({ protocol: 'udp', origDstPort: m.hostPort }));
}

/** Delete the conntrack entries matching any filter (one dump for all). Returns how many went. */
export async function flushConntrack(conn: Connection, filters: readonly ConntrackFilter[]): Promise<number> {
  if (filters.length === 0) return 0;
  const conntrack = new Conntrack(conn);
  const families = new Set(filters.map((f) => f.family));
  const family = families.size === 1 ? [...families][0] : undefined;
  const doomed = (await conntrack.list(family)).filter((e) => filters.some((f) => matchesFilter(e, f)));
  const deleted = await Promise.all(doomed.map((e) => conntrack.delete(e)));
  return deleted.filter(Boolean).length;
}
