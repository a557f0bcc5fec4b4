/**
 * What the compiler asks the outside world: service names (`ssh` → 22, from /etc/services, as
 * nft's getservbyname does) and interface indexes (`iif "lo"`, from the namespace's links).
 */
import { readFileSync } from 'node:fs';
import { NetlinkProtocol } from '../../netlink/constants.js';
import { Links } from '../../route/links.js';
import type { ValueResolvers } from '../../nft/parse/compile/datatypes.js';
import type { CliContext } from '../context.js';

const SERVICES_FILE = '/etc/services';

interface Service {
  names: string[];
  port: number;
  protocol: string;
}
let services: Service[] | undefined;

function load(): Service[] {
  if (services) return services;
  services = [];
  let text = '';
  try {
    text = readFileSync(SERVICES_FILE, 'utf8');
  } catch {
    // No services database: names simply do not resolve.
  }
  for (const line of text.split('\n')) {
    const fields = line.split('#')[0]!.trim().split(/\s+/);
    const m = /^(\d+)\/(\w+)$/.exec(fields[1] ?? '');
    if (m) services.push({ names: [fields[0]!, ...fields.slice(2)], port: Number(m[1]), protocol: m[2]! });
  }
  return services;
}

/** Port of a service name in /etc/services (names and aliases; any protocol). */
export function serviceNumber(name: string): number | undefined {
  return load().find((s) => s.names.includes(name))?.port;
}

/** The service name of a port for a protocol, as iptables -L prints it. */
export function serviceName(port: number, protocol: string): string | undefined {
  return load().find((s) => s.port === port && s.protocol === protocol)?.names[0];
}

/** The namespace's interfaces by name and by index. */
export async function interfaceTables(ctx: CliContext): Promise<{ byName: Map<string, number>; byIndex: Map<number, string> }> {
  const links = await new Links(ctx.connect(NetlinkProtocol.NETLINK_ROUTE)).list();
  return { byName: new Map(links.map((l) => [l.name, l.index])), byIndex: new Map(links.map((l) => [l.index, l.name])) };
}

/** Resolvers for compiling, loading the interface list only when a rule needs it. */
export async function resolversFor(ctx: CliContext, needsInterfaces: boolean): Promise<ValueResolvers> {
  const resolvers: ValueResolvers = { serviceNumber };
  if (needsInterfaces) {
    const { byName } = await interfaceTables(ctx);
    resolvers.interfaceIndex = (name) => byName.get(name);
  }
  return resolvers;
}
