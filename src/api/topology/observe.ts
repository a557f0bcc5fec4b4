/**
 * What exists now, as far as a topology is concerned: the host's links, each of the
 * topology's namespaces (if it exists) with its links, addresses and routes, and the NAT
 * table's comment (its digest).
 */
import { NetlinkError } from '../../netlink/errors.js';
import { isStaleNetns, listNetns } from '../../netns/netns.js';
import { commentOf } from '../../nft/udata.js';
import type { Link } from '../../netlink/route/link.js';
import type { Address } from '../../route/addresses.js';
import type { Route } from '../../route/routes.js';
import { readJournal, type Journal } from './journal.js';
import { natTableName, ownerAlias } from './marks.js';
import type { ResolvedTopology } from './resolved.js';
import type { NetnsSession } from './session.js';

export interface ObservedLink {
  name: string;
  index: number;
  kind?: string;
  /** The master's name (a bridge), if any. */
  master?: string;
  up: boolean;
  mtu?: number;
  group?: number;
  alias?: string;
  /** `ADDR/LEN`, link-local IPv6 left out (the kernel adds those by itself). */
  addresses: string[];
}

export interface ObservedRoute {
  family: 4 | 6;
  /** `default` or `ADDR/LEN`. */
  to: string;
  via?: string;
  dev?: string;
  metric?: number;
  protocol: string | number;
}

export interface ObservedNetns {
  links: Map<string, ObservedLink>;
  routes: ObservedRoute[];
}

export interface Observed {
  journal: Journal | undefined;
  /** Every name in /run/netns that is a namespace. */
  existing: Set<string>;
  /**
   * Names of the topology (namespaces and host) in /run/netns that are not namespaces: left by
   * a creation killed before its mount (isStaleNetns). Not in `existing`.
   */
  stale: Set<string>;
  host: ObservedNetns;
  namespaces: Map<string, ObservedNetns>;
  /** The NAT table's comment, or undefined when the table does not exist. */
  natComment: string | undefined;
  alias: string;
}

const isLinkLocal6 = (a: Address): boolean => a.family === 'inet6' && a.scope === 'link';

export async function observeNetns(session: NetnsSession): Promise<ObservedNetns> {
  const [links, addresses, routes] = await Promise.all([session.links.list(), session.addresses.list(), session.routes.list({ table: 'main' })]);
  const byIndex = new Map<number, Link>(links.map((l) => [l.index, l]));
  const out = new Map<string, ObservedLink>();
  for (const l of links) {
    const master = l.master !== undefined ? byIndex.get(l.master)?.name : undefined;
    out.set(l.name, {
      name: l.name,
      index: l.index,
      ...(l.kind !== undefined ? { kind: l.kind } : {}),
      ...(master !== undefined ? { master } : {}),
      up: l.up,
      ...(l.mtu !== undefined ? { mtu: l.mtu } : {}),
      ...(l.group !== undefined ? { group: l.group } : {}),
      ...(l.alias !== undefined ? { alias: l.alias } : {}),
      addresses: [],
    });
  }
  for (const a of addresses) {
    if (isLinkLocal6(a)) continue;
    const link = byIndex.get(a.ifindex);
    if (link) out.get(link.name)?.addresses.push(`${a.address}/${a.prefixLength}`);
  }
  return { links: out, routes: routes.map((r) => toObservedRoute(r, byIndex)) };
}

function toObservedRoute(r: Route, byIndex: Map<number, Link>): ObservedRoute {
  const family = r.family === 'inet6' ? 6 : 4;
  const dev = r.ifindex !== undefined ? byIndex.get(r.ifindex)?.name : undefined;
  return {
    family,
    to: r.to,
    ...(r.via !== undefined ? { via: r.via } : {}),
    ...(dev !== undefined ? { dev } : {}),
    ...(r.metric !== undefined ? { metric: r.metric } : {}),
    protocol: r.protocol,
  };
}

async function natComment(session: NetnsSession, table: string): Promise<string | undefined> {
  try {
    const ruleset = await session.nft.listRuleset({ family: 'inet', table });
    const t = ruleset.tables.find((x) => x.name === table);
    return t ? (commentOf(t.userdata) ?? '') : undefined;
  } catch (err) {
    if (err instanceof NetlinkError && err.code === 'ENOENT') return undefined;
    throw err;
  }
}

/** Observe the host and every namespace of `t` that exists. */
export async function observe(t: ResolvedTopology, sessionOf: (netns: string | undefined) => NetnsSession): Promise<Observed> {
  const existing = new Set(listNetns());
  const stale = new Set<string>();
  for (const name of [...(t.host !== undefined ? [t.host] : []), ...t.namespaces.map((n) => n.name)]) {
    if (existing.has(name) && isStaleNetns(name)) {
      existing.delete(name);
      stale.add(name);
    }
  }
  const journal = readJournal(t.name);
  const hostExists = t.host === undefined || existing.has(t.host);
  const host = hostExists ? await observeNetns(sessionOf(t.host)) : { links: new Map(), routes: [] };
  const namespaces = new Map<string, ObservedNetns>();
  await Promise.all(
    t.namespaces.filter((n) => existing.has(n.name)).map(async (n) => namespaces.set(n.name, await observeNetns(sessionOf(n.name)))),
  );
  const comment = hostExists ? await natComment(sessionOf(t.host), natTableName(t.name)) : undefined;
  return { journal, existing, stale, host, namespaces, natComment: comment, alias: ownerAlias(t.name) };
}
