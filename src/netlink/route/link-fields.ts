/**
 * How the typed Link view is made from link attributes, declared once and used by both
 * producers: the generic one (from a decoded LinkMessage) and the fast one (straight from
 * the bytes, see link-view.ts).
 */
import type { Ipv4DevconfValues } from './af-spec-devconf.js';
import type { AfSpec, Inet6Info } from './af-spec.js';
import type { LinkAttributes } from './link-attributes.js';
import type { BridgeData } from './link-info/bridge.js';
import type { BridgePortData } from './link-info/bridge-port.js';
import { slaveKindOf, type LinkInfo } from './link-info/linkinfo.js';
import type { MacvlanData } from './link-info/macvlan.js';
import type { TunData } from './link-info/tun.js';
import type { VxlanData } from './link-info/vxlan.js';

/** A Link field taken from one attribute; `boolean` turns the kernel's u8 0/1 into a boolean. */
export interface ScalarField {
  field: string;
  attribute: keyof LinkAttributes & string;
  boolean?: true;
}

/** Link fields that are one attribute each, in the order the kernel usually sends them. */
export const SCALAR_FIELDS: readonly ScalarField[] = [
  { field: 'name', attribute: 'ifname' },
  { field: 'txqlen', attribute: 'txqlen' },
  { field: 'operstate', attribute: 'operstate' },
  { field: 'mtu', attribute: 'mtu' },
  { field: 'minMtu', attribute: 'minMtu' },
  { field: 'maxMtu', attribute: 'maxMtu' },
  { field: 'group', attribute: 'group' },
  { field: 'promiscuity', attribute: 'promiscuity' },
  { field: 'allmulti', attribute: 'allmulti' },
  { field: 'numTxQueues', attribute: 'numTxQueues' },
  { field: 'numRxQueues', attribute: 'numRxQueues' },
  { field: 'carrier', attribute: 'carrier', boolean: true },
  { field: 'carrierChanges', attribute: 'carrierChanges' },
  { field: 'protoDown', attribute: 'protoDown', boolean: true },
  { field: 'address', attribute: 'address' },
  { field: 'broadcast', attribute: 'broadcast' },
  { field: 'permAddress', attribute: 'permAddress' },
  { field: 'master', attribute: 'master' },
  { field: 'link', attribute: 'link' },
  { field: 'linkNetnsId', attribute: 'linkNetnsid' },
  { field: 'alias', attribute: 'ifalias' },
  { field: 'qdisc', attribute: 'qdisc' },
  { field: 'parentDevName', attribute: 'parentDevName' },
  { field: 'parentDevBusName', attribute: 'parentDevBusName' },
];

/** What IFLA_LINKINFO contributes to a Link. */
export interface LinkKindFields {
  kind?: string;
  slaveKind?: string;
  bridge?: BridgeData;
  macvlan?: MacvlanData;
  vxlan?: VxlanData;
  tun?: TunData;
  kindData?: Uint8Array;
  bridgePort?: BridgePortData;
}

/** Kinds whose IFLA_INFO_DATA gets a Link field of the same name. */
const KIND_FIELDS = ['bridge', 'macvlan', 'vxlan', 'tun'] as const;

export function kindFields(info: LinkInfo | undefined): LinkKindFields {
  const out: LinkKindFields = {};
  if (!info) return out;
  if (info.kind !== undefined) out.kind = info.kind;
  const master = slaveKindOf(undefined, info.slaveKind);
  if (master !== undefined) out.slaveKind = master;
  const data = info.data;
  if (data instanceof Uint8Array) out.kindData = data;
  else if (data !== undefined && (KIND_FIELDS as readonly string[]).includes(info.kind ?? '')) {
    (out as Record<string, unknown>)[info.kind!] = data;
  }
  if (master === 'bridge' && info.slaveData !== undefined && !(info.slaveData instanceof Uint8Array)) out.bridgePort = info.slaveData;
  return out;
}

export interface LinkFamilyFields {
  ipv4?: Ipv4DevconfValues;
  ipv6?: Inet6Info;
}

export function familyFields(af: AfSpec | undefined): LinkFamilyFields {
  const out: LinkFamilyFields = {};
  if (af?.inet?.conf !== undefined) out.ipv4 = af.inet.conf;
  if (af?.inet6 !== undefined) out.ipv6 = af.inet6;
  return out;
}
