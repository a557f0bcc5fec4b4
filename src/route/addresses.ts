/**
 * Interface addresses, as `ip address` manages them: add, replace, delete, flush and list
 * IPv4/IPv6 addresses over RTM_NEWADDR / RTM_DELADDR / RTM_GETADDR. Inputs are checked before
 * anything is sent; listings are typed `Address` objects.
 */
import { networkOf, parsePrefix, formatIp, parseIp, type ParsedPrefix } from '../netlink/addresses.js';
import type { Connection, RequestOptions } from '../netlink/connection.js';
import { NlmFlags } from '../netlink/constants.js';
import { NetlinkError, ValidationError } from '../netlink/errors.js';
import { flagNamer, numberToFlags } from '../netlink/fields.js';
import {
  addressFlagNames,
  addressMessage,
  INFINITY_LIFE_TIME,
  type AddressAttributes,
  type AddressFlagName,
  type AddressMessageValue,
} from '../netlink/route/address.js';
import { AddressFamily, RtmType } from '../netlink/route/constants.js';
import { IFNAMSIZ_MAX_BYTES } from '../netlink/route/link-constants.js';
import { encodeKernelText } from '../netlink/text.js';
import { RtScope, scopeNames, type ScopeName } from '../netlink/route/route-constants.js';
import { headerFlagNames, scanAddress, scopeByNumber } from './address-scan.js';
import { checkDeviceRef, ifindexAtOnce, lookupIfindex, resolveIfindex, type DeviceRef } from './devices.js';
import {
  afOf,
  checkInteger,
  familyName,
  familyNumber,
  flagNamesToNumber,
  nameOr,
  nameToNumber,
  outgoing,
  scanIpMessages,
  U32_MAX,
  type Family,
  type FamilyInput,
} from './shared.js';

/** An address as the kernel reports it. */
export interface Address {
  family: Family | number;
  ifindex: number;
  /** The interface's own address (IFA_LOCAL, or IFA_ADDRESS when there is no IFA_LOCAL). */
  address: string;
  prefixLength: number;
  /** The peer of a point-to-point address (IFA_ADDRESS when it differs from IFA_LOCAL). */
  peer?: string;
  broadcast?: string;
  anycast?: string;
  multicast?: string;
  label?: string;
  scope: ScopeName | number;
  flags: Array<AddressFlagName | number>;
  /** Seconds; INFINITY_LIFE_TIME (0xffffffff) means forever. */
  validLifetime?: number;
  preferredLifetime?: number;
  /** Created and last updated, in hundredths of a second since boot (ifa_cacheinfo). */
  created?: number;
  updated?: number;
  /** Metric of the prefix route the kernel adds (IFA_RT_PRIORITY). */
  metric?: number;
  /** The decoded message, for anything not surfaced above. */
  message: AddressMessageValue;
}

/** Flags a user may set (the others are states the kernel reports). */
const SETTABLE_FLAGS = ['nodad', 'noprefixroute', 'home', 'mngtmpaddr', 'autojoin', 'optimistic'] as const satisfies readonly AddressFlagName[];

/** What `addresses.add` / `replace` take; reads like `ip address add`. */
export interface AddressInput {
  dev: DeviceRef;
  /** `192.168.15.1/24`, `2001:db8::1/64`; without a length, /32 or /128 (as `ip` does). */
  address: string;
  /** Point-to-point peer (`10.0.0.2` or `10.0.0.0/30`); its length becomes the prefix length. */
  peer?: string;
  /** An IPv4 broadcast address, `+` (host bits set) or `-` (host bits clear), as `ip` computes them. */
  broadcast?: '+' | '-' | string;
  anycast?: string;
  label?: string;
  scope?: ScopeName | number;
  flags?: Array<(typeof SETTABLE_FLAGS)[number]>;
  /** Seconds or 'forever' (default forever). */
  validLifetime?: number | 'forever';
  preferredLifetime?: number | 'forever';
  /** Metric of the prefix route (IFA_RT_PRIORITY). */
  metric?: number;
}

