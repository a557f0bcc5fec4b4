/**
 * Per-device IPv4/IPv6 settings (`ip netconf show`) over RTM_GETNETCONF: forwarding, rp_filter,
 * proxy_neigh … for each interface and for the `all` and `default` pseudo-entries.
 *
 * Changing them: the kernel has no netconf "set" message. IPv4 per-device values can be
 * written over rtnetlink through IFLA_AF_SPEC / IFLA_INET_CONF (the links module), but that
 * path stores the value without the side effects of the sysctl (no netconf notification, no
 * LRO disabling for forwarding, and `all` is not propagated); IPv6 forwarding cannot be set
 * over netlink at all. So {@link setForwarding} writes the sysctl
 * (`net/ipv4/conf/DEV/forwarding` or `net/ipv6/conf/DEV/forwarding`) inside the namespace
 * with `sysctlWrite` from src/netns, exactly as `sysctl -w` would.
 */
import type { Connection, RequestOptions } from '../netlink/connection.js';
import { ValidationError } from '../netlink/errors.js';
import { AddressFamily, RtmType } from '../netlink/route/constants.js';
import { netconfMessage, NetconfIfindex, type NetconfMessageValue } from '../netlink/route/netconf.js';
import type { NetnsRef } from '../netns/handle.js';
import { sysctlWrite } from '../netns/sysctl.js';
import { checkDeviceRef, resolveIfindex, validateDeviceName, type DeviceRef } from './devices.js';
import { decodeIpMessages, familyName, familyNumber, ipVersion, outgoing, type Family, type FamilyInput } from './shared.js';

/** Which settings an entry holds: a device, or the `all` / `default` pseudo-devices. */
export type NetconfTarget = DeviceRef | 'all' | 'default';

/** One family's settings for one device, as `ip -j netconf` shows them. */
export interface NetconfEntry {
  family: Family | number;
  /** The device's ifindex, or `all` / `default`. */
  ifindex: number | 'all' | 'default';
  forwarding?: boolean;
  /** 0 off, 1 strict, 2 loose (IPv4). */
  rpFilter?: number;
  mcForwarding?: boolean;
  proxyNeigh?: boolean;
  ignoreRoutesWithLinkdown?: boolean;
  /** IPv6 `accept` of input packets on the device. */
  input?: boolean;
  bcForwarding?: boolean;
  /** The decoded message, for anything not surfaced above. */
  message: NetconfMessageValue;
}

function ifindexOf(value: number | undefined): NetconfEntry['ifindex'] {
  if (value === NetconfIfindex.NETCONFA_IFINDEX_ALL) return 'all';
  if (value === NetconfIfindex.NETCONFA_IFINDEX_DEFAULT) return 'default';
  return value ?? 0;
}

const bool = (v: number | undefined): boolean | undefined => (v === undefined ? undefined : v !== 0);

/** The typed view of a decoded netconf message. */
export function toNetconfEntry(message: NetconfMessageValue): NetconfEntry {
  const a = message.attributes;
  const out: NetconfEntry = { family: familyName(message.header.family), ifindex: ifindexOf(a.ifindex), message };
  const set = <K extends keyof NetconfEntry>(key: K, value: NetconfEntry[K] | undefined): void => {
    if (value !== undefined) out[key] = value;
  };
  set('forwarding', bool(a.forwarding));
  set('rpFilter', a.rpFilter);
  set('mcForwarding', bool(a.mcForwarding));
  set('proxyNeigh', bool(a.proxyNeigh));
  set('ignoreRoutesWithLinkdown', bool(a.ignoreRoutesWithLinkdown));
  set('input', bool(a.input));
  set('bcForwarding', bool(a.bcForwarding));
  return out;
}

export class Netconf {
  constructor(private readonly conn: Connection) {}

  /** `ip netconf show`: every device's settings (and all/default), of one family or both. */
  async list(filter: { family?: FamilyInput } = {}, options?: RequestOptions): Promise<NetconfEntry[]> {
    const family = filter.family === undefined ? AddressFamily.AF_UNSPEC : familyNumber(filter.family);
    const replies = await this.conn.dump(outgoing(netconfMessage, RtmType.RTM_GETNETCONF, 'RTM_GETNETCONF', 0, { header: { family }, attributes: {} }), options);
    return decodeIpMessages(netconfMessage, RtmType.RTM_NEWNETCONF, replies)
      .filter((m) => family === AddressFamily.AF_UNSPEC || m.header.family === family)
      .map(toNetconfEntry);
  }

  /** `ip netconf show dev DEV`: one device's settings for one family. */
  async get(target: NetconfTarget, family: FamilyInput, options?: RequestOptions): Promise<NetconfEntry> {
    const af = familyNumber(family);
    let ifindex: number;
    if (target === 'all') ifindex = NetconfIfindex.NETCONFA_IFINDEX_ALL;
    else if (target === 'default') ifindex = NetconfIfindex.NETCONFA_IFINDEX_DEFAULT;
    else {
      checkDeviceRef(target);
      ifindex = await resolveIfindex(this.conn, target, 'dev', options);
    }
    const replies = await this.conn.request(outgoing(netconfMessage, RtmType.RTM_GETNETCONF, 'RTM_GETNETCONF', 0, { header: { family: af }, attributes: { ifindex } }), options);
    const [entry] = decodeIpMessages(netconfMessage, RtmType.RTM_NEWNETCONF, replies);
    if (!entry) throw new ValidationError('dev', 'the kernel sent no netconf entry', target);
    return toNetconfEntry(entry);
  }
}

/**
 * Turn forwarding on or off for one device (by name), or for `all` / `default`, in a namespace
 * (`undefined`: this process's). This is the sysctl, not netlink: see the module comment.
 */
export function setForwarding(netns: NetnsRef | undefined, target: string, family: FamilyInput, enabled: boolean): void {
  const dev = target === 'all' || target === 'default' ? target : validateDeviceName(target);
  if (typeof enabled !== 'boolean') throw new ValidationError('enabled', 'must be true or false', enabled);
  // Dots in a name would be read as levels in the dotted form; the slash form keeps them literal.
  sysctlWrite(netns, `net/ipv${ipVersion(family)}/conf/${dev}/forwarding`, enabled ? 1 : 0);
}
