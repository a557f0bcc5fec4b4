/**
 * The per-container plumbing: the veth pair (host end on the bridge, container end created
 * directly inside the container's namespace in the same request), and inside the container
 * the interface up, its addresses and routes.
 */
import { parsePrefix, type IpFamily, type ParsedPrefix } from '../netlink/addresses.js';
import type { Connection } from '../netlink/connection.js';
import { NetlinkError } from '../netlink/errors.js';
import { Addresses } from '../route/addresses.js';
import { Links } from '../route/links.js';
import { Routes } from '../route/routes.js';
import { CniError, CniErrorCode } from './errors.js';
import type { CniRoute } from './result.js';

export interface VethPair {
  hostVeth: string;
  bridgeIndex: number;
  ifname: string;
  /** The container's namespace (CNI_NETNS). */
  netnsPath: string;
  mtu?: number;
  /** MAC address of the container end. */
  mac?: string;
}

const isCode = (err: unknown, code: string): boolean => err instanceof NetlinkError && err.code === code;

/**
 * Create the pair. A host end left by an earlier ADD of the same attachment that died is
 * replaced; a container interface of the same name is an error (the runtime asked for a name
 * that is taken).
 */
export async function createVethPair(links: Links, p: VethPair): Promise<void> {
  const create = (): Promise<void> =>
    links.createVeth({
      name: p.hostVeth,
      master: p.bridgeIndex,
      up: true,
      ...(p.mtu !== undefined ? { mtu: p.mtu } : {}),
      peer: { name: p.ifname, netns: { path: p.netnsPath }, ...(p.mtu !== undefined ? { mtu: p.mtu } : {}), ...(p.mac !== undefined ? { address: p.mac } : {}) },
    });
  try {
    await create();
    return;
  } catch (err) {
    if (!isCode(err, 'EEXIST')) throw err;
  }
  if (await links.get(p.hostVeth)) {
    await links.delete(p.hostVeth);
    try {
      await create();
      return;
    } catch (err) {
      if (!isCode(err, 'EEXIST')) throw err;
    }
  }
  throw new CniError(CniErrorCode.OperationFailed, `interface ${p.ifname} already exists in the container's namespace ${p.netnsPath}`, `CNI_IFNAME=${p.ifname}`);
}

export interface ContainerSetup {
  ifname: string;
  up: boolean;
  /** Addresses with the subnet's prefix length. */
  addresses: readonly ParsedPrefix[];
  /** Gateway per family, for routes that name none. */
  gateways: Partial<Record<IpFamily, string>>;
  routes: readonly CniRoute[];
  /** Duplicate address detection for IPv6 (off: addresses are usable at once). */
  enableDad: boolean;
}

/** Bring the container interface up and give it its addresses and routes; returns its MAC and index. */
export async function configureContainer(conn: Connection, s: ContainerSetup): Promise<{ index: number; mac?: string }> {
  const links = new Links(conn);
  const link = await links.get(s.ifname);
  if (!link) throw new CniError(CniErrorCode.OperationFailed, `interface ${s.ifname} is missing in the container right after it was created`);
  if (s.up) await links.set(link.index, { up: true });
  const addresses = new Addresses(conn);
  for (const a of s.addresses) {
    await addresses.add({ dev: link.index, address: `${a.address}/${a.prefixLength}`, ...(a.family === 6 && !s.enableDad ? { flags: ['nodad'] } : {}) });
  }
  if (s.up) {
    const routes = new Routes(conn);
    for (const r of s.routes) await routes.add(routeInput(r, link.index, s.gateways));
  }
  return { index: link.index, ...(link.address !== undefined ? { mac: link.address } : {}) };
}

/** A CNI route as a netns-ts route: `0.0.0.0/0` is the default route; no gw = the subnet's gateway. */
export function routeInput(r: CniRoute, dev: number, gateways: Partial<Record<IpFamily, string>>) {
  const dst = parsePrefix(r.dst, 'dst');
  const via = r.gw ?? gateways[dst.family];
  return {
    to: dst.prefixLength === 0 ? 'default' : `${dst.address}/${dst.prefixLength}`,
    family: dst.family,
    dev,
    ...(via !== undefined ? { via } : {}),
    ...(r.priority !== undefined ? { metric: r.priority } : {}),
    ...(r.table !== undefined ? { table: r.table } : {}),
    ...(r.mtu !== undefined || r.advmss !== undefined ? { metrics: { ...(r.mtu !== undefined ? { mtu: r.mtu } : {}), ...(r.advmss !== undefined ? { advmss: r.advmss } : {}) } } : {}),
  };
}