/** What `addresses.delete` takes. */
export interface AddressDeleteInput {
  dev: DeviceRef;
  /**
   * The address with its prefix length. An IPv4 address without a length matches whatever
   * length is configured; for IPv6 the length must match (as with `ip`).
   */
  address: string;
  peer?: string;
  label?: string;
}

export interface AddressFilter {
  dev?: DeviceRef;
  family?: FamilyInput;
}

export interface AddressFlushFilter extends AddressFilter {
  /** Only addresses of this scope. */
  scope?: ScopeName | number;
}

const IPV4_BITS = 32;
/** `ip` only computes a broadcast for prefixes that leave at least two host bits. */
const BROADCAST_MAX_PREFIX = 30;
const LOOPBACK_FIRST_OCTET = 127;
/** ifa_flags is one byte; larger flag values need IFA_FLAGS. */
const IFA_FLAGS_HEADER_MAX = 0xff;
const EADDRNOTAVAIL = 'EADDRNOTAVAIL';

function lifetime(value: number | 'forever' | undefined, field: string): number | undefined {
  if (value === undefined) return undefined;
  if (value === 'forever') return INFINITY_LIFE_TIME;
  return checkInteger(value, field, 0, U32_MAX);
}

/** IFA_LABEL: like an interface name, at most IFNAMSIZ - 1 bytes (the kernel's policy). */
function checkLabel(label: unknown): string {
  if (typeof label !== 'string' || label.length === 0 || label.includes('\0')) throw new ValidationError('label', 'must be a non-empty string without NUL', label);
  const bytes = encodeKernelText(label).length;
  if (bytes > IFNAMSIZ_MAX_BYTES) throw new ValidationError('label', `is ${bytes} bytes, at most ${IFNAMSIZ_MAX_BYTES} allowed`, label);
  return label;
}

function sameFamily(text: string, family: 4 | 6, field: string): ParsedPrefix {
  const p = parsePrefix(text, field);
  if (p.family !== family) throw new ValidationError(field, `is IPv${p.family} but address is IPv${family}`, text);
  return p;
}

/** `ip`'s broadcast computation: host bits of `base` set (`+`) or cleared (`-`). */
function computedBroadcast(base: ParsedPrefix, plus: boolean): string | undefined {
  if (base.prefixLength > BROADCAST_MAX_PREFIX) return undefined;
  const net = networkOf(base.bytes, base.prefixLength);
  if (!plus) return formatIp(net);
  const out = net.slice();
  for (let bit = base.prefixLength; bit < IPV4_BITS; bit++) out[bit >> 3]! |= 0x80 >> (bit & 7);
  return formatIp(out);
}

