/**
 * Links as `ip link show` and `ip address show` print them: the `ip -j` keys and values for
 * the fields supported, and the familiar two-line text form. Kernel-supplied names are escaped
 * for display in text; JSON keeps them exact (JSON escapes control characters itself).
 */
import type { Link } from '../../netlink/route/link.js';
import { linkFlagBits, type LinkFlagName } from '../../netlink/route/link-constants.js';
import { escapeForDisplay } from '../../netlink/text.js';
import { linkDetailsJson, linkDetailsText } from './link-details.js';
import type { IpJson } from './json.js';
import type { LinkNames } from './names.js';

/** Interface flags in the order `ip` prints them; RUNNING is not printed (NO-CARRIER stands for it). */
const FLAG_ORDER: readonly LinkFlagName[] = [
  'LOOPBACK', 'BROADCAST', 'POINTOPOINT', 'MULTICAST', 'NOARP', 'ALLMULTI', 'PROMISC', 'NOTRAILERS', 'DEBUG',
  'DYNAMIC', 'AUTOMEDIA', 'PORTSEL', 'MASTER', 'SLAVE', 'UP', 'LOWER_UP', 'DORMANT', 'ECHO',
];
/** ip prints a link's group 0 by its name in /etc/iproute2/group. */
const DEFAULT_GROUP = 0;
/** IFLA_LINK 0: the other end is not known (yet), printed `@NONE`. */
const NO_LINK = 0;

export interface LinkPrintOptions {
  details: boolean;
  stats: boolean;
  /** `ip link` prints `linkmode`/`mode`; `ip address` does not. */
  mode: boolean;
  /** `ip address` does not print the alias either (default true). */
  alias?: boolean;
}

function flagBits(link: Link): number {
  let bits = 0;
  for (const f of link.flags) bits |= typeof f === 'number' ? f : linkFlagBits[f];
  return bits;
}

/** The flag words `ip` prints, e.g. `NO-CARRIER,BROADCAST,MULTICAST,UP,M-DOWN`. */
export function ipLinkFlags(link: Link, names: LinkNames): string[] {
  let bits = flagBits(link);
  const out: string[] = [];
  if (bits & linkFlagBits.UP && !(bits & linkFlagBits.RUNNING)) out.push('NO-CARRIER');
  bits &= ~linkFlagBits.RUNNING;
  for (const name of FLAG_ORDER) {
    if (!(bits & linkFlagBits[name])) continue;
    out.push(name);
    bits &= ~linkFlagBits[name];
  }
  if (bits !== 0) out.push(bits.toString(16));
  // M-DOWN: the lower device (same namespace) is administratively down.
  if (link.link !== undefined && link.link !== NO_LINK && link.linkNetnsId === undefined) {
    const lower = names.link(link.link);
    if (lower !== undefined && !lower.up) out.push('M-DOWN');
  }
  return out;
}

function groupText(group: number | undefined): string | undefined {
  if (group === undefined) return undefined;
  return group === DEFAULT_GROUP ? 'default' : String(group);
}

/** The `ip -j link` object of one link. */
export function linkJson(link: Link, names: LinkNames, o: LinkPrintOptions): { [key: string]: IpJson | undefined } {
  const a = link.message.attributes;
  const j: { [key: string]: IpJson | undefined } = { ifindex: link.index };
  if (link.link !== undefined) {
    if (link.link === NO_LINK) j.link = null;
    else if (link.linkNetnsId !== undefined) j.link_index = link.link;
    else j.link = names.name(link.link);
  }
  j.ifname = link.name;
  j.flags = ipLinkFlags(link, names);
  j.mtu = link.mtu;
  j.qdisc = link.qdisc;
  if (link.master !== undefined) j.master = names.name(link.master);
  j.operstate = link.operstate;
  if (o.mode) j.linkmode = typeof a.linkmode === 'string' ? a.linkmode.toUpperCase() : a.linkmode;
  j.group = groupText(link.group);
  j.txqlen = link.txqlen;
  j.link_type = link.type;
  j.address = link.address;
  j.broadcast = link.broadcast;
  if (link.permAddress !== undefined) j.permaddr = link.permAddress;
  j.link_netnsid = link.linkNetnsId;
  if (o.details) Object.assign(j, linkDetailsJson(link, names));
  if (link.alias !== undefined && o.alias !== false) j.ifalias = link.alias;
  if (link.altnames !== undefined && link.altnames.length > 0) j.altnames = link.altnames;
  if (o.stats && link.stats !== undefined) {
    const s = link.stats;
    j.stats64 = {
      rx: { bytes: s.rxBytes, packets: s.rxPackets, errors: s.rxErrors, dropped: s.rxDropped, over_errors: s.rxOverErrors, multicast: s.multicast },
      tx: { bytes: s.txBytes, packets: s.txPackets, errors: s.txErrors, dropped: s.txDropped, carrier_errors: s.txCarrierErrors, collisions: s.collisions },
    };
  }
  return j;
}

