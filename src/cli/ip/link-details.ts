/**
 * What `ip -d` adds to a link: promiscuity, MTU limits, queue counts, GSO/TSO/GRO limits, the
 * IPv6 address generation mode and `linkinfo` (the kind and, for bridges, bridge ports,
 * macvlan, vxlan and tun, their settings under ip's key names). Other kinds print their kind only.
 */
import type { Link } from '../../netlink/route/link.js';
import type { MacvlanData } from '../../netlink/route/link-info/macvlan.js';
import type { TunData } from '../../netlink/route/link-info/tun.js';
import type { VxlanData } from '../../netlink/route/link-info/vxlan.js';
import { bridgeJson, bridgePortJson } from './bridge-details.js';
import type { IpJson } from './json.js';
import type { LinkNames } from './names.js';
import { nameOfId } from './user-names.js';

type JsonObject = { [key: string]: IpJson | undefined };

/** ip prints vxlan's TOS 1 as `inherit`. */
const TOS_INHERIT = 1;

function macvlanJson(d: MacvlanData): JsonObject {
  const j: JsonObject = { mode: d.mode };
  for (const f of d.flags ?? []) if (typeof f === 'string') j[f] = true;
  j.bcqueuelen = d.bcQueueLen;
  j.usedbcqueuelen = d.bcQueueLenUsed;
  return j;
}

const on = (v: number | undefined): boolean | undefined => (v === undefined ? undefined : v !== 0);
/** Printed only when set, as ip does for these vxlan flags. */
const onlyTrue = (v: number | undefined): true | undefined => (v ? true : undefined);

function vxlanJson(d: VxlanData, names: LinkNames): JsonObject {
  const j: JsonObject = { id: d.id };
  const peer = d.group ?? d.group6;
  if (peer !== undefined) {
    const first = peer.includes(':') ? Number.parseInt(peer.slice(0, 2), 16) : Number(peer.split('.')[0]);
    const multicast = peer.includes(':') ? first === 0xff : first >= 224 && first <= 239;
    j[multicast ? 'group' : 'remote'] = peer;
  }
  j.local = d.local ?? d.local6;
  if (d.link !== undefined && d.link !== 0) j.link = names.name(d.link);
  if (d.portRange !== undefined) j.port_range = { low: d.portRange.low, high: d.portRange.high };
  j.port = d.port;
  j.learning = on(d.learning);
  j.proxy = onlyTrue(d.proxy);
  j.rsc = onlyTrue(d.rsc);
  j.l2miss = onlyTrue(d.l2miss);
  j.l3miss = onlyTrue(d.l3miss);
  if (d.tos !== undefined && d.tos !== 0) j.tos = d.tos === TOS_INHERIT ? 'inherit' : d.tos;
  j.ttl = d.ttl;
  j.df = d.df;
  j.ageing = d.ageing;
  if (d.limit !== undefined && d.limit !== 0) j.limit = d.limit;
  j.udp_csum = on(d.udpCsum);
  j.udp_zero_csum6_tx = on(d.udpZeroCsum6Tx);
  j.udp_zero_csum6_rx = on(d.udpZeroCsum6Rx);
  j.remcsum_tx = onlyTrue(d.remcsumTx);
  j.remcsum_rx = onlyTrue(d.remcsumRx);
  return j;
}

/** A tun device's settings as ip prints them: owner and group by name when they have one. */
function tunJson(d: TunData): JsonObject {
  const j: JsonObject = { type: d.type, pi: on(d.pi), vnet_hdr: on(d.vnetHdr), multi_queue: on(d.multiQueue) };
  if (d.multiQueue) {
    j.numqueues = d.numQueues;
    j.numdisabled = d.numDisabledQueues;
  }
  j.persist = on(d.persist);
  if (d.owner !== undefined) j.user = nameOfId('user', d.owner);
  if (d.group !== undefined) j.group = nameOfId('group', d.group);
  return j;
}

