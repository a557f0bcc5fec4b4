/**
 * Listing and deleting conntrack entries over ctnetlink. Used to make removed port forwards
 * take effect for flows already established: NAT is decided once per connection, so a flow
 * keeps its old translation until its conntrack entry goes.
 */
import type { IpFamily } from '../netlink/addresses.js';
import type { Connection } from '../netlink/connection.js';
import { NetlinkError } from '../netlink/errors.js';
import { bodyWriter, outgoingOf } from '../netlink/message.js';
import { nfgenmsg } from '../nft/nfgenmsg.js';
import { NfProto } from '../nft/constants.js';
import { conntrackAttributes } from './attributes.js';
import { CtMsg } from './constants.js';
import { entryFrom, type ConntrackEntry } from './entry.js';
import { ctMessageType } from './protocol.js';

const FAMILY = { 4: NfProto.ip, 6: NfProto.ip6 } as const;

/** Which entries to delete; every given field must match. */
export interface ConntrackFilter {
  family?: IpFamily;
  protocol?: 'tcp' | 'udp' | number;
  /** Original destination address (what the client connected to). */
  origDst?: string;
  /** Original destination port, or an inclusive range. */
  origDstPort?: number | readonly [number, number];
  /** Where the flow really goes after DNAT: the reply source. */
  replySrc?: string;
  replySrcPort?: number | readonly [number, number];
}

function portMatches(port: number | undefined, want: number | readonly [number, number] | undefined): boolean {
  if (want === undefined) return true;
  if (port === undefined) return false;
  return typeof want === 'number' ? port === want : port >= want[0] && port <= want[1];
}

export function matchesFilter(e: ConntrackEntry, f: ConntrackFilter): boolean {
  return (
    (f.family === undefined || e.family === f.family) &&
    (f.protocol === undefined || e.orig.protocol === f.protocol) &&
    (f.origDst === undefined || e.orig.dst === f.origDst) &&
    portMatches(e.orig.dstPort, f.origDstPort) &&
    (f.replySrc === undefined || e.reply.src === f.replySrc) &&
    portMatches(e.reply.srcPort, f.replySrcPort)
  );
}

export class Conntrack {
  /** `conn` must be a NETLINK_NETFILTER connection (protocol 12) in the namespace concerned. */
  constructor(private readonly conn: Connection) {}

  /** Every entry of the family (both families when omitted). */
  async list(family?: IpFamily): Promise<ConntrackEntry[]> {
    const out: ConntrackEntry[] = [];
    for (const fam of family ? [family] : ([4, 6] as const)) {
      const w = bodyWriter(4);
      nfgenmsg.encode(w, { family: FAMILY[fam], version: 0, resId: 0 }, 'nfgenmsg');
      const msgs = await this.conn.dump({ type: ctMessageType(CtMsg.IPCTNL_MSG_CT_GET), typeName: 'IPCTNL_MSG_CT_GET', payload: w.finish().slice() });
      for (const m of msgs) {
        const attrs = conntrackAttributes.decode(m.payload.subarray(nfgenmsg.size), 16 + nfgenmsg.size, '');
        out.push(entryFrom(fam, attrs));
      }
    }
    return out;
  }

  /**
   * Delete one entry, identified by its original tuple and id (so a newer flow that reused the
   * tuple is left alone). Returns false when it was already gone.
   */
  async delete(entry: ConntrackEntry): Promise<boolean> {
    const w = bodyWriter(128);
    nfgenmsg.encode(w, { family: FAMILY[entry.family], version: 0, resId: 0 }, 'nfgenmsg');
    const a = entry.attributes;
    conntrackAttributes.encode(w, { orig: a.orig, ...(a.id !== undefined ? { id: a.id } : {}), ...(a.zone !== undefined ? { zone: a.zone } : {}) }, '');
    try {
      await this.conn.request(outgoingOf(w, ctMessageType(CtMsg.IPCTNL_MSG_CT_DELETE), 0, 'IPCTNL_MSG_CT_DELETE'));
      return true;
    } catch (err) {
      if (err instanceof NetlinkError && err.code === 'ENOENT') return false;
      throw err;
    }
  }

  /** Delete every entry matching `filter`; returns how many were deleted. */
  async flush(filter: ConntrackFilter): Promise<number> {
    const entries = (await this.list(filter.family)).filter((e) => matchesFilter(e, filter));
    const deleted = await Promise.all(entries.map((e) => this.delete(e)));
    return deleted.filter(Boolean).length;
  }
}
