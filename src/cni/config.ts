/**
 * The network configuration on stdin: the reference `bridge` plugin's options, the `portmap`
 * capability, the IPAM section (passed on untouched to the IPAM plugin) and the runtime's
 * additions (prevResult, runtimeConfig, valid attachments for GC). Checked completely before
 * anything is changed: bad values are CniError 7, options this kernel or plugin cannot honour
 * are CniError 2 naming the key and value.
 */
import { ValidationError } from '../netlink/errors.js';
import { validateLinkName, validateMac, validateMtu } from '../route/link-validate.js';
import { CniError, CniErrorCode } from './errors.js';
import { parsePortMappings, type PortMapping } from './port-mappings.js';
import { parseDnsSection, parseResult, type CniDns, type CniResult } from './result.js';
import { checkVersion, type CniVersion } from './versions.js';

/** Where state and the lock live unless `dataDir` says otherwise. */
export const DEFAULT_DATA_DIR = '/var/lib/cni/netns-ts';
export const DEFAULT_BRIDGE = 'cni0';

export interface Attachment {
  containerID: string;
  ifname: string;
}

export interface NetworkConfig {
  cniVersion: CniVersion;
  /** Network name: part of every attachment's identity. */
  name: string;
  type: string;
  bridge: string;
  /** Give the bridge the gateway address of each subnet (and enable forwarding). */
  isGateway: boolean;
  /** Default route in the container via the gateway (implies isGateway). */
  isDefaultGateway: boolean;
  /** Replace a different address of the gateway's subnet on the bridge. */
  forceAddress: boolean;
  /** Masquerade the container's traffic leaving its subnet. */
  ipMasq: boolean;
  mtu?: number;
  hairpinMode: boolean;
  promiscMode: boolean;
  /** Duplicate address detection for IPv6 addresses (off by default, as the reference). */
  enableDad: boolean;
  /** Isolate the port: containers on the bridge reach only non-isolated ports. */
  portIsolation: boolean;
  /** Drop frames from the container whose source MAC is not its interface's (mac-check.ts). */
  macspoofchk: boolean;
  /** Leave the container interface down (the reference's disableContainerInterface). */
  disableContainerInterface: boolean;
  /** Masquerade hairpin and host-local traffic to mapped ports (portmap's `snat`, default true). */
  snat: boolean;
  dataDir: string;
  /** The IPAM section; its `type` names the IPAM plugin. */
  ipam?: { type: string } & Record<string, unknown>;
  dns?: CniDns;
  portMappings: PortMapping[];
  /** runtimeConfig.mac: the container interface's MAC address. */
  mac?: string;
  prevResult?: CniResult;
  /** GC: attachments the runtime still knows. */
  validAttachments?: Attachment[];
}

/** The spec's network names: alphanumeric first, then alphanumerics, `_`, `.`, `-`. */
const NETWORK_NAME = /^[A-Za-z0-9][A-Za-z0-9_.-]*$/;
/** IPAM plugin names are looked up in CNI_PATH: a bare file name only. */
const PLUGIN_NAME = /^[A-Za-z0-9][A-Za-z0-9_.+-]*$/;
const VLAN_MAX = 4094;

function invalid(key: string, why: string, value?: unknown): CniError {
  return new CniError(CniErrorCode.InvalidNetworkConfig, `${key}: ${why}`, value === undefined ? '' : JSON.stringify(value));
}

function unsupported(key: string, value: unknown, why: string): CniError {
  return new CniError(CniErrorCode.UnsupportedField, `${key}=${JSON.stringify(value)} is not supported: ${why}`, `${key}=${JSON.stringify(value)}`);
}

function bool(conf: Record<string, unknown>, key: string, fallback: boolean): boolean {
  const v = conf[key];
  if (v === undefined || v === null) return fallback;
  if (typeof v !== 'boolean') throw invalid(key, 'must be true or false', v);
  return v;
}

function isObject(v: unknown): v is Record<string, unknown> {
  return v !== null && typeof v === 'object' && !Array.isArray(v);
}

function validated<T>(f: () => T, key: string, value: unknown): T {
  try {
    return f();
  } catch (err) {
    if (err instanceof ValidationError) throw invalid(key, err.message.slice(err.field.length + 2), value);
    throw err;
  }
}

/** Parse stdin's bytes as JSON. @throws CniError 6 */
export function decodeConfig(stdin: string): Record<string, unknown> {
  let v: unknown;
  try {
    v = JSON.parse(stdin);
  } catch (err) {
    throw new CniError(CniErrorCode.DecodingFailure, 'the network configuration on stdin is not valid JSON', (err as Error).message);
  }
  if (!isObject(v)) throw new CniError(CniErrorCode.DecodingFailure, 'the network configuration on stdin must be a JSON object');
  return v;
}

