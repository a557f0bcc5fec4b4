/**
 * The neighbour (ARP / NDP) table, as `ip neigh` (and the tutorial's `arp`) shows and changes
 * it: list with states decoded, add / change / replace / delete entries, proxy entries, flush.
 */
import { formatIp, formatLinkAddress, parseIp, parseLinkAddress } from '../netlink/addresses.js';
import type { Connection, RequestOptions } from '../netlink/connection.js';
import { NlmFlags } from '../netlink/constants.js';
import { NetlinkError, ValidationError } from '../netlink/errors.js';
import { AddressFamily, RtmType } from '../netlink/route/constants.js';
import {
  neighbourMessage,
  neighbourStateNames,
  NudState,
  NtfFlag,
  type NeighbourAttributes,
  type NeighbourFlagName,
  type NeighbourMessageValue,
  type NeighbourStateName,
} from '../netlink/route/neighbour.js';
import { RtnType, type RouteTypeName } from '../netlink/route/route-constants.js';
import { checkDeviceRef, ifindexAtOnce, lookupIfindex, resolveIfindex, type DeviceRef } from './devices.js';
import { kept, ntfNames, scanNeighbour, stateNames, typeByNumber, type NeighbourSelection } from './neighbour-scan.js';
import { afOf, scanIpMessages, familyName, familyNumber, nameOr, outgoing, type Family, type FamilyInput } from './shared.js';

/** A neighbour entry as the kernel reports it. */
export interface Neighbour {
  family: Family | number;
  ifindex: number;
  /** The IP address (NDA_DST). */
  address: string;
  /** The link-layer address, when resolved (NDA_LLADDR). */
  lladdr?: string;
  /** NUD states, as `ip -j neigh` lists them (lower case); empty for NUD_NONE. */
  state: Array<NeighbourStateName | number>;
  /** NTF_* flags: `proxy`, `router`, `extern_learn` … */
  flags: Array<NeighbourFlagName | number>;
  type: RouteTypeName | number;
  probes?: number;
  /** Clock ticks (USER_HZ) since the entry was last confirmed, used and updated, and its refcount. */
  confirmed?: number;
  used?: number;
  updated?: number;
  refcnt?: number;
  /** The decoded message, for anything not surfaced above. */
  message: NeighbourMessageValue;
}

/** States an entry can be set to (`nud …` in `ip neigh`). */
export type NeighbourStateInput = NeighbourStateName | 'none';

/** What `neighbours.add` / `change` / `replace` take; reads like `ip neigh add`. */
export interface NeighbourInput {
  dev: DeviceRef;
  /** The neighbour's IP address. */
  address: string;
  /** Its link-layer address (required unless `state` is noarp/none/incomplete/failed, or proxy). */
  lladdr?: string;
  /** Default 'permanent', as `ip neigh add`. */
  state?: NeighbourStateInput;
  /** A proxy ARP/NDP entry (`ip neigh add proxy ADDR dev DEV`). */
  proxy?: boolean;
  /** The neighbour is a router (IPv6). */
  router?: boolean;
  /** Learned externally, not by the kernel (NTF_EXT_LEARNED). */
  externLearn?: boolean;
}

export interface NeighbourDeleteInput {
  dev: DeviceRef;
  address: string;
  proxy?: boolean;
}

export interface NeighbourFilter {
  dev?: DeviceRef;
  family?: FamilyInput;
  /** List proxy entries instead of the neighbour cache (`ip neigh show proxy`). */
  proxy?: boolean;
}

export interface NeighbourFlushFilter extends NeighbourFilter {
  /** Only entries in one of these states. Default: all but permanent and noarp, as `ip neigh flush`. */
  states?: NeighbourStateInput[];
}

const STATE_VALUES: Record<NeighbourStateInput, number> = { ...neighbourStateNames, none: NudState.NUD_NONE };
/** States that need no link-layer address. */
const WITHOUT_LLADDR: ReadonlySet<number> = new Set([NudState.NUD_NONE, NudState.NUD_NOARP, NudState.NUD_INCOMPLETE, NudState.NUD_FAILED]);
const ENOENT = 'ENOENT';