/** tunJson in ip's text: flags as on/off, multi_queue as a bare word (and only when on). */
function tunText(d: TunData): string {
  return Object.entries(tunJson(d))
    .filter(([k, v]) => v !== undefined && !(k === 'multi_queue' && v === false))
    .map(([k, v]) => (typeof v === 'boolean' ? (k === 'multi_queue' ? k : `${k} ${v ? 'on' : 'off'}`) : `${k} ${String(v)}`))
    .join(' ');
}

function linkinfoJson(link: Link, names: LinkNames): JsonObject | undefined {
  if (link.kind === undefined && link.slaveKind === undefined) return undefined;
  const j: JsonObject = { info_kind: link.kind };
  if (link.kind === 'macvlan' && link.macvlan !== undefined) j.info_data = macvlanJson(link.macvlan);
  if (link.kind === 'vxlan' && link.vxlan !== undefined) j.info_data = vxlanJson(link.vxlan, names);
  if (link.kind === 'bridge' && link.bridge !== undefined) j.info_data = bridgeJson(link.bridge);
  if (link.kind === 'tun' && link.tun !== undefined) j.info_data = tunJson(link.tun);
  j.info_slave_kind = link.slaveKind;
  if (link.slaveKind === 'bridge' && link.bridgePort !== undefined) j.info_slave_data = bridgePortJson(link.bridgePort);
  return j;
}

/** The `-d` keys of a link, in ip's order. */
export function linkDetailsJson(link: Link, names: LinkNames): JsonObject {
  const a = link.message.attributes;
  return {
    promiscuity: link.promiscuity,
    allmulti: link.allmulti,
    min_mtu: link.minMtu,
    max_mtu: link.maxMtu,
    linkinfo: linkinfoJson(link, names),
    inet6_addr_gen_mode: link.ipv6?.addrGenMode,
    num_tx_queues: link.numTxQueues,
    num_rx_queues: link.numRxQueues,
    gso_max_size: a.gsoMaxSize,
    gso_max_segs: a.gsoMaxSegs,
    tso_max_size: a.tsoMaxSize,
    tso_max_segs: a.tsoMaxSegs,
    gro_max_size: a.groMaxSize,
  };
}

function words(j: JsonObject): string {
  const out: string[] = [];
  for (const [k, v] of Object.entries(j)) {
    if (v === undefined || v === null) continue;
    if (typeof v === 'object' && !Array.isArray(v)) out.push(`${k} ${Object.values(v).join(' ')}`);
    else out.push(v === true ? k : `${k} ${String(v)}`);
  }
  return out.join(' ');
}

/** `-d` in text: a tail for the `link/…` line and extra lines (kind, queues, offload limits). */
export function linkDetailsText(link: Link): { inline: string; lines: string[] } {
  const a = link.message.attributes;
  const inline = [
    link.promiscuity !== undefined ? ` promiscuity ${link.promiscuity}` : '',
    link.allmulti !== undefined ? ` allmulti ${link.allmulti}` : '',
    link.minMtu !== undefined ? ` minmtu ${link.minMtu}` : '',
    link.maxMtu !== undefined ? ` maxmtu ${link.maxMtu}` : '',
  ].join('');
  const kind: string[] = [];
  if (link.kind !== undefined) kind.push(link.kind);
  if (link.kind === 'macvlan' && link.macvlan !== undefined) kind.push(words(macvlanJson(link.macvlan)));
  if (link.kind === 'tun' && link.tun !== undefined) kind.push(tunText(link.tun));
  if (link.slaveKind !== undefined) kind.push(`${link.slaveKind}_slave`);
  const rest = words({
    addrgenmode: link.ipv6?.addrGenMode,
    numtxqueues: link.numTxQueues,
    numrxqueues: link.numRxQueues,
    gso_max_size: a.gsoMaxSize,
    gso_max_segs: a.gsoMaxSegs,
    tso_max_size: a.tsoMaxSize,
    tso_max_segs: a.tsoMaxSegs,
    gro_max_size: a.groMaxSize,
  });
  return { inline, lines: [`    ${[...kind, rest].filter((s) => s !== '').join(' ')}`] };
}
