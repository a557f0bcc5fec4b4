/**
 * Addresses as `ip address show` prints them: the link (without `linkmode`) and its
 * `addr_info` list, with ip's key names and order, its flag words (`secondary`, `dynamic`,
 * `tentative` …) and lifetimes.
 */
import type { Link } from '../../netlink/route/link.js';
import { IfaFlag, INFINITY_LIFE_TIME } from '../../netlink/route/address.js';
import { escapeForDisplay } from '../../netlink/text.js';
import type { Address } from '../../route/addresses.js';
import type { IpJson } from './json.js';
import { linkJson, linkTextLines } from './link-format.js';
import type { LinkNames } from './names.js';

type JsonObject = { [key: string]: IpJson | undefined };

/** How `ip address` prints the link above its addresses: no link mode, no alias. */
const ADDRESS_LINK = { details: false, stats: false, mode: false, alias: false } as const;

/**
 * Address flags in ip's order. `v6` flags print only on IPv6 addresses; IFA_F_SECONDARY is
 * `temporary` on IPv6; IFA_F_PERMANENT prints as `dynamic` when it is *absent*.
 */
const FLAG_WORDS: ReadonlyArray<{ bit: number; name: string; v6?: true; inverted?: true }> = [
  { bit: IfaFlag.IFA_F_SECONDARY, name: 'secondary' },
  { bit: IfaFlag.IFA_F_NODAD, name: 'nodad', v6: true },
  { bit: IfaFlag.IFA_F_OPTIMISTIC, name: 'optimistic', v6: true },
  { bit: IfaFlag.IFA_F_DADFAILED, name: 'dadfailed', v6: true },
  { bit: IfaFlag.IFA_F_HOMEADDRESS, name: 'home', v6: true },
  { bit: IfaFlag.IFA_F_DEPRECATED, name: 'deprecated', v6: true },
  { bit: IfaFlag.IFA_F_TENTATIVE, name: 'tentative', v6: true },
  { bit: IfaFlag.IFA_F_PERMANENT, name: 'dynamic', inverted: true },
  { bit: IfaFlag.IFA_F_MANAGETEMPADDR, name: 'mngtmpaddr', v6: true },
  { bit: IfaFlag.IFA_F_NOPREFIXROUTE, name: 'noprefixroute' },
  { bit: IfaFlag.IFA_F_MCAUTOJOIN, name: 'autojoin' },
  { bit: IfaFlag.IFA_F_STABLE_PRIVACY, name: 'stable-privacy', v6: true },
];
const FLAG_BITS: Record<string, number> = Object.fromEntries(FLAG_WORDS.filter((f) => !f.inverted).map((f) => [f.name, f.bit]));
FLAG_BITS.permanent = IfaFlag.IFA_F_PERMANENT;

function flagBits(a: Address): number {
  let bits = 0;
  for (const f of a.flags) bits |= typeof f === 'number' ? f : (FLAG_BITS[f] ?? 0);
  return bits;
}

/** The flag words ip prints for an address. */
export function addressFlagWords(a: Address): string[] {
  const bits = flagBits(a);
  const v6 = a.family === 'inet6';
  const out: string[] = [];
  for (const f of FLAG_WORDS) {
    if (f.v6 && !v6) continue;
    const set = (bits & f.bit) !== 0;
    if (f.inverted ? set : !set) continue;
    out.push(f.bit === IfaFlag.IFA_F_SECONDARY && v6 ? 'temporary' : f.name);
  }
  return out;
}

/** One `addr_info` entry. */
export function addressJson(a: Address): JsonObject {
  const j: JsonObject = { family: a.family, local: a.address };
  if (a.peer !== undefined) j.address = a.peer;
  j.prefixlen = a.prefixLength;
  j.broadcast = a.broadcast;
  j.anycast = a.anycast;
  j.metric = a.metric;
  j.scope = a.scope;
  for (const w of addressFlagWords(a)) j[w] = true;
  j.label = a.label;
  j.valid_life_time = a.validLifetime;
  j.preferred_life_time = a.preferredLifetime;
  return j;
}

/**
 * With -4 or -6, ip lists links through a per-family link dump, in which the kernel leaves out
 * the hardware address and type (and, for IPv6, the qdisc, master and group): ip -j then omits those
 * keys, and so does this.
 */
const FAMILY_DUMP_OMITS: Record<4 | 6, readonly string[]> = {
  4: ['link_type', 'address', 'broadcast', 'permaddr', 'link_netnsid'],
  6: ['qdisc', 'master', 'group', 'link_type', 'address', 'broadcast', 'permaddr', 'link_netnsid'],
};

/** The `ip -j address show` object of one link with its addresses. */
export function linkAddressesJson(link: Link, addresses: readonly Address[], names: LinkNames, family: 4 | 6 | undefined): JsonObject {
  const j = linkJson(link, names, ADDRESS_LINK);
  if (family !== undefined) for (const key of FAMILY_DUMP_OMITS[family]) delete j[key];
  j.addr_info = addresses.map(addressJson);
  return j;
}

function lifetimeText(seconds: number | undefined): string {
  return seconds === undefined || seconds === INFINITY_LIFE_TIME ? 'forever' : `${seconds}sec`;
}

/** The two text lines of one address (`inet 10.0.0.1/24 brd … scope global veth0`, lifetimes). */
export function addressTextLines(a: Address, indent = '    '): string[] {
  const words = [`${a.family === 'inet6' ? 'inet6' : 'inet'} ${a.address}`];
  if (a.peer !== undefined) words.push(`peer ${a.peer}/${a.prefixLength}`);
  else words[0] += `/${a.prefixLength}`;
  if (a.broadcast !== undefined) words.push(`brd ${a.broadcast}`);
  if (a.anycast !== undefined) words.push(`any ${a.anycast}`);
  if (a.metric !== undefined) words.push(`metric ${a.metric}`);
  words.push(`scope ${a.scope}`, ...addressFlagWords(a));
  if (a.label !== undefined) words.push(escapeForDisplay(a.label));
  return [`${indent}${words.join(' ')}`, `${indent}   valid_lft ${lifetimeText(a.validLifetime)} preferred_lft ${lifetimeText(a.preferredLifetime)}`];
}

/** A link and its addresses as text. */
export function linkAddressesText(link: Link, addresses: readonly Address[], names: LinkNames, netnsName: (id: number) => string | undefined): string[] {
  return [...linkTextLines(link, names, ADDRESS_LINK, netnsName), ...addresses.flatMap((a) => addressTextLines(a))];
}
