/**
 * The fast way from a dumped address message to a typed Address, as route-scan.ts is for
 * routes: one pass over the ifaddrmsg and the attributes of almost every address (address,
 * local, label, broadcast, anycast, multicast, cacheinfo, flags, rt priority, proto), one
 * object per address, `message` decoded only if read (message-view.ts). Anything else —
 * another attribute, a repeat, an odd length, a family other than IPv4/IPv6 — gives up
 * (`undefined`): the caller decodes the message and runs toAddress.
 */
import { NLA_HDRLEN } from '../netlink/constants.js';
import { flagNamer } from '../netlink/fields.js';
import { addressAttributes, addressFlagNames, addressMessage, ifaCacheinfo, ifaddrmsg, type AddressFlagName, type AddressMessageValue } from '../netlink/route/address.js';
import { AddressFamily } from '../netlink/route/constants.js';
import { scopeNames, type ScopeName } from '../netlink/route/route-constants.js';
import { align4 } from '../netlink/writer.js';
import type { Address } from './addresses.js';
import { bodyIn, plainAttributeAt, readerOf, u32At, showsAsPlainObject } from './message-view.js';
import { familyName, nameOr, namesOf, type Family } from './shared.js';

/** Names of the header's numbers (shared with toAddress, addresses.ts). */
export const scopeByNumber = namesOf(scopeNames);
export const headerFlagNames = flagNamer(addressFlagNames);

const specs = addressAttributes.specs;
const IFA_ADDRESS = specs.address.type;
const IFA_LOCAL = specs.local.type;
const IFA_LABEL = specs.label.type;
const IFA_BROADCAST = specs.broadcast.type;
const IFA_ANYCAST = specs.anycast.type;
const IFA_CACHEINFO = specs.cacheinfo.type;
const IFA_MULTICAST = specs.multicast.type;
const IFA_FLAGS = specs.flags.type;
const IFA_RT_PRIORITY = specs.rtPriority.type;
const IFA_PROTO = specs.proto.type;
const readAddress = readerOf(specs.address.codec);
const readLabel = readerOf(specs.label.codec);
const readFlags = readerOf(specs.flags.codec);
const readProto = readerOf(specs.proto.codec);
const U32_BYTES = 4;
const ATTRIBUTES_AT = align4(ifaddrmsg.size);
/** Offsets in struct ifaddrmsg and struct ifa_cacheinfo. */
const PREFIXLEN = 1;
const FLAGS = 2;
const SCOPE = 3;
const INDEX = 4;
const PREFERRED = 0;
const VALID = 4;
const CSTAMP = 8;
const TSTAMP = 12;

/** An Address read straight from its message (see message-view.ts). */
class AddressView implements Address {
  readonly #datagram: Uint8Array;
  readonly #start: number;
  readonly #end: number;
  #message: AddressMessageValue | undefined;
  // Assigned in the constructor, in the order of toAddress's keys.
  declare family: Family | number;
  declare ifindex: number;
  declare address: string;
  declare prefixLength: number;
  declare scope: ScopeName | number;
  declare flags: Array<AddressFlagName | number>;
  // Set only when present, as toAddress does.
  declare peer?: string;
  declare broadcast?: string;
  declare anycast?: string;
  declare multicast?: string;
  declare label?: string;
  declare validLifetime?: number;
  declare preferredLifetime?: number;
  declare created?: number;
  declare updated?: number;
  declare metric?: number;

  constructor(b: Uint8Array, start: number, end: number, ifindex: number, address: string, flags: Array<AddressFlagName | number>) {
    this.#datagram = b;
    this.#start = start;
    this.#end = end;
    this.family = familyName(b[start]!);
    this.ifindex = ifindex;
    this.address = address;
    this.prefixLength = b[start + PREFIXLEN]!;
    this.scope = nameOr(scopeByNumber, b[start + SCOPE]!);
    this.flags = flags;
  }

