/**
 * Link requests as values: each builder returns the message type, flags and typed body of one
 * rtnetlink request, with every name already resolved to an index and every namespace to an
 * fd. Pure: nothing here does I/O, so requests can be inspected, tested and traced.
 */
import { NlmFlags } from '../netlink/constants.js';
import type { OutgoingMessage } from '../netlink/connection.js';
import { bodyWriter, outgoingOf } from '../netlink/message.js';
import type { AfSpec } from '../netlink/route/af-spec.js';
import { AddressFamily, RtmType, rtmTypeName } from '../netlink/route/constants.js';
import type { LinkAttributes } from '../netlink/route/link-attributes.js';
import { Iff, RtextFilter } from '../netlink/route/link-constants.js';
import { emptyIfInfoMsg } from '../netlink/route/link-header.js';
import type { LinkInfo, LinkInfoData } from '../netlink/route/link-info/linkinfo.js';
import type { BridgePortData } from '../netlink/route/link-info/bridge-port.js';
import { encodeLinkMessage, type LinkMessage } from '../netlink/route/link-messages.js';
import type { Ipv4Settings, Ipv6Settings } from './link-options.js';

export interface LinkRequest {
  type: number;
  /** Flags on top of NLM_F_REQUEST (and NLM_F_ACK, which requests get). */
  flags: number;
  message: LinkMessage;
}

/** A link named by index, or by name (the kernel looks it up: one round trip fewer). */
export type LinkTarget = { index: number } | { name: string };

/** Everything a link can be given at creation or changed later, resolved. */
export interface LinkSettings {
  mtu?: number;
  address?: string;
  broadcast?: string;
  txqueuelen?: number;
  group?: number;
  alias?: string;
  up?: boolean;
  /** Namespace fd to create the link in, or to move it to. */
  netnsFd?: number;
  /** Master index; 0 detaches (nomaster). */
  master?: number;
  /** IFLA_LINK: the lower device (macvlan, vxlan …). */
  link?: number;
  ipv4?: Ipv4Settings;
  ipv6?: Ipv6Settings;
}

/**
 * What `ip link` asks for in dumps: no VF details, no per-address-family statistics (the
 * IPv6 counters are large and `ip link` does not show them). IFLA_STATS64 is still sent.
 */
export const DEFAULT_EXT_MASK = RtextFilter.RTEXT_FILTER_VF | RtextFilter.RTEXT_FILTER_SKIP_STATS;

function targetHeader(target: LinkTarget | undefined): { index: number; attributes: LinkAttributes } {
  if (target === undefined) return { index: 0, attributes: {} };
  if ('index' in target) return { index: target.index, attributes: {} };
  return { index: 0, attributes: { ifname: target.name } };
}

function afSpecOf(s: LinkSettings): AfSpec | undefined {
  if (!s.ipv4 && !s.ipv6) return undefined;
  const af: AfSpec = {};
  if (s.ipv4) af.inet = { conf: { ...s.ipv4 } };
  if (s.ipv6) {
    af.inet6 = {};
    if (s.ipv6.addrGenMode !== undefined) af.inet6.addrGenMode = s.ipv6.addrGenMode;
    if (s.ipv6.token !== undefined) af.inet6.token = s.ipv6.token;
  }
  return af;
}

function settingsAttributes(s: LinkSettings): LinkAttributes {
  const a: LinkAttributes = {};
  if (s.mtu !== undefined) a.mtu = s.mtu;
  if (s.address !== undefined) a.address = s.address;
  if (s.broadcast !== undefined) a.broadcast = s.broadcast;
  if (s.txqueuelen !== undefined) a.txqlen = s.txqueuelen;
  if (s.group !== undefined) a.group = s.group;
  if (s.alias !== undefined) a.ifalias = s.alias;
  if (s.link !== undefined) a.link = s.link;
  if (s.master !== undefined) a.master = s.master;
  const af = afSpecOf(s);
  if (af) a.afSpec = af;
  return a;
}

function upFlags(up: boolean | undefined): { flags: number; change: number } {
  if (up === undefined) return { flags: 0, change: 0 };
  return { flags: up ? Iff.IFF_UP : 0, change: Iff.IFF_UP };
}

/**
 * A link body: header with the up/down change, then the attributes in the order iproute2
 * writes them (the namespace first, then the name), so our requests can be compared with its
 * captures byte for byte.
 */
export function linkBody(name: string | undefined, settings: LinkSettings, extra: LinkAttributes = {}): LinkMessage {
  const attributes: LinkAttributes = {};
  if (settings.netnsFd !== undefined) attributes.netNsFd = settings.netnsFd;
  if (name !== undefined) attributes.ifname = name;
  Object.assign(attributes, settingsAttributes(settings), extra);
  return { header: emptyIfInfoMsg(upFlags(settings.up)), attributes };
}

