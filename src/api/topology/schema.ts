/**
 * A topology: the desired state of a small network, as a plain object (or JSON file). Apply it
 * and netns-ts creates what is missing, changes what differs and removes what it created
 * before and is no longer wanted; it never touches objects it did not create.
 *
 * The tutorial's network, done properly:
 * ```json
 * {
 *   "name": "tutorial",
 *   "bridges": [{ "name": "v-net-0", "addresses": ["192.168.15.5/24"] }],
 *   "namespaces": [
 *     { "name": "red",  "interfaces": [{ "name": "veth-red",  "bridge": "v-net-0", "addresses": ["192.168.15.1/24"] }], "gateway": "192.168.15.5" },
 *     { "name": "blue", "interfaces": [{ "name": "veth-blue", "bridge": "v-net-0", "addresses": ["192.168.15.2/24"] }], "gateway": "192.168.15.5" }
 *   ],
 *   "nat": {
 *     "masquerade": [{ "source": "192.168.15.0/24" }],
 *     "forwards": [{ "protocol": "tcp", "port": 80, "to": "192.168.15.2:80" }]
 *   }
 * }
 * ```
 */

/** Topology names become part of kernel object names (the nf_tables table), so they are short. */
export const TOPOLOGY_NAME = /^[a-z0-9][a-z0-9_-]{0,23}$/;

export interface Topology {
  /** Identifies what this topology owns: lowercase letters, digits, '-' and '_', at most 24. */
  name: string;
  /**
   * The namespace that holds the bridges, the host ends of veth pairs and the NAT rules: a
   * name in /run/netns, or omitted for this process's own namespace (the host).
   */
  host?: string;
  /** Create `host` too (when it names a namespace that should exist only for this topology). */
  createHost?: boolean;
  bridges?: BridgeSpec[];
  namespaces?: NamespaceSpec[];
  /** Point-to-point veth pairs between two namespaces (the tutorial's first step). */
  links?: VethLinkSpec[];
  nat?: NatSpec;
  /**
   * How forwarding is turned on in the host namespace when bridges or NAT need it:
   * `per-device` (default) writes the per-device sysctl `net.ipv4.conf.DEV.forwarding` for the
   * bridges and the uplinks (the host's default-route devices when `uplinks` is not given) and
   * leaves every other interface as it is — for IPv6 there is no such thing (the kernel
   * forwards only with `net.ipv6.conf.all.forwarding`), so that one is global; `global` writes
   * net.ipv4.ip_forward and net.ipv6.conf.all.forwarding; `off` changes nothing. Previous
   * values are recorded in the journal and restored by destroy.
   */
  forwarding?: 'per-device' | 'global' | 'off';
  /** Host interfaces traffic leaves by (for per-device forwarding and masquerade). */
  uplinks?: string[];
}

export interface BridgeSpec {
  name: string;
  /** Addresses with prefix (`192.168.15.5/24`): the host's address on the bridge's subnet. */
  addresses?: string[];
  mtu?: number;
  stp?: boolean;
}

export interface NamespaceSpec {
  name: string;
  /** veth interfaces inside the namespace whose other end is on a bridge in the host namespace. */
  interfaces?: NamespaceInterfaceSpec[];
  /** Default route(s) via these gateways (IPv4 and/or IPv6). */
  gateway?: string | string[];
  routes?: RouteSpec[];
  /** Bring `lo` up (default true). */
  loopback?: boolean;
}

export interface NamespaceInterfaceSpec {
  /** The interface's name inside the namespace. */
  name: string;
  /** The bridge its other end joins. */
  bridge: string;
  /** The host-side end's name (default: derived from `name`, at most 15 bytes). */
  peer?: string;
  addresses?: string[];
  mtu?: number;
  /** Hairpin mode on the bridge port (default false). */
  hairpin?: boolean;
}

export interface VethLinkSpec {
  a: VethEndSpec;
  b: VethEndSpec;
}

export interface VethEndSpec {
  namespace: string;
  name: string;
  addresses?: string[];
}

export interface RouteSpec {
  /** `default` or a prefix. */
  to: string;
  via?: string;
  dev?: string;
  metric?: number;
}

export interface NatSpec {
  masquerade?: MasqueradeSpec[];
  forwards?: ForwardSpec[];
}

export interface MasqueradeSpec {
  /** Source prefix to masquerade (traffic to the same prefix is left alone). */
  source: string;
  /** Only when leaving by this interface. */
  outInterface?: string;
}

export interface ForwardSpec {
  protocol: 'tcp' | 'udp';
  /** Host port, or an inclusive range `8000-8010`. */
  port: number | string;
  /** `ADDR:PORT`, `[ADDR6]:PORT`, or an address (same port as `port`). Must be inside the topology. */
  to: string;
  /** Only connections from these source prefixes. */
  from?: string[];
  /** Only to this host address (default: any address of the host). */
  hostAddress?: string;
}