/** Everything about an add/replace that can be checked without the kernel. */
function buildAddress(input: AddressInput): { header: Omit<AddressMessageValue['header'], 'index'>; attributes: AddressAttributes } {
  if (input === null || typeof input !== 'object') throw new ValidationError('address', 'must be an object like { dev, address }', input);
  checkDeviceRef(input.dev);
  const local = parsePrefix(input.address, 'address');
  const peer = input.peer === undefined ? undefined : sameFamily(input.peer, local.family, 'peer');
  // Attribute order as `ip address add` writes them, so requests match its bytes exactly.
  const attributes: AddressAttributes = { local: local.address };
  if (input.label !== undefined) attributes.label = checkLabel(input.label);
  if (peer) attributes.address = peer.address;
  const computeBroadcast = input.broadcast === '+' || input.broadcast === '-';
  if (input.broadcast !== undefined) {
    if (local.family !== 4) throw new ValidationError('broadcast', 'broadcast addresses exist only for IPv4', input.broadcast);
    if (!computeBroadcast) attributes.broadcast = formatIp(parseIp(input.broadcast, 'broadcast', 4).bytes);
  }
  if (input.anycast !== undefined) attributes.anycast = formatIp(parseIp(input.anycast, 'anycast', local.family).bytes);
  if (input.metric !== undefined) attributes.rtPriority = checkInteger(input.metric, 'metric', 0, U32_MAX);
  const flagBits = input.flags === undefined ? 0 : flagNamesToNumber(addressFlagNames, input.flags, 'flags', SETTABLE_FLAGS);
  if (flagBits > IFA_FLAGS_HEADER_MAX) attributes.flags = numberToFlags(flagBits, addressFlagNames);
  if (!peer) attributes.address = local.address;
  if (computeBroadcast) {
    const computed = computedBroadcast(peer ?? local, input.broadcast === '+');
    if (computed !== undefined) attributes.broadcast = computed;
  }
  const valid = lifetime(input.validLifetime, 'validLifetime');
  const preferred = lifetime(input.preferredLifetime, 'preferredLifetime');
  if (valid !== undefined || preferred !== undefined) {
    const v = valid ?? INFINITY_LIFE_TIME;
    const p = preferred ?? INFINITY_LIFE_TIME;
    if (v === 0) throw new ValidationError('validLifetime', 'must not be zero', input.validLifetime);
    if (p > v) throw new ValidationError('preferredLifetime', 'must not exceed validLifetime', input.preferredLifetime);
    attributes.cacheinfo = { preferred: p, valid: v, cstamp: 0, tstamp: 0 };
  }
  const defaultScope = local.family === 4 && local.bytes[0] === LOOPBACK_FIRST_OCTET ? RtScope.RT_SCOPE_HOST : RtScope.RT_SCOPE_UNIVERSE;
  return {
    header: {
      family: afOf(local.family),
      prefixlen: (peer ?? local).prefixLength,
      flags: flagBits > IFA_FLAGS_HEADER_MAX ? 0 : flagBits,
      scope: input.scope === undefined ? defaultScope : nameToNumber(scopeNames, input.scope, 'scope', RtScope.RT_SCOPE_NOWHERE),
    },
    attributes,
  };
}

/** The typed view of a decoded address message. */
export function toAddress(message: AddressMessageValue): Address {
  const { header, attributes: a } = message;
  const address = a.local ?? a.address ?? '';
  const out: Address = {
    family: familyName(header.family),
    ifindex: header.index,
    address,
    prefixLength: header.prefixlen,
    scope: nameOr(scopeByNumber, header.scope),
    flags: a.flags ?? headerFlagNames(header.flags),
    message,
  };
  if (a.local !== undefined && a.address !== undefined && a.address !== a.local) out.peer = a.address;
  if (a.broadcast !== undefined) out.broadcast = a.broadcast;
  if (a.anycast !== undefined) out.anycast = a.anycast;
  if (a.multicast !== undefined) out.multicast = a.multicast;
  if (a.label !== undefined) out.label = a.label;
  if (a.cacheinfo) {
    out.validLifetime = a.cacheinfo.valid;
    out.preferredLifetime = a.cacheinfo.preferred;
    out.created = a.cacheinfo.cstamp;
    out.updated = a.cacheinfo.tstamp;
  }
  if (a.rtPriority !== undefined) out.metric = a.rtPriority;
  return out;
}

/** Addresses of one network namespace (the namespace of the connection). */
export class Addresses {
  constructor(private readonly conn: Connection) {}

  /** `ip address add`: fails with EEXIST if the address is already there. */
  add(input: AddressInput, options?: RequestOptions): Promise<void> {
    return this.modify(input, NlmFlags.NLM_F_CREATE | NlmFlags.NLM_F_EXCL, options);
  }

  /** `ip address replace`: adds, or updates the existing address in place. */
  replace(input: AddressInput, options?: RequestOptions): Promise<void> {
    return this.modify(input, NlmFlags.NLM_F_CREATE | NlmFlags.NLM_F_REPLACE, options);
  }

