/**
 * The CNI result: interfaces, IP configurations, routes and DNS, as ADD prints it, as IPAM
 * plugins return it (without interfaces) and as runtimes hand it back in `prevResult`.
 * Parsing accepts every supported version (0.3.x/0.4.0 carry `version: "4"` on each IP);
 * printing writes the shape of the version the configuration asked for.
 */
import { parseIp, parsePrefix, type ParsedPrefix } from '../netlink/addresses.js';
import { ValidationError } from '../netlink/errors.js';
import { CniError, CniErrorCode } from './errors.js';
import { compareVersions, type CniVersion } from './versions.js';

export interface CniInterface {
  name: string;
  mac?: string;
  /** 1.1.0 */
  mtu?: number;
  /** The container's namespace path; absent for host interfaces. */
  sandbox?: string;
  /** 1.1.0 */
  socketPath?: string;
  /** 1.1.0 */
  pciID?: string;
}

export interface CniIpConfig {
  /** Address with the subnet's prefix length, `10.22.0.5/16`. */
  address: string;
  gateway?: string;
  /** Index into `interfaces`. */
  interface?: number;
}

export interface CniRoute {
  dst: string;
  gw?: string;
  /** 1.1.0 */
  mtu?: number;
  advmss?: number;
  priority?: number;
  table?: number;
  scope?: number;
}

export interface CniDns {
  nameservers?: string[];
  domain?: string;
  search?: string[];
  options?: string[];
}

export interface CniResult {
  cniVersion: string;
  interfaces?: CniInterface[];
  ips?: CniIpConfig[];
  routes?: CniRoute[];
  dns?: CniDns;
}

const ROUTE_NUMBERS = ['mtu', 'advmss', 'priority', 'table', 'scope'] as const;
const V1_1_INTERFACE_KEYS = ['mtu', 'socketPath', 'pciID'] as const;

function isObject(v: unknown): v is Record<string, unknown> {
  return v !== null && typeof v === 'object' && !Array.isArray(v);
}

function fail(where: string, why: string): never {
  throw new CniError(CniErrorCode.DecodingFailure, `${where}: ${why}`);
}

function str(v: unknown, where: string): string {
  if (typeof v !== 'string') fail(where, 'must be a string');
  return v;
}

function optionalStrings(v: unknown, where: string): string[] | undefined {
  if (v === undefined || v === null) return undefined;
  if (!Array.isArray(v) || v.some((x) => typeof x !== 'string')) fail(where, 'must be an array of strings');
  return v as string[];
}

function checked<T>(where: string, f: () => T): T {
  try {
    return f();
  } catch (err) {
    if (err instanceof ValidationError) fail(where, err.message);
    throw err;
  }
}

function parseDns(v: unknown, where: string): CniDns | undefined {
  if (v === undefined || v === null) return undefined;
  if (!isObject(v)) fail(where, 'must be an object');
  const dns: CniDns = {};
  const nameservers = optionalStrings(v.nameservers, `${where}.nameservers`);
  if (nameservers) dns.nameservers = nameservers;
  if (v.domain !== undefined && v.domain !== '') dns.domain = str(v.domain, `${where}.domain`);
  const search = optionalStrings(v.search, `${where}.search`);
  if (search) dns.search = search;
  const options = optionalStrings(v.options, `${where}.options`);
  if (options) dns.options = options;
  return dns;
}

/** The DNS settings of a configuration or result, checked (as a decoding failure). */
export function parseDnsSection(v: unknown, where: string): CniDns | undefined {
  return parseDns(v, where);
}

/**
 * Parse a result (an IPAM plugin's output or a prevResult).
 * @throws CniError 6 (failed to decode) naming the bad field
 */
