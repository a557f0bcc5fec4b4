/**
 * Namespace ids (`ip netns list-id`, `ip netns set NAME ID`): the numbers by which a namespace
 * refers to its peers, e.g. in a veth's IFLA_LINK_NETNSID. Ids are per namespace: the
 * connection's namespace is the one whose view is read or changed.
 */
import type { Connection, RequestOptions } from '../netlink/connection.js';
import { NLMSG_HDRLEN } from '../netlink/constants.js';
import type { NetlinkMessage } from '../netlink/message.js';
import { ValidationError } from '../netlink/errors.js';
import { AddressFamily, RtmType } from '../netlink/route/constants.js';
import { NETNSA_NSID_NOT_ASSIGNED, nsidMessage, type NsidAttributes, type NsidMessageValue } from '../netlink/route/nsid.js';
import { openNetns, type NetnsRef } from '../netns/handle.js';
import { listNetns } from '../netns/netns.js';
import { checkInteger, outgoing } from './shared.js';

/** One assigned id, as `ip netns list-id` shows it. */
export interface NsidEntry {
  nsid: number;
  /** The decoded message (a dump names only the id; see {@link Nsids.nameOf}). */
  message: NsidMessageValue;
}

const NSID_MAX = 2 ** 31 - 1;
const header = { family: AddressFamily.AF_UNSPEC };

function decodeNsids(messages: readonly NetlinkMessage[]): NsidMessageValue[] {
  return messages.filter((m) => m.type === RtmType.RTM_NEWNSID).map((m) => nsidMessage.decode(m.payload, m.offset + NLMSG_HDRLEN));
}

/** The typed view of a decoded nsid message (undefined nsid = not assigned). */
export function toNsidEntry(message: NsidMessageValue): NsidEntry | undefined {
  const nsid = message.attributes.nsid;
  return nsid === undefined || nsid === NETNSA_NSID_NOT_ASSIGNED ? undefined : { nsid, message };
}

export class Nsids {
  constructor(private readonly conn: Connection) {}

  /** `ip netns list-id`: every id assigned in this namespace. */
  async list(options?: RequestOptions): Promise<NsidEntry[]> {
    const replies = await this.conn.dump(outgoing(nsidMessage, RtmType.RTM_GETNSID, 'RTM_GETNSID', 0, { header, attributes: {} }), options);
    const out: NsidEntry[] = [];
    for (const m of decodeNsids(replies)) {
      const entry = toNsidEntry(m);
      if (entry) out.push(entry);
    }
    return out;
  }

  /** The id this namespace gives `netns`, or undefined when it has none. */
  async get(netns: NetnsRef, options?: RequestOptions): Promise<number | undefined> {
    const handle = openNetns(netns);
    try {
      return await this.getByAttributes({ fd: handle.fd }, options);
    } finally {
      handle.close();
    }
  }

  /** `ip netns set NAME ID`: give `netns` an id here ('auto': the kernel picks one). Ids cannot be changed once set. */
  async set(netns: NetnsRef, nsid: number | 'auto', options?: RequestOptions): Promise<void> {
    const id = nsid === 'auto' ? NETNSA_NSID_NOT_ASSIGNED : checkInteger(nsid, 'nsid', 0, NSID_MAX);
    const handle = openNetns(netns);
    try {
      await this.conn.request(outgoing(nsidMessage, RtmType.RTM_NEWNSID, 'RTM_NEWNSID', 0, { header, attributes: { fd: handle.fd, nsid: id } }), options);
    } finally {
      handle.close();
    }
  }

  /**
   * The name of the namespace behind `nsid` (e.g. a veth's link-netnsid): the /run/netns entry
   * this namespace has given that id, or undefined if none has it.
   */
  async nameOf(nsid: number, options?: RequestOptions): Promise<string | undefined> {
    checkInteger(nsid, 'nsid', 0, NSID_MAX);
    for (const name of listNetns()) {
      let id: number | undefined;
      try {
        id = await this.get(name, options);
      } catch (err) {
        // A stale /run/netns entry (no namespace mounted) or one deleted meanwhile: not it.
        if (err instanceof ValidationError || (err as { code?: string }).code === 'ENOENT') continue;
        throw err;
      }
      if (id === nsid) return name;
    }
    return undefined;
  }

  private async getByAttributes(attributes: NsidAttributes, options?: RequestOptions): Promise<number | undefined> {
    const replies = await this.conn.request(outgoing(nsidMessage, RtmType.RTM_GETNSID, 'RTM_GETNSID', 0, { header, attributes }), options);
    const [reply] = decodeNsids(replies);
    return reply ? toNsidEntry(reply)?.nsid : undefined;
  }
}
