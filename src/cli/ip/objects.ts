/**
 * The objects and commands of `ip`, in iproute2's order so abbreviations resolve the same way
 * (`ip a` = address, `ip m` = maddress, `ip mo` = monitor, `ip r s` = route show, `ip netns s`
 * = netns show). Objects and commands netns-ts does not implement are listed too, so they are
 * refused by name ("ip xfrm: not supported") instead of being mistaken for another.
 */
import { findKeyword, kw, type Keyword } from '../keywords.js';

export type IpObject = 'address' | 'route' | 'neigh' | 'link' | 'netns' | 'monitor' | 'tuntap' | 'help';

export interface ObjectKeyword extends Keyword {
  object?: IpObject;
}

const obj = (name: string, object?: IpObject): ObjectKeyword => (object === undefined ? kw(name, 1) : { ...kw(name, 1), object });

export const IP_OBJECTS: readonly ObjectKeyword[] = [
  obj('address', 'address'), obj('addrlabel'), obj('maddress'), obj('route', 'route'), obj('rule'),
  obj('neighbor', 'neigh'), obj('neighbour', 'neigh'), obj('ntable'), obj('ntbl'), obj('link', 'link'),
  obj('l2tp'), obj('fou'), obj('ila'), obj('macsec'), obj('tunnel'), obj('tunl'), obj('tuntap', 'tuntap'), obj('tap', 'tuntap'),
  obj('token'), obj('tcpmetrics'), obj('tcp_metrics'), obj('monitor', 'monitor'), obj('xfrm'), obj('mroute'),
  obj('mrule'), obj('netns', 'netns'), obj('netconf'), obj('vrf'), obj('sr'), obj('nexthop'), obj('mptcp'),
  obj('ioam'), obj('help', 'help'), obj('stats'),
];

export interface VerbKeyword<V extends string> extends Keyword {
  verb?: V;
}

const verb = <V extends string>(name: string, v?: V, min = 1): VerbKeyword<V> => (v === undefined ? kw(name, min) : { ...kw(name, min), verb: v });

export type LinkVerbName = 'add' | 'set' | 'delete' | 'show' | 'help';
export const LINK_VERBS: readonly VerbKeyword<LinkVerbName>[] = [
  verb('add', 'add'), verb('set', 'set'), verb('change', 'set'), verb('replace'), verb('delete', 'delete'),
  verb('show', 'show'), verb('list', 'show'), verb('lst', 'show'), verb('xstats'), verb('afstats'), verb('property'), verb('help', 'help'),
];

export type AddressVerbName = 'add' | 'change' | 'replace' | 'delete' | 'show' | 'flush' | 'help';
export const ADDRESS_VERBS: readonly VerbKeyword<AddressVerbName>[] = [
  verb('add', 'add'), verb('change', 'change'), verb('chg', 'change', 3), verb('replace', 'replace'), verb('delete', 'delete'),
  verb('list', 'show'), verb('show', 'show'), verb('lst', 'show'), verb('flush', 'flush'), verb('save'), verb('showdump'), verb('restore'), verb('help', 'help'),
];

export type RouteVerbName = 'add' | 'change' | 'replace' | 'delete' | 'show' | 'get' | 'help';
export const ROUTE_VERBS: readonly VerbKeyword<RouteVerbName>[] = [
  verb('add', 'add'), verb('change', 'change'), verb('chg', 'change', 3), verb('replace', 'replace'), verb('prepend'), verb('append'), verb('test'),
  verb('delete', 'delete'), verb('list', 'show'), verb('show', 'show'), verb('lst', 'show'), verb('get', 'get'), verb('flush'), verb('save'),
  verb('restore'), verb('showdump'), verb('help', 'help'),
];

export type NeighVerbName = 'add' | 'change' | 'replace' | 'delete' | 'show' | 'flush' | 'help';
export const NEIGH_VERBS: readonly VerbKeyword<NeighVerbName>[] = [
  verb('add', 'add'), verb('change', 'change'), verb('chg', 'change', 3), verb('replace', 'replace'), verb('delete', 'delete'),
  verb('list', 'show'), verb('show', 'show'), verb('lst', 'show'), verb('flush', 'flush'), verb('get'), verb('help', 'help'),
];

export type TuntapVerbName = 'add' | 'delete' | 'show' | 'help';
export const TUNTAP_VERBS: readonly VerbKeyword<TuntapVerbName>[] = [
  verb('add', 'add'), verb('del', 'delete'), verb('delete', 'delete'), verb('show', 'show'), verb('list', 'show'), verb('lst', 'show'), verb('help', 'help'),
];

export type NetnsVerbName = 'list' | 'list-id' | 'add' | 'set' | 'delete' | 'identify' | 'exec' | 'help';
export const NETNS_VERBS: readonly VerbKeyword<NetnsVerbName>[] = [
  verb('list', 'list'), verb('show', 'list'), verb('lst', 'list'), verb('list-id', 'list-id', 5), verb('add', 'add'), verb('attach'),
  verb('set', 'set'), verb('delete', 'delete'), verb('identify', 'identify'), verb('pids'), verb('exec', 'exec'), verb('monitor'), verb('help', 'help'),
];

/** Resolve a verb word: the keyword it selects, or undefined when it selects none. */
export function findVerb<V extends string>(word: string, table: readonly VerbKeyword<V>[]): VerbKeyword<V> | undefined {
  return findKeyword(word, table);
}