/** Options the reference plugins have that this kernel or plugin cannot honour. */
function rejectUnsupported(conf: Record<string, unknown>): void {
  if (conf.vlan !== undefined && conf.vlan !== 0) {
    if (!Number.isInteger(conf.vlan) || (conf.vlan as number) < 0 || (conf.vlan as number) > VLAN_MAX) throw invalid('vlan', `must be a VLAN id from 0 to ${VLAN_MAX}`, conf.vlan);
    throw unsupported('vlan', conf.vlan, 'bridge VLAN filtering is not available (this kernel has no 802.1Q support); leave vlan unset or 0');
  }
  if (Array.isArray(conf.vlanTrunk) && conf.vlanTrunk.length > 0) throw unsupported('vlanTrunk', conf.vlanTrunk, 'bridge VLAN filtering is not available on this kernel');
  if (conf.preserveDefaultVlan === false) throw unsupported('preserveDefaultVlan', false, 'bridge VLAN filtering is not available on this kernel');
  if (conf.ipMasqBackend !== undefined && conf.ipMasqBackend !== 'nftables') throw unsupported('ipMasqBackend', conf.ipMasqBackend, 'netns-ts-cni writes nf_tables rules only ("nftables")');
  for (const key of ['conditionsV4', 'conditionsV6', 'externalSetMarkChain', 'markMasqBit']) {
    if (conf[key] !== undefined) throw unsupported(key, conf[key], 'iptables-specific portmap option; netns-ts-cni keeps its rules in its own nf_tables table');
  }
}

function parseIpam(v: unknown): NetworkConfig['ipam'] {
  if (v === undefined || v === null) return undefined;
  if (!isObject(v)) throw invalid('ipam', 'must be an object with a type', v);
  if (v.type === undefined || v.type === '') return undefined;
  if (typeof v.type !== 'string' || !PLUGIN_NAME.test(v.type)) throw invalid('ipam.type', 'must be the file name of an IPAM plugin in CNI_PATH', v.type);
  return v as NetworkConfig['ipam'];
}

function parseAttachments(v: unknown): Attachment[] | undefined {
  if (v === undefined || v === null) return undefined;
  if (!Array.isArray(v)) throw invalid('cni.dev/valid-attachments', 'must be an array of { containerID, ifname }', v);
  return v.map((a, i) => {
    if (!isObject(a) || typeof a.containerID !== 'string' || typeof a.ifname !== 'string') throw invalid(`cni.dev/valid-attachments[${i}]`, 'must be { containerID, ifname }', a);
    return { containerID: a.containerID, ifname: a.ifname };
  });
}

/**
 * Check and complete a decoded configuration.
 * @throws CniError 1 (version), 2 (unsupported option), 6 (bad prevResult), 7 (bad value)
 */
export function parseConfig(conf: Record<string, unknown>): NetworkConfig {
  const cniVersion = checkVersion(conf.cniVersion);
  if (typeof conf.name !== 'string' || !NETWORK_NAME.test(conf.name)) throw invalid('name', 'must start with a letter or digit, followed by letters, digits, "_", "." or "-"', conf.name);
  if (typeof conf.type !== 'string' || conf.type === '') throw invalid('type', 'must name the plugin', conf.type);
  rejectUnsupported(conf);
  const bridge = conf.bridge === undefined || conf.bridge === '' ? DEFAULT_BRIDGE : conf.bridge;
  validated(() => validateLinkName(bridge, 'bridge'), 'bridge', bridge);
  const isDefaultGateway = bool(conf, 'isDefaultGateway', false);
  const out: NetworkConfig = {
    cniVersion,
    name: conf.name,
    type: conf.type,
    bridge: bridge as string,
    isDefaultGateway,
    isGateway: bool(conf, 'isGateway', false) || isDefaultGateway,
    forceAddress: bool(conf, 'forceAddress', false),
    ipMasq: bool(conf, 'ipMasq', false),
    hairpinMode: bool(conf, 'hairpinMode', false),
    promiscMode: bool(conf, 'promiscMode', false),
    enableDad: bool(conf, 'enabledad', false),
    portIsolation: bool(conf, 'portIsolation', false),
    macspoofchk: bool(conf, 'macspoofchk', false),
    disableContainerInterface: bool(conf, 'disableContainerInterface', false),
    snat: bool(conf, 'snat', true),
    dataDir: DEFAULT_DATA_DIR,
    portMappings: [],
  };
  if (conf.mtu !== undefined && conf.mtu !== 0) out.mtu = validated(() => (validateMtu(conf.mtu, 'mtu'), conf.mtu as number), 'mtu', conf.mtu);
  if (conf.dataDir !== undefined) {
    if (typeof conf.dataDir !== 'string' || !conf.dataDir.startsWith('/') || conf.dataDir.includes('\0')) throw invalid('dataDir', 'must be an absolute directory path', conf.dataDir);
    out.dataDir = conf.dataDir;
  }
  const ipam = parseIpam(conf.ipam);
  if (ipam) out.ipam = ipam;
  const dns = parseDnsSection(conf.dns, 'dns');
  if (dns && Object.keys(dns).length > 0) out.dns = dns;
  const runtime = conf.runtimeConfig;
  if (runtime !== undefined && runtime !== null) {
    if (!isObject(runtime)) throw invalid('runtimeConfig', 'must be an object', runtime);
    out.portMappings = parsePortMappings(runtime.portMappings);
    if (runtime.mac !== undefined && runtime.mac !== '') {
      const mac = runtime.mac;
      validated(() => validateMac(mac, 'runtimeConfig.mac', { ethernet: true }), 'runtimeConfig.mac', mac);
      out.mac = mac as string;
    }
  }
  if (conf.prevResult !== undefined && conf.prevResult !== null) out.prevResult = parseResult(conf.prevResult, 'prevResult');
  // libcni also sends the list as `cni.dev/attachments` (the name an earlier draft used).
  const attachments = parseAttachments(conf['cni.dev/valid-attachments'] ?? conf['cni.dev/attachments']);
  if (attachments) out.validAttachments = attachments;
  return out;
}
