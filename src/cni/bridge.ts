/**
 * The host side shared by every container of a network: the bridge (created on first use, up,
 * MTU, promiscuous mode), its gateway addresses when `isGateway`, and the sysctls that
 * netlink does not cover (forwarding, route_localnet for host-local port mapping clients).
 * Every step is idempotent, so concurrent ADDs creating the same bridge both succeed.
 */
import { randomBytes } from 'node:crypto';
import { formatIp, networkOf, parseIp, prefixContains, type IpFamily, type ParsedPrefix } from '../netlink/addresses.js';
import { NetlinkError } from '../netlink/errors.js';
import { ETH_ALEN, Iff } from '../netlink/route/link-constants.js';
import type { Link } from '../netlink/route/link.js';
import { sysctlWrite } from '../netns/sysctl.js';
import type { Addresses } from '../route/addresses.js';
import { setLinkRequest } from '../route/link-requests.js';
import type { Links } from '../route/links.js';
import { CniError, CniErrorCode } from './errors.js';

export interface BridgeSettings {
  name: string;
  mtu?: number;
  promiscMode: boolean;
}

const MAC_MULTICAST_BIT = 0x01;
const MAC_LOCAL_BIT = 0x02;

const isCode = (err: unknown, code: string): boolean => err instanceof NetlinkError && err.code === code;

/** The bridge, created if missing, up (and promiscuous when asked). */
export async function ensureBridge(links: Links, s: BridgeSettings): Promise<Link> {
  let bridge = await links.get(s.name);
  if (!bridge) {
    try {
      // An address of its own keeps the bridge's MAC stable: otherwise it follows its ports'.
      await links.createBridge({ name: s.name, up: true, address: randomMac(), ...(s.mtu !== undefined ? { mtu: s.mtu } : {}) });
    } catch (err) {
      // Another ADD created it meanwhile: fine.
      if (!isCode(err, 'EEXIST')) throw err;
    }
    bridge = await links.get(s.name);
    if (!bridge) throw new CniError(CniErrorCode.OperationFailed, `bridge ${s.name} vanished right after it was created`);
  }
  if (bridge.kind !== 'bridge') throw new CniError(CniErrorCode.InvalidNetworkConfig, `${s.name} exists and is a ${bridge.kind ?? 'non-bridge'} link, not a bridge`, `bridge=${s.name}`);
  if (!bridge.up) await links.set(bridge.index, { up: true });
  if (s.promiscMode && !bridge.flags.includes('PROMISC')) {
    // Links.set has no promisc option: the flag goes in ifinfomsg with its change mask.
    const request = setLinkRequest({ index: bridge.index }, {});
    request.message.header.flags = Iff.IFF_PROMISC;
    request.message.header.change = Iff.IFF_PROMISC;
    await links.send(request);
  }
  return bridge;
}

/** A random locally administered unicast MAC address. */
function randomMac(): string {
  const b = randomBytes(ETH_ALEN);
  b[0] = (b[0]! & ~MAC_MULTICAST_BIT) | MAC_LOCAL_BIT;
  return [...b].map((x) => x.toString(16).padStart(2, '0')).join(':');
}

/** The gateway address of a subnet: given, or the subnet's first host address. */
export function gatewayOf(address: ParsedPrefix, given: string | undefined): string {
  if (given !== undefined) return given;
  const first = networkOf(address.bytes, address.prefixLength);
  first[first.length - 1]! += 1;
  return formatIp(first);
}

/**
 * Give the bridge `gateway/prefix` for each subnet. A different address of the same subnet
 * already there is an error, unless `force` (the reference's forceAddress) replaces it.
 */
export async function ensureGateways(addresses: Addresses, bridgeIndex: number, gateways: readonly ParsedPrefix[], force: boolean): Promise<void> {
  if (gateways.length === 0) return;
  const present = await addresses.list({ dev: bridgeIndex });
  for (const gw of gateways) {
    const family = `inet${gw.family === 6 ? '6' : ''}`;
    const same = present.find((a) => a.family === family && a.address === gw.address && a.prefixLength === gw.prefixLength);
    if (same) continue;
    const clashing = present.filter((a) => a.family === family && a.scope !== 'link' && prefixContains(gw.bytes, gw.prefixLength, parseIp(a.address).bytes));
    if (clashing.length > 0 && !force) {
      const list = clashing.map((a) => `${a.address}/${a.prefixLength}`).join(', ');
      throw new CniError(CniErrorCode.OperationFailed, `bridge has ${list} in the gateway's subnet, not ${gw.address}/${gw.prefixLength}`, 'set forceAddress to replace it');
    }
    for (const a of clashing) await addresses.delete({ dev: bridgeIndex, address: `${a.address}/${a.prefixLength}` });
    try {
      await addresses.add({ dev: bridgeIndex, address: `${gw.address}/${gw.prefixLength}`, ...(gw.family === 6 ? { flags: ['nodad'] } : {}) });
    } catch (err) {
      if (!isCode(err, 'EEXIST')) throw err;
    }
  }
}

/** Forwarding on for each family the gateway serves (as the reference does for isGateway). */
export function enableForwarding(families: ReadonlySet<IpFamily>): void {
  if (families.has(4)) sysctlWrite(undefined, 'net.ipv4.ip_forward', 1);
  if (families.has(6)) sysctlWrite(undefined, 'net.ipv6.conf.all.forwarding', 1);
}

/**
 * Let the host reach mapped ports through 127.0.0.1: DNAT sends loopback-sourced packets out
 * of the bridge, which the kernel drops unless route_localnet is on there (the masquerade rule
 * then gives them the bridge's address).
 */
export function enableRouteLocalnet(bridge: string): void {
  sysctlWrite(undefined, `net/ipv4/conf/${bridge}/route_localnet`, 1);
}