/** RTM_NEWLINK with NLM_F_CREATE | NLM_F_EXCL: create a link of `kind`. */
export function createLinkRequest(name: string, kind: string, data: LinkInfoData | undefined, settings: LinkSettings): LinkRequest {
  const linkinfo: LinkInfo = { kind };
  if (data !== undefined) linkinfo.data = data;
  return {
    type: RtmType.RTM_NEWLINK,
    flags: NlmFlags.NLM_F_CREATE | NlmFlags.NLM_F_EXCL,
    message: linkBody(name, settings, { linkinfo }),
  };
}

/** A veth pair; the peer's settings may put it straight into another namespace. */
export function createVethRequest(name: string, settings: LinkSettings, peerName: string, peer: LinkSettings): LinkRequest {
  return createLinkRequest(name, 'veth', { peer: linkBody(peerName, peer) }, settings);
}

/** RTM_NEWLINK on an existing link: change settings (and the name, given `rename`). */
export function setLinkRequest(target: LinkTarget, settings: LinkSettings, rename?: string): LinkRequest {
  const { index, attributes } = targetHeader(target);
  const body = linkBody(rename, settings);
  body.header.index = index;
  body.attributes = { ...attributes, ...body.attributes };
  return { type: RtmType.RTM_NEWLINK, flags: 0, message: body };
}

/**
 * Bridge port options, the way `ip link set X type bridge_slave …` sends them: IFLA_LINKINFO
 * with IFLA_INFO_SLAVE_DATA (the kernel parses it with the master's policy).
 */
export function setBridgePortRequest(target: LinkTarget, data: BridgePortData): LinkRequest {
  const { index, attributes } = targetHeader(target);
  return {
    type: RtmType.RTM_NEWLINK,
    flags: 0,
    message: {
      header: emptyIfInfoMsg({ index }),
      attributes: { ...attributes, linkinfo: { kind: 'bridge_slave', slaveData: data } },
    },
  };
}

export function deleteLinkRequest(target: LinkTarget): LinkRequest {
  const { index, attributes } = targetHeader(target);
  return { type: RtmType.RTM_DELLINK, flags: 0, message: { header: emptyIfInfoMsg({ index }), attributes } };
}

/** RTM_DELLINK with ifindex 0 and IFLA_GROUP: the kernel deletes the whole group at once. */
export function deleteGroupRequest(group: number): LinkRequest {
  return { type: RtmType.RTM_DELLINK, flags: 0, message: { header: emptyIfInfoMsg(), attributes: { group } } };
}

export function getLinkRequest(target: LinkTarget, extMask = DEFAULT_EXT_MASK): LinkRequest {
  const { index, attributes } = targetHeader(target);
  return {
    type: RtmType.RTM_GETLINK,
    flags: 0,
    message: { header: emptyIfInfoMsg({ index }), attributes: { extMask: [extMask], ...attributes } },
  };
}

/**
 * RTM_NEWLINKPROP / RTM_DELLINKPROP: add or remove alternative names (IFLA_PROP_LIST). Adding
 * asks for NLM_F_CREATE | NLM_F_EXCL | NLM_F_APPEND, as iproute2 does (a property list grows).
 */
export function altnameRequest(target: LinkTarget, altnames: string[], add: boolean): LinkRequest {
  const { index, attributes } = targetHeader(target);
  return {
    type: add ? RtmType.RTM_NEWLINKPROP : RtmType.RTM_DELLINKPROP,
    flags: add ? NlmFlags.NLM_F_CREATE | NlmFlags.NLM_F_EXCL | NlmFlags.NLM_F_APPEND : 0,
    message: { header: emptyIfInfoMsg({ index }), attributes: { ...attributes, propList: { altIfname: altnames } } },
  };
}

/** Kernel-side filters of a link dump (NETLINK_GET_STRICT_CHK). */
export interface LinkDumpFilter {
  /** Only ports of this master (IFLA_MASTER). */
  master?: number;
  /** Only links of this kind (IFLA_LINKINFO / IFLA_INFO_KIND). */
  kind?: string;
}

/** RTM_GETLINK dump (NLM_F_DUMP is added by the connection). */
export function dumpLinksRequest(filter: LinkDumpFilter = {}, extMask = DEFAULT_EXT_MASK): LinkRequest {
  const attributes: LinkAttributes = { extMask: [extMask] };
  if (filter.master !== undefined) attributes.master = filter.master;
  if (filter.kind !== undefined) attributes.linkinfo = { kind: filter.kind };
  return { type: RtmType.RTM_GETLINK, flags: 0, message: { header: emptyIfInfoMsg({ family: AddressFamily.AF_UNSPEC }), attributes } };
}

/** Serialize a request for Connection.request/dump, with attribute spans for error paths. */
export function toOutgoing(request: LinkRequest): OutgoingMessage {
  const w = bodyWriter();
  encodeLinkMessage(w, request.message, NlmFlags.NLM_F_REQUEST | request.flags);
  const typeName = rtmTypeName.get(request.type);
  return outgoingOf(w, request.type, request.flags, typeName);
}