function checkState(state: unknown, field: string): number {
  if (typeof state === 'string' && Object.hasOwn(STATE_VALUES, state)) return STATE_VALUES[state as NeighbourStateInput];
  throw new ValidationError(field, `must be one of ${Object.keys(STATE_VALUES).join(', ')}`, state);
}

/** The typed view of a decoded neighbour message. */
export function toNeighbour(message: NeighbourMessageValue): Neighbour {
  const { header: h, attributes: a } = message;
  const out: Neighbour = {
    family: familyName(h.family),
    ifindex: h.ifindex,
    address: a.dst ?? '',
    state: stateNames(h.state),
    flags: ntfNames(h.flags),
    type: nameOr(typeByNumber, h.type),
    message,
  };
  if (a.lladdr !== undefined) out.lladdr = a.lladdr;
  if (a.probes !== undefined) out.probes = a.probes;
  if (a.cacheinfo) {
    out.confirmed = a.cacheinfo.confirmed;
    out.used = a.cacheinfo.used;
    out.updated = a.cacheinfo.updated;
    out.refcnt = a.cacheinfo.refcnt;
  }
  return out;
}

/** The neighbour table of one network namespace (the namespace of the connection). */
export class Neighbours {
  constructor(private readonly conn: Connection) {}

  /** `ip neigh add`: EEXIST if an entry for the address exists. */
  add(input: NeighbourInput, options?: RequestOptions): Promise<void> {
    return this.modify(input, NlmFlags.NLM_F_CREATE | NlmFlags.NLM_F_EXCL, options);
  }

  /** `ip neigh change`: updates an existing entry (ENOENT otherwise). */
  change(input: NeighbourInput, options?: RequestOptions): Promise<void> {
    return this.modify(input, NlmFlags.NLM_F_REPLACE, options);
  }

  /** `ip neigh replace`: adds or updates. */
  replace(input: NeighbourInput, options?: RequestOptions): Promise<void> {
    return this.modify(input, NlmFlags.NLM_F_CREATE | NlmFlags.NLM_F_REPLACE, options);
  }

  /** `ip neigh delete`. */
  async delete(input: NeighbourDeleteInput, options?: RequestOptions): Promise<void> {
    if (input === null || typeof input !== 'object') throw new ValidationError('neighbour', 'must be an object like { dev, address }', input);
    checkDeviceRef(input.dev);
    const ip = parseIp(input.address, 'address');
    const ifindex = ifindexAtOnce(this.conn, input.dev, 'dev', options) || (await lookupIfindex(this.conn, input.dev, 'dev', options));
    // ndm_state as `ip` sends it; the kernel ignores it on delete.
    const header = { family: afOf(ip.family), ifindex, state: NudState.NUD_PERMANENT, flags: input.proxy ? NtfFlag.NTF_PROXY : 0, type: 0 };
    await this.conn.request(outgoing(neighbourMessage, RtmType.RTM_DELNEIGH, 'RTM_DELNEIGH', 0, { header, attributes: { dst: formatIp(ip.bytes) } }), options);
  }

