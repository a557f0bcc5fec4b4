/**
 * The typed view of a link: what `ip -d -s link` shows, from one decoded RTM_NEWLINK. Names
 * for flags, states and types are the ones `ip` prints. Everything decoded stays available in
 * `message` (unknown attributes included), so nothing is hidden by this view.
 */
import { NLMSG_HDRLEN } from '../constants.js';
import { numberToFlags } from '../fields.js';
import type { Ipv4DevconfValues } from './af-spec-devconf.js';
import type { Inet6Info } from './af-spec.js';
import { Iff, linkFlagBits, linkTypeName, type LinkFlagName, type LinkType, type OperState } from './link-constants.js';
import type { BridgeData } from './link-info/bridge.js';
import type { BridgePortData } from './link-info/bridge-port.js';
import { familyFields, kindFields, SCALAR_FIELDS } from './link-fields.js';
import type { MacvlanData } from './link-info/macvlan.js';
import type { TunData } from './link-info/tun.js';
import type { VxlanData } from './link-info/vxlan.js';
import { Writer } from '../writer.js';
import { decodeLinkMessage, encodeLinkMessage, type LinkMessage } from './link-messages.js';
import { directionOf } from './link-direction.js';
import { decodeLinkView } from './link-view.js';
import type { LinkStats64 } from './link-stats.js';

export interface Link {
  /** Interface index (ifi_index). */
  index: number;
  /** Interface name (IFLA_IFNAME), byte-exact (see text.ts for names that are not UTF-8). */
  name: string;
  /** Hardware type: `ether`, `loopback`, `none` … or the ARPHRD number. */
  type: LinkType | number;
  /** Interface flags as `ip` prints them (`UP`, `BROADCAST`, `LOWER_UP` …); unknown bits as numbers. */
  flags: Array<LinkFlagName | number>;
  /** IFF_UP: administratively up. */
  up: boolean;
  /** IFF_LOWER_UP: the carrier is on. */
  lowerUp: boolean;
  mtu?: number;
  minMtu?: number;
  maxMtu?: number;
  /** MAC address (IFLA_ADDRESS). */
  address?: string;
  broadcast?: string;
  permAddress?: string;
  /** RFC 2863 operational state: `UP`, `DOWN`, `LOWERLAYERDOWN`, `UNKNOWN` … */
  operstate?: OperState | number;
  /** Index of the master (bridge) this link is a port of. */
  master?: number;
  /** IFLA_LINK: the lower device, or a veth's peer (in `linkNetnsId`'s namespace, if set). */
  link?: number;
  /** The namespace id (as seen from this namespace) where `link` lives. */
  linkNetnsId?: number;
  /** IFLA_INFO_KIND: `veth`, `bridge`, `macvlan`, `vxlan`, `tun`, `ifb` … */
  kind?: string;
  /** Kind of this link's master, for ports (`bridge`). */
  slaveKind?: string;
  bridge?: BridgeData;
  macvlan?: MacvlanData;
  vxlan?: VxlanData;
  tun?: TunData;
  /** IFLA_INFO_DATA of kinds this version does not decode, as bytes. */
  kindData?: Uint8Array;
  /** Bridge port options, when the master is a bridge. */
  bridgePort?: BridgePortData;
  /** 64-bit statistics. */
  stats?: LinkStats64;
  /** Alternative names (IFLA_PROP_LIST / IFLA_ALT_IFNAME). */
  altnames?: string[];
  group?: number;
  txqlen?: number;
  alias?: string;
  qdisc?: string;
  carrier?: boolean;
  carrierChanges?: number;
  promiscuity?: number;
  allmulti?: number;
  numTxQueues?: number;
  numRxQueues?: number;
  protoDown?: boolean;
  parentDevName?: string;
  parentDevBusName?: string;
  /** Per-device IPv4 settings (net.ipv4.conf.DEV.*), by IPV4_DEVCONF_* name. */
  ipv4?: Ipv4DevconfValues;
  /** IPv6 link information: flags, settings (net.ipv6.conf.DEV.*), addrGenMode, token … */
  ipv6?: Inet6Info;
  /** The decoded message this view was made from. */
  message: LinkMessage;
}

const IFF_UP = Iff.IFF_UP;
const IFF_LOWER_UP = Iff.IFF_LOWER_UP;

/** The typed view of a decoded link message (everything decoded at once). */
export function linkFromMessage(message: LinkMessage): Link {
  const h = message.header;
  const a = message.attributes as Record<string, unknown>;
  const link: Link = {
    index: h.index,
    name: '',
    type: linkTypeName.get(h.type) ?? h.type,
    flags: numberToFlags(h.flags, linkFlagBits),
    up: (h.flags & IFF_UP) !== 0,
    lowerUp: (h.flags & IFF_LOWER_UP) !== 0,
    message,
  };
  const out = link as unknown as Record<string, unknown>;
  for (const f of SCALAR_FIELDS) {
    const v = a[f.attribute];
    if (v !== undefined) out[f.field] = f.boolean ? v !== 0 : v;
  }
  const attributes = message.attributes;
  if (attributes.stats64 !== undefined) link.stats = attributes.stats64;
  const altnames = attributes.propList?.altIfname;
  if (altnames !== undefined) link.altnames = altnames;
  Object.assign(link, kindFields(attributes.linkinfo), familyFields(attributes.afSpec));
  return link;
}

/**
 * Decode one RTM_NEWLINK (or RTM_DELLINK) message to a typed Link, the fast way: scalar
 * fields at once, statistics, per-family settings, kind data and the full message on first
 * access (see link-view.ts). Accepts a message from a Connection or a bare body (taken as a
 * kernel reply).
 */
export function decodeLink(message: { payload: Uint8Array; flags?: number; offset?: number } | Uint8Array): Link {
  const payload = message instanceof Uint8Array ? message : message.payload;
  const flags = message instanceof Uint8Array ? 0 : (message.flags ?? 0);
  const at = message instanceof Uint8Array ? 0 : (message.offset ?? 0) + NLMSG_HDRLEN;
  // Requests differ from replies in a few attributes (link-direction.ts): the generic path.
  if (directionOf(flags) === 'request') return linkFromMessage(decodeLinkMessage(payload, flags, at));
  return decodeLinkView(payload, at);
}

/**
 * The message body a Link was decoded from, encoded again (byte-exact for links the kernel
 * sent: wire order and flag bits are kept). With decodeLink, the pair the CLI and traces use.
 */
export function encodeLink(link: Link): Uint8Array {
  const w = new Writer();
  encodeLinkMessage(w, link.message, 0);
  return w.finish().slice();
}
