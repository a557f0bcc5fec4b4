/**
 * The `portMappings` runtime capability (what the reference `portmap` plugin receives):
 * `{ hostPort, containerPort, protocol, hostIP }` entries, checked, then resolved against the
 * container's addresses into one forward per address family.
 */
import { formatIp, parseIp, type ParsedPrefix } from '../netlink/addresses.js';
import type { ResolvedForward } from '../api/topology/resolved.js';
import { CniError, CniErrorCode } from './errors.js';

export interface PortMapping {
  hostPort: number;
  containerPort: number;
  protocol: 'tcp' | 'udp';
  /** Only packets to this host address; undefined = any local address. */
  hostIP?: string;
}

const PORT_MIN = 1;
const PORT_MAX = 0xffff;
const PROTOCOLS = ['tcp', 'udp'] as const;

function invalid(where: string, why: string, value: unknown): CniError {
  return new CniError(CniErrorCode.InvalidNetworkConfig, `${where}: ${why}`, JSON.stringify(value) ?? String(value));
}

function port(v: unknown, where: string): number {
  if (typeof v !== 'number' || !Number.isInteger(v) || v < PORT_MIN || v > PORT_MAX) throw invalid(where, `must be a port number from ${PORT_MIN} to ${PORT_MAX}`, v);
  return v;
}

/** Parse `runtimeConfig.portMappings`. @throws CniError 7 (2 for protocols other than tcp/udp) */
export function parsePortMappings(v: unknown, where = 'runtimeConfig.portMappings'): PortMapping[] {
  if (v === undefined || v === null) return [];
  if (!Array.isArray(v)) throw invalid(where, 'must be an array', v);
  const out = v.map((m, i): PortMapping => {
    const at = `${where}[${i}]`;
    if (m === null || typeof m !== 'object' || Array.isArray(m)) throw invalid(at, 'must be an object like { hostPort, containerPort, protocol }', m);
    const e = m as Record<string, unknown>;
    const proto = e.protocol === undefined || e.protocol === '' ? 'tcp' : String(e.protocol).toLowerCase();
    if (!(PROTOCOLS as readonly string[]).includes(proto)) {
      throw new CniError(CniErrorCode.UnsupportedField, `${at}.protocol: ${JSON.stringify(e.protocol)} is not supported (tcp or udp)`, `protocol=${String(e.protocol)}`);
    }
    const mapping: PortMapping = { hostPort: port(e.hostPort, `${at}.hostPort`), containerPort: port(e.containerPort, `${at}.containerPort`), protocol: proto as PortMapping['protocol'] };
    if (e.hostIP !== undefined && e.hostIP !== '' && e.hostIP !== null) {
      if (typeof e.hostIP !== 'string') throw invalid(`${at}.hostIP`, 'must be an IP address', e.hostIP);
      let ip;
      try {
        ip = parseIp(e.hostIP, 'hostIP');
      } catch {
        throw invalid(`${at}.hostIP`, 'must be an IPv4 or IPv6 address', e.hostIP);
      }
      // 0.0.0.0 and :: mean "every address", as with the reference plugin.
      if (!ip.bytes.every((b) => b === 0)) mapping.hostIP = formatIp(ip.bytes);
    }
    return mapping;
  });
  const seen = new Map<string, number>();
  out.forEach((m, i) => {
    const key = `${m.protocol}/${m.hostIP ?? '*'}/${m.hostPort}`;
    const first = seen.get(key);
    if (first !== undefined) throw invalid(`${where}[${i}]`, `maps ${m.protocol} port ${m.hostPort} again (already mapped by entry ${first})`, v[i]);
    seen.set(key, i);
  });
  return out;
}

/**
 * One forward per mapping and container address of the mapping's family: a mapping with a
 * hostIP applies only to that family; one without applies to IPv4 and IPv6 alike.
 */
export function resolveForwards(mappings: readonly PortMapping[], containerIps: readonly ParsedPrefix[]): ResolvedForward[] {
  const out: ResolvedForward[] = [];
  for (const m of mappings) {
    const hostFamily = m.hostIP === undefined ? undefined : parseIp(m.hostIP).family;
    const seenFamilies = new Set<number>();
    for (const ip of containerIps) {
      if (hostFamily !== undefined && ip.family !== hostFamily) continue;
      // One target per family: the first address of that family, as the reference plugin does.
      if (seenFamilies.has(ip.family)) continue;
      seenFamilies.add(ip.family);
      const f: ResolvedForward = { protocol: m.protocol, family: ip.family, ports: [m.hostPort, m.hostPort], toAddress: ip.address, toPorts: [m.containerPort, m.containerPort], from: [] };
      if (m.hostIP !== undefined) f.hostAddress = m.hostIP;
      out.push(f);
    }
  }
  return out;
}
