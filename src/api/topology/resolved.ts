/** A topology after validation: names checked, addresses parsed, defaults filled in. */
import type { IpFamily, ParsedPrefix } from '../../netlink/addresses.js';

export interface ResolvedTopology {
  name: string;
  host: string | undefined;
  createHost: boolean;
  forwarding: 'per-device' | 'global' | 'off';
  uplinks: string[];
  bridges: ResolvedBridge[];
  namespaces: ResolvedNamespace[];
  links: ResolvedVethLink[];
  masquerade: ResolvedMasquerade[];
  forwards: ResolvedForward[];
}

export interface ResolvedBridge {
  name: string;
  addresses: ParsedPrefix[];
  mtu?: number;
  stp?: boolean;
}

export interface ResolvedInterface {
  name: string;
  bridge: string;
  peer: string;
  addresses: ParsedPrefix[];
  mtu?: number;
  hairpin: boolean;
}

export interface ResolvedRoute {
  family: IpFamily;
  /** undefined for the default route. */
  to: ParsedPrefix | undefined;
  via?: string;
  dev?: string;
  metric?: number;
}

export interface ResolvedNamespace {
  name: string;
  loopback: boolean;
  interfaces: ResolvedInterface[];
  routes: ResolvedRoute[];
}

export interface ResolvedVethEnd {
  namespace: string;
  name: string;
  addresses: ParsedPrefix[];
}

export interface ResolvedVethLink {
  a: ResolvedVethEnd;
  b: ResolvedVethEnd;
}

export interface ResolvedMasquerade {
  source: ParsedPrefix;
  outInterface?: string;
}

export interface ResolvedForward {
  protocol: 'tcp' | 'udp';
  family: IpFamily;
  /** Inclusive host port range (equal ends for one port). */
  ports: [number, number];
  toAddress: string;
  toPorts: [number, number];
  from: ParsedPrefix[];
  hostAddress?: string;
}