  /** The whole message, decoded by the generic codec on first read. */
  get message(): AddressMessageValue {
    return (this.#message ??= addressMessage.decode(bodyIn(this.#datagram, this.#start, this.#end), this.#start));
  }
}
showsAsPlainObject(AddressView);

/**
 * The Address of the body of an RTM_NEWADDR reply, `b[start, end)` (`b` its datagram, `start`
 * its offset there), `null` when it is not of `index` (0: any) or `family` (AF_UNSPEC: any), or
 * undefined when it is not the common case (see the file comment).
 */
export function scanAddress(b: Uint8Array, start: number, end: number, index: number, family: number): Address | null | undefined {
  const af = b[start];
  if (end - start < ATTRIBUTES_AT || (af !== AddressFamily.AF_INET && af !== AddressFamily.AF_INET6)) return undefined;
  let seen = 0;
  let address: string | undefined;
  let local: string | undefined;
  let label: string | undefined;
  let broadcast: string | undefined;
  let anycast: string | undefined;
  let multicast: string | undefined;
  let flags: Array<AddressFlagName | number> | undefined;
  let priority: number | undefined;
  let cacheinfoAt = -1;
  for (let pos = start + ATTRIBUTES_AT; pos < end; ) {
    const type = plainAttributeAt(b, pos, end, seen);
    if (type < 0) return undefined;
    seen |= 1 << type;
    const len = b[pos]! | (b[pos + 1]! << 8);
    const o = pos + NLA_HDRLEN;
    const l = len - NLA_HDRLEN;
    switch (type) {
      case IFA_ADDRESS: if ((address = readAddress(b, o, l) as string | undefined) === undefined) return undefined; break;
      case IFA_LOCAL: if ((local = readAddress(b, o, l) as string | undefined) === undefined) return undefined; break;
      case IFA_BROADCAST: if ((broadcast = readAddress(b, o, l) as string | undefined) === undefined) return undefined; break;
      case IFA_ANYCAST: if ((anycast = readAddress(b, o, l) as string | undefined) === undefined) return undefined; break;
      case IFA_MULTICAST: if ((multicast = readAddress(b, o, l) as string | undefined) === undefined) return undefined; break;
      case IFA_LABEL: if ((label = readLabel(b, o, l) as string | undefined) === undefined) return undefined; break;
      case IFA_FLAGS: if ((flags = readFlags(b, o, l) as Array<AddressFlagName | number> | undefined) === undefined) return undefined; break;
      case IFA_RT_PRIORITY: if (l !== U32_BYTES) return undefined; priority = u32At(b, o); break;
      case IFA_CACHEINFO: if (l !== ifaCacheinfo.size) return undefined; cacheinfoAt = o; break;
      // Not an Address field, but it must be what its decoder reads (one byte).
      case IFA_PROTO: if (readProto(b, o, l) === undefined) return undefined; break;
      default: return undefined;
    }
    pos += align4(len);
  }
  const ifindex = u32At(b, start + INDEX);
  if ((index !== 0 && ifindex !== index) || (family !== AddressFamily.AF_UNSPEC && af !== family)) return null;
  const out = new AddressView(b, start, end, ifindex, local ?? address ?? '', flags ?? headerFlagNames(b[start + FLAGS]!));
  if (local !== undefined && address !== undefined && address !== local) out.peer = address;
  if (broadcast !== undefined) out.broadcast = broadcast;
  if (anycast !== undefined) out.anycast = anycast;
  if (multicast !== undefined) out.multicast = multicast;
  if (label !== undefined) out.label = label;
  if (cacheinfoAt >= 0) {
    out.validLifetime = u32At(b, cacheinfoAt + VALID);
    out.preferredLifetime = u32At(b, cacheinfoAt + PREFERRED);
    out.created = u32At(b, cacheinfoAt + CSTAMP);
    out.updated = u32At(b, cacheinfoAt + TSTAMP);
  }
  if (priority !== undefined) out.metric = priority;
  return out;
}
