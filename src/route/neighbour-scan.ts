/**
 * The fast way from a dumped neighbour message to a typed Neighbour, as route-scan.ts is for
 * routes: one pass over the ndmsg and the attributes of almost every entry (dst, lladdr,
 * cacheinfo, probes, protocol), one object per entry, `message` decoded only if read
 * (message-view.ts). Anything else — another attribute, a repeat, an odd length, a family other
 * than IPv4/IPv6 — gives up (`undefined`): the caller decodes the message and runs toNeighbour.
 */
import { NLA_HDRLEN } from '../netlink/constants.js';
import { flagNamer } from '../netlink/fields.js';
import { AddressFamily } from '../netlink/route/constants.js';
import {
  ndaCacheinfo,
  ndmsg,
  neighbourAttributes,
  neighbourFlagNames,
  neighbourMessage,
  neighbourStateNames,
  NtfFlag,
  type NeighbourFlagName,
  type NeighbourMessageValue,
  type NeighbourStateName,
} from '../netlink/route/neighbour.js';
import { routeTypeNames, type RouteTypeName } from '../netlink/route/route-constants.js';
import { align4 } from '../netlink/writer.js';
import { bodyIn, plainAttributeAt, readerOf, u32At, showsAsPlainObject } from './message-view.js';
import { familyName, nameOr, namesOf, type Family } from './shared.js';

/** Names of the header's numbers (shared with toNeighbour, neighbours.ts). */
export const typeByNumber = namesOf(routeTypeNames);
export const stateNames = flagNamer(neighbourStateNames);
export const ntfNames = flagNamer(neighbourFlagNames);

/** What a listing keeps: a device (undefined: any), a family (AF_UNSPEC: any), proxy entries or not. */
export interface NeighbourSelection {
  ifindex: number | undefined;
  family: number;
  proxy: boolean;
}

const specs = neighbourAttributes.specs;
const NDA_DST = specs.dst.type;
const NDA_LLADDR = specs.lladdr.type;
const NDA_CACHEINFO = specs.cacheinfo.type;
const NDA_PROBES = specs.probes.type;
const NDA_PROTOCOL = specs.protocol.type;
const readAddress = readerOf(specs.dst.codec);
const readLinkAddress = readerOf(specs.lladdr.codec);
const readProtocol = readerOf(specs.protocol.codec);
const U32_BYTES = 4;
const ATTRIBUTES_AT = align4(ndmsg.size);
/** Offsets in struct ndmsg and struct nda_cacheinfo. */
const IFINDEX = 4;
const STATE = 8;
const FLAGS = 10;
const TYPE = 11;
const CONFIRMED = 0;
const USED = 4;
const UPDATED = 8;
const REFCNT = 12;


/** Fields of a Neighbour (neighbours.ts), read straight from its message (see message-view.ts). */
class NeighbourView {
  readonly #datagram: Uint8Array;
  readonly #start: number;
  readonly #end: number;
  #message: NeighbourMessageValue | undefined;
  // Assigned in the constructor, in the order of toNeighbour's keys.
  declare family: Family | number;
  declare ifindex: number;
  declare address: string;
  declare state: Array<NeighbourStateName | number>;
  declare flags: Array<NeighbourFlagName | number>;
  declare type: RouteTypeName | number;
  // Set only when present, as toNeighbour does.
  declare lladdr?: string;
  declare probes?: number;
  declare confirmed?: number;
  declare used?: number;
  declare updated?: number;
  declare refcnt?: number;

  constructor(b: Uint8Array, start: number, end: number, ifindex: number, address: string) {
    this.#datagram = b;
    this.#start = start;
    this.#end = end;
    this.family = familyName(b[start]!);
    this.ifindex = ifindex;
    this.address = address;
    this.state = stateNames(b[start + STATE]! | (b[start + STATE + 1]! << 8));
    this.flags = ntfNames(b[start + FLAGS]!);
    this.type = nameOr(typeByNumber, b[start + TYPE]!);
  }

  /** The whole message, decoded by the generic codec on first read. */
  get message(): NeighbourMessageValue {
    return (this.#message ??= neighbourMessage.decode(bodyIn(this.#datagram, this.#start, this.#end), this.#start));
  }
}
showsAsPlainObject(NeighbourView);

/**
 * The Neighbour of the body of an RTM_NEWNEIGH reply, `b[start, end)` (`b` its datagram, `start`
 * its offset there), `null` when `selection` drops it, or undefined when it is not the common
 * case (see the file comment).
 */
export function scanNeighbour(b: Uint8Array, start: number, end: number, selection: NeighbourSelection): NeighbourView | null | undefined {
  const family = b[start];
  if (end - start < ATTRIBUTES_AT || (family !== AddressFamily.AF_INET && family !== AddressFamily.AF_INET6)) return undefined;
  let seen = 0;
  let dst: string | undefined;
  let lladdr: string | undefined;
  let probes: number | undefined;
  let cacheinfoAt = -1;
  for (let pos = start + ATTRIBUTES_AT; pos < end; ) {
    const type = plainAttributeAt(b, pos, end, seen);
    if (type < 0) return undefined;
    seen |= 1 << type;
    const len = b[pos]! | (b[pos + 1]! << 8);
    const o = pos + NLA_HDRLEN;
    const l = len - NLA_HDRLEN;
    switch (type) {
      case NDA_DST: if ((dst = readAddress(b, o, l) as string | undefined) === undefined) return undefined; break;
      case NDA_LLADDR: if ((lladdr = readLinkAddress(b, o, l) as string | undefined) === undefined) return undefined; break;
      case NDA_PROBES: if (l !== U32_BYTES) return undefined; probes = u32At(b, o); break;
      case NDA_CACHEINFO: if (l !== ndaCacheinfo.size) return undefined; cacheinfoAt = o; break;
      // Not a Neighbour field, but it must be what its decoder reads (one byte).
      case NDA_PROTOCOL: if (readProtocol(b, o, l) === undefined) return undefined; break;
      default: return undefined;
    }
    pos += align4(len);
  }
  const ifindex = b[start + IFINDEX]! | (b[start + IFINDEX + 1]! << 8) | (b[start + IFINDEX + 2]! << 16) | (b[start + IFINDEX + 3]! << 24);
  if (!kept(selection, family, ifindex, b[start + FLAGS]!)) return null;
  const entry = new NeighbourView(b, start, end, ifindex, dst ?? '');
  if (lladdr !== undefined) entry.lladdr = lladdr;
  if (probes !== undefined) entry.probes = probes;
  if (cacheinfoAt >= 0) {
    entry.confirmed = u32At(b, cacheinfoAt + CONFIRMED);
    entry.used = u32At(b, cacheinfoAt + USED);
    entry.updated = u32At(b, cacheinfoAt + UPDATED);
    entry.refcnt = u32At(b, cacheinfoAt + REFCNT);
  }
  return entry;
}

/** The selection applied to a message's numbers (ndm_ifindex, ndm_family, NTF_PROXY in ndm_flags). */
export function kept(s: NeighbourSelection, family: number, ifindex: number, flags: number): boolean {
  if (s.ifindex !== undefined && ifindex !== s.ifindex) return false;
  if (s.family !== AddressFamily.AF_UNSPEC && family !== s.family) return false;
  return s.proxy === ((flags & NtfFlag.NTF_PROXY) !== 0);
}