  /** `ip address delete`. */
  async delete(input: AddressDeleteInput, options?: RequestOptions): Promise<void> {
    if (input === null || typeof input !== 'object') throw new ValidationError('address', 'must be an object like { dev, address }', input);
    checkDeviceRef(input.dev);
    const local = parsePrefix(input.address, 'address');
    const peer = input.peer === undefined ? undefined : sameFamily(input.peer, local.family, 'peer');
    if (input.label !== undefined) checkLabel(input.label);
    const index = ifindexAtOnce(this.conn, input.dev, 'dev', options) || (await lookupIfindex(this.conn, input.dev, 'dev', options));
    const attributes: AddressAttributes = { local: local.address };
    if (input.label !== undefined) attributes.label = input.label;
    // As `ip`: an IPv4 address given without a length deletes by address alone (any prefix).
    const wildcard = local.family === 4 && !input.address.includes('/');
    if (peer) attributes.address = peer.address;
    else if (!wildcard) attributes.address = local.address;
    const header = { family: afOf(local.family), prefixlen: (peer ?? local).prefixLength, flags: 0, scope: RtScope.RT_SCOPE_UNIVERSE, index };
    await this.conn.request(outgoing(addressMessage, RtmType.RTM_DELADDR, 'RTM_DELADDR', 0, { header, attributes }), options);
  }

  /**
   * `ip address show`: the addresses of every interface, or of `dev`, of one family or both.
   * Filtering happens in the kernel (strict checking) and again here.
   */
  async list(filter: AddressFilter = {}, options?: RequestOptions): Promise<Address[]> {
    const family = filter.family === undefined ? AddressFamily.AF_UNSPEC : familyNumber(filter.family);
    if (filter.dev !== undefined) checkDeviceRef(filter.dev);
    const index = filter.dev === undefined ? 0 : await resolveIfindex(this.conn, filter.dev, 'dev', options);
    const header = { family, prefixlen: 0, flags: 0, scope: 0, index };
    const request = outgoing(addressMessage, RtmType.RTM_GETADDR, 'RTM_GETADDR', 0, { header, attributes: {} });
    return scanIpMessages(
      this.conn,
      request,
      options,
      addressMessage,
      RtmType.RTM_NEWADDR,
      (bytes, start, end) => scanAddress(bytes, start, end, index, family),
      (m) => ((index !== 0 && m.header.index !== index) || (family !== AddressFamily.AF_UNSPEC && m.header.family !== family) ? undefined : toAddress(m)),
    );
  }

  /**
   * `ip address flush`: deletes every matching address in one datagram and returns how many
   * went. Secondaries go first; one already removed with its primary is not an error.
   */
  async flush(filter: AddressFlushFilter = {}, options?: RequestOptions): Promise<number> {
    const scope = filter.scope === undefined ? undefined : nameToNumber(scopeNames, filter.scope, 'scope', RtScope.RT_SCOPE_NOWHERE);
    const found = (await this.list(filter, options)).filter((a) => scope === undefined || a.message.header.scope === scope);
    const ordered = [...found.filter((a) => a.flags.includes('secondary')), ...found.filter((a) => !a.flags.includes('secondary'))];
    if (ordered.length === 0) return 0;
    const outcomes = await this.conn.batch(
      ordered.map((a) => {
        const attributes: AddressAttributes = { local: a.message.attributes.local ?? a.address };
        if (a.message.attributes.address !== undefined) attributes.address = a.message.attributes.address;
        return outgoing(addressMessage, RtmType.RTM_DELADDR, 'RTM_DELADDR', NlmFlags.NLM_F_ACK, { header: { ...a.message.header }, attributes });
      }),
      options,
    );
    let deleted = 0;
    for (const outcome of outcomes) {
      if (outcome.status === 'acked') deleted++;
      else if (outcome.status === 'failed' && !(outcome.error instanceof NetlinkError && outcome.error.code === EADDRNOTAVAIL)) throw outcome.error;
    }
    return deleted;
  }

  private async modify(input: AddressInput, flags: number, options?: RequestOptions): Promise<void> {
    const built = buildAddress(input);
    const index = ifindexAtOnce(this.conn, input.dev, 'dev', options) || (await lookupIfindex(this.conn, input.dev, 'dev', options));
    await this.conn.request(outgoing(addressMessage, RtmType.RTM_NEWADDR, 'RTM_NEWADDR', flags, { header: { ...built.header, index }, attributes: built.attributes }), options);
  }
}