/** `@veth1`, `@if7` (peer in another namespace), `@NONE`, or nothing. */
function atText(link: Link, names: LinkNames): string {
  if (link.link === undefined) return '';
  if (link.link === NO_LINK) return '@NONE';
  if (link.linkNetnsId !== undefined) return `@if${link.link}`;
  return `@${escapeForDisplay(names.name(link.link))}`;
}

/** The text lines of one link, as `ip link show` prints them. `netnsName` resolves link-netnsid. */
export function linkTextLines(link: Link, names: LinkNames, o: LinkPrintOptions, netnsName: (id: number) => string | undefined): string[] {
  const a = link.message.attributes;
  const head = [`${link.index}: ${escapeForDisplay(link.name)}${atText(link, names)}: <${ipLinkFlags(link, names).join(',')}>`];
  if (link.mtu !== undefined) head.push(`mtu ${link.mtu}`);
  if (link.qdisc !== undefined) head.push(`qdisc ${escapeForDisplay(link.qdisc)}`);
  if (link.master !== undefined) head.push(`master ${escapeForDisplay(names.name(link.master))}`);
  if (link.operstate !== undefined) head.push(`state ${link.operstate}`);
  if (o.mode && a.linkmode !== undefined) head.push(`mode ${String(a.linkmode).toUpperCase()}`);
  if (link.group !== undefined) head.push(`group ${groupText(link.group)}`);
  if (link.txqlen !== undefined) head.push(`qlen ${link.txqlen}`);
  const second = [`    link/${link.type}`];
  if (link.address !== undefined) second.push(link.address);
  if (link.broadcast !== undefined) second.push(`brd ${link.broadcast}`);
  if (link.permAddress !== undefined) second.push(`permaddr ${link.permAddress}`);
  if (link.linkNetnsId !== undefined) {
    const name = netnsName(link.linkNetnsId);
    second.push(name !== undefined ? `link-netns ${escapeForDisplay(name)}` : `link-netnsid ${link.linkNetnsId}`);
  }
  const lines = [head.join(' '), second.join(' ')];
  if (o.details) {
    lines[1] += linkDetailsText(link).inline;
    lines.push(...linkDetailsText(link).lines);
  }
  if (link.alias !== undefined && o.alias !== false) lines.push(`    alias ${escapeForDisplay(link.alias)}`);
  for (const alt of link.altnames ?? []) lines.push(`    altname ${escapeForDisplay(alt)}`);
  if (o.stats && link.stats !== undefined) lines.push(...statsLines(link));
  return lines;
}

function statsLines(link: Link): string[] {
  const s = link.stats!;
  const row = (values: Array<bigint | undefined>): string => `    ${values.map((v) => String(v ?? 0n).padStart(7)).join(' ')}`;
  return [
    '    RX:  bytes packets  errors dropped  missed   mcast',
    row([s.rxBytes, s.rxPackets, s.rxErrors, s.rxDropped, s.rxMissedErrors, s.multicast]),
    '    TX:  bytes packets  errors dropped carrier collsns',
    row([s.txBytes, s.txPackets, s.txErrors, s.txDropped, s.txCarrierErrors, s.collisions]),
  ];
}