  /** `ip neigh show` (or `show proxy`): filtered by device and family in the kernel and here. */
  async list(filter: NeighbourFilter = {}, options?: RequestOptions): Promise<Neighbour[]> {
    const family = filter.family === undefined ? AddressFamily.AF_UNSPEC : familyNumber(filter.family);
    if (filter.dev !== undefined) checkDeviceRef(filter.dev);
    const ifindex = filter.dev === undefined ? undefined : await resolveIfindex(this.conn, filter.dev, 'dev', options);
    // The kernel's strict dump check wants the device as NDA_IFINDEX, ndm_ifindex left zero.
    const attributes: NeighbourAttributes = ifindex === undefined ? {} : { ifindex };
    const header = { family, ifindex: 0, state: 0, flags: filter.proxy ? NtfFlag.NTF_PROXY : 0, type: 0 };
    // Checked here again for connections without strict checking, which the kernel does not filter.
    const selection: NeighbourSelection = { ifindex, family, proxy: !!filter.proxy };
    return scanIpMessages(
      this.conn,
      outgoing(neighbourMessage, RtmType.RTM_GETNEIGH, 'RTM_GETNEIGH', 0, { header, attributes }),
      options,
      neighbourMessage,
      RtmType.RTM_NEWNEIGH,
      (bytes, start, end) => scanNeighbour(bytes, start, end, selection) as Neighbour | null | undefined,
      (m) => (kept(selection, m.header.family, m.header.ifindex, m.header.flags) ? toNeighbour(m) : undefined),
    );
  }

  /**
   * `ip neigh flush`: deletes the matching entries in one datagram and returns how many went.
   * An entry that vanished meanwhile (ENOENT) is not an error.
   */
  async flush(filter: NeighbourFlushFilter = {}, options?: RequestOptions): Promise<number> {
    const mask = filter.states === undefined ? undefined : filter.states.reduce((m, s, i) => m | checkState(s, `states[${i}]`), 0);
    const keep = (n: Neighbour): boolean => {
      const state = n.message.header.state;
      if (mask === undefined) return (state & (NudState.NUD_PERMANENT | NudState.NUD_NOARP)) === 0;
      return state === NudState.NUD_NONE ? filter.states!.includes('none') : (state & mask) !== 0;
    };
    const found = (await this.list(filter, options)).filter(keep);
    if (found.length === 0) return 0;
    const outcomes = await this.conn.batch(
      found.map((n) => {
        const header = { ...n.message.header, state: 0, type: 0 };
        return outgoing(neighbourMessage, RtmType.RTM_DELNEIGH, 'RTM_DELNEIGH', NlmFlags.NLM_F_ACK, { header, attributes: { dst: n.address } });
      }),
      options,
    );
    let deleted = 0;
    for (const outcome of outcomes) {
      if (outcome.status === 'acked') deleted++;
      else if (outcome.status === 'failed' && !(outcome.error instanceof NetlinkError && outcome.error.code === ENOENT)) throw outcome.error;
    }
    return deleted;
  }

  private async modify(input: NeighbourInput, flags: number, options?: RequestOptions): Promise<void> {
    if (input === null || typeof input !== 'object') throw new ValidationError('neighbour', 'must be an object like { dev, address, lladdr }', input);
    checkDeviceRef(input.dev);
    const ip = parseIp(input.address, 'address');
    const state = input.state === undefined ? NudState.NUD_PERMANENT : checkState(input.state, 'state');
    const attributes: NeighbourAttributes = { dst: formatIp(ip.bytes) };
    if (input.lladdr !== undefined) attributes.lladdr = formatLinkAddress(parseLinkAddress(input.lladdr, 'lladdr'));
    else if (!input.proxy && !WITHOUT_LLADDR.has(state)) throw new ValidationError('lladdr', `is required for a ${input.state ?? 'permanent'} entry`, input.lladdr);
    let ntf = 0;
    if (input.proxy) ntf |= NtfFlag.NTF_PROXY;
    if (input.router) ntf |= NtfFlag.NTF_ROUTER;
    if (input.externLearn) ntf |= NtfFlag.NTF_EXT_LEARNED;
    const ifindex = ifindexAtOnce(this.conn, input.dev, 'dev', options) || (await lookupIfindex(this.conn, input.dev, 'dev', options));
    const header = { family: afOf(ip.family), ifindex, state, flags: ntf, type: RtnType.RTN_UNSPEC };
    await this.conn.request(outgoing(neighbourMessage, RtmType.RTM_NEWNEIGH, 'RTM_NEWNEIGH', flags, { header, attributes }), options);
  }
}