export function parseResult(v: unknown, where = 'result'): CniResult {
  if (!isObject(v)) fail(where, 'must be a JSON object');
  const out: CniResult = { cniVersion: v.cniVersion === undefined ? '' : str(v.cniVersion, `${where}.cniVersion`) };
  if (v.interfaces !== undefined && v.interfaces !== null) {
    if (!Array.isArray(v.interfaces)) fail(`${where}.interfaces`, 'must be an array');
    out.interfaces = v.interfaces.map((i, n) => {
      const at = `${where}.interfaces[${n}]`;
      if (!isObject(i)) fail(at, 'must be an object');
      const itf: CniInterface = { name: str(i.name, `${at}.name`) };
      if (i.mac !== undefined && i.mac !== '') itf.mac = str(i.mac, `${at}.mac`);
      if (i.mtu !== undefined) itf.mtu = Number(i.mtu);
      if (i.sandbox !== undefined && i.sandbox !== '') itf.sandbox = str(i.sandbox, `${at}.sandbox`);
      if (i.socketPath !== undefined && i.socketPath !== '') itf.socketPath = str(i.socketPath, `${at}.socketPath`);
      if (i.pciID !== undefined && i.pciID !== '') itf.pciID = str(i.pciID, `${at}.pciID`);
      return itf;
    });
  }
  if (v.ips !== undefined && v.ips !== null) {
    if (!Array.isArray(v.ips)) fail(`${where}.ips`, 'must be an array');
    out.ips = v.ips.map((ip, n) => {
      const at = `${where}.ips[${n}]`;
      if (!isObject(ip)) fail(at, 'must be an object');
      const address = str(ip.address, `${at}.address`);
      checked(`${at}.address`, () => parsePrefix(address, 'address'));
      const conf: CniIpConfig = { address };
      if (ip.gateway !== undefined && ip.gateway !== '') {
        const gw = str(ip.gateway, `${at}.gateway`);
        checked(`${at}.gateway`, () => parseIp(gw, 'gateway'));
        conf.gateway = gw;
      }
      if (ip.interface !== undefined && ip.interface !== null) {
        if (!Number.isInteger(ip.interface) || (ip.interface as number) < 0) fail(`${at}.interface`, 'must be an index into interfaces');
        conf.interface = ip.interface as number;
      }
      return conf;
    });
  }
  if (v.routes !== undefined && v.routes !== null) {
    if (!Array.isArray(v.routes)) fail(`${where}.routes`, 'must be an array');
    out.routes = v.routes.map((r, n) => {
      const at = `${where}.routes[${n}]`;
      if (!isObject(r)) fail(at, 'must be an object');
      const dst = str(r.dst, `${at}.dst`);
      checked(`${at}.dst`, () => parsePrefix(dst, 'dst'));
      const route: CniRoute = { dst };
      if (r.gw !== undefined && r.gw !== '') {
        const gw = str(r.gw, `${at}.gw`);
        checked(`${at}.gw`, () => parseIp(gw, 'gw'));
        route.gw = gw;
      }
      for (const key of ROUTE_NUMBERS) {
        const x = r[key];
        if (x === undefined || x === null) continue;
        if (!Number.isInteger(x) || (x as number) < 0) fail(`${at}.${key}`, 'must be a non-negative integer');
        route[key] = x as number;
      }
      return route;
    });
  }
  const dns = parseDns(v.dns, `${where}.dns`);
  if (dns) out.dns = dns;
  return out;
}

/** An IP configuration's address as a prefix (`10.22.0.5/16`: address 10.22.0.5, length 16). */
export function ipPrefix(ip: CniIpConfig): ParsedPrefix {
  return parsePrefix(ip.address, 'address');
}

/**
 * Append this plugin's part to a result from earlier plugins in the chain: interfaces after
 * theirs (our IP configurations' interface indexes shifted to match), IPs and routes after
 * theirs, our DNS when we have one.
 */
export function mergeResult(prev: CniResult | undefined, ours: CniResult): CniResult {
  if (!prev) return ours;
  const shift = prev.interfaces?.length ?? 0;
  const out: CniResult = {
    cniVersion: ours.cniVersion,
    interfaces: [...(prev.interfaces ?? []), ...(ours.interfaces ?? [])],
    ips: [...(prev.ips ?? []), ...(ours.ips ?? []).map((ip) => (ip.interface === undefined ? ip : { ...ip, interface: ip.interface + shift }))],
    routes: [...(prev.routes ?? []), ...(ours.routes ?? [])],
  };
  const dns = ours.dns && Object.keys(ours.dns).length > 0 ? ours.dns : prev.dns;
  if (dns) out.dns = dns;
  return out;
}

/** The result as JSON of `version`: `version` per IP before 1.0.0, 1.1.0 fields only in 1.1.0. */
export function resultJson(r: CniResult, version: CniVersion): Record<string, unknown> {
  const legacy = compareVersions(version, '1.0.0') < 0;
  const v11 = compareVersions(version, '1.1.0') >= 0;
  const out: Record<string, unknown> = { cniVersion: version };
  if (r.interfaces) {
    out.interfaces = r.interfaces.map((i) => {
      const copy: Record<string, unknown> = { ...i };
      if (!v11) for (const k of V1_1_INTERFACE_KEYS) delete copy[k];
      return copy;
    });
  }
  out.ips = (r.ips ?? []).map((ip) => (legacy ? { version: String(ipPrefix(ip).family), ...ip } : { ...ip }));
  if (r.routes) {
    out.routes = r.routes.map((route) => {
      const copy: Record<string, unknown> = { ...route };
      if (!v11) for (const k of ROUTE_NUMBERS) delete copy[k];
      return copy;
    });
  }
  out.dns = r.dns ?? {};
  return out;
}
