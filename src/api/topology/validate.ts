/**
 * Checks a whole topology before anything is sent, and resolves it (addresses parsed, peer
 * names derived). Every problem is a ValidationError naming the field, e.g.
 * `namespaces[1].interfaces[0].addresses[0]`.
 */
import { createHash } from 'node:crypto';
import { formatIp, networkOf, parseIp, parsePrefix, prefixContains, type IpFamily, type ParsedPrefix } from '../../netlink/addresses.js';
import { ValidationError } from '../../netlink/errors.js';
import { encodeKernelText } from '../../netlink/text.js';
import { validateNetnsName } from '../../netns/names.js';
import { validateLinkName, validateMtu } from '../../route/link-validate.js';
import type { ResolvedForward, ResolvedInterface, ResolvedNamespace, ResolvedRoute, ResolvedTopology, ResolvedVethEnd } from './resolved.js';
import { TOPOLOGY_NAME, type ForwardSpec, type RouteSpec, type Topology } from './schema.js';

const IFNAME_MAX_BYTES = 15;

function arrayOf<T>(value: T[] | undefined, field: string): T[] {
  if (value === undefined) return [];
  if (!Array.isArray(value)) throw new ValidationError(field, 'must be an array', value);
  return value;
}

function prefixes(values: string[] | undefined, field: string): ParsedPrefix[] {
  return arrayOf(values, field).map((v, i) => parsePrefix(v, `${field}[${i}]`));
}

/** `veth-red` → `veth-red-br`; longer names are shortened with a hash so they stay unique. */
export function derivePeerName(name: string): string {
  const plain = `${name}-br`;
  if (encodeKernelText(plain).length <= IFNAME_MAX_BYTES) return plain;
  const hash = createHash('sha256').update(name).digest('hex').slice(0, 4);
  let head = name;
  while (encodeKernelText(`${head}-${hash}`).length > IFNAME_MAX_BYTES) head = head.slice(0, -1);
  return `${head}-${hash}`;
}

function checkUnique(names: Array<[string, string]>, what: string): void {
  const seen = new Map<string, string>();
  for (const [name, field] of names) {
    const first = seen.get(name);
    if (first !== undefined) throw new ValidationError(field, `${what} '${name}' is also used by ${first}`, name);
    seen.set(name, field);
  }
}

function parsePortRange(value: unknown, field: string): [number, number] {
  const text = typeof value === 'number' ? String(value) : value;
  const m = typeof text === 'string' ? /^(\d{1,5})(?:-(\d{1,5}))?$/.exec(text) : null;
  if (!m) throw new ValidationError(field, 'must be a port (1-65535) or a range like 8000-8010', value);
  const lo = Number(m[1]);
  const hi = m[2] === undefined ? lo : Number(m[2]);
  if (lo < 1 || lo > 65535 || hi < 1 || hi > 65535) throw new ValidationError(field, 'ports must be from 1 to 65535', value);
  if (hi < lo) throw new ValidationError(field, `range ${lo}-${hi} is inverted`, value);
  return [lo, hi];
}

/** `10.0.0.2:80`, `[fd00::2]:80`, `10.0.0.2:80-90` or a bare address. */
function parseTarget(value: unknown, ports: [number, number], field: string): { address: string; family: IpFamily; ports: [number, number] } {
  if (typeof value !== 'string') throw new ValidationError(field, 'must be an address with an optional port, like 192.168.15.2:80', value);
  let host = value;
  let portText: string | undefined;
  const v6 = /^\[([^\]]+)\](?::(.+))?$/.exec(value);
  if (v6) {
    host = v6[1]!;
    portText = v6[2];
  } else if ((value.match(/:/g) ?? []).length === 1) {
    [host, portText] = value.split(':') as [string, string];
  }
  const ip = parseIp(host, field);
  const target = portText === undefined ? ports : parsePortRange(portText, field);
  // NAT keeps a connection's port when it lies in the target range, so a range maps 1:1 only
  // onto the same ports; anything else would scatter connections over the range.
  if (target[0] !== target[1] && (target[0] !== ports[0] || target[1] !== ports[1])) {
    throw new ValidationError(field, `port range ${target[0]}-${target[1]} must be one port or the same range as ${ports[0]}-${ports[1]}`, value);
  }
  return { address: formatIp(ip.bytes), family: ip.family, ports: target };
}

function resolveRoute(r: RouteSpec, field: string): ResolvedRoute {
  if (r === null || typeof r !== 'object') throw new ValidationError(field, 'must be an object like { to, via }', r);
  const to = r.to === 'default' ? undefined : parsePrefix(r.to, `${field}.to`);
  const via = r.via === undefined ? undefined : parseIp(r.via, `${field}.via`);
  const family: IpFamily = to?.family ?? via?.family ?? 4;
  if (via && via.family !== family) throw new ValidationError(`${field}.via`, `is IPv${via.family} but the route is IPv${family}`, r.via);
  if (r.dev !== undefined) validateLinkName(r.dev, `${field}.dev`);
  if (!via && r.dev === undefined) throw new ValidationError(field, 'needs via or dev', r);
  return { family, to, ...(via ? { via: formatIp(via.bytes) } : {}), ...(r.dev !== undefined ? { dev: r.dev } : {}), ...(r.metric !== undefined ? { metric: r.metric } : {}) };
}

/** Every subnet of the topology with the field that declared it. */
interface Subnet {
  prefix: ParsedPrefix;
  field: string;
  /** Subnets of one L2 segment may repeat (several addresses on one bridge's subnet). */
  segment: string;
}

function checkOverlaps(subnets: Subnet[]): void {
  for (let i = 0; i < subnets.length; i++) {
    for (let j = i + 1; j < subnets.length; j++) {
      const a = subnets[i]!;
      const b = subnets[j]!;
      if (a.segment === b.segment || a.prefix.family !== b.prefix.family) continue;
      const len = Math.min(a.prefix.prefixLength, b.prefix.prefixLength);
      if (prefixContains(a.prefix.bytes, len, b.prefix.bytes)) {
        throw new ValidationError(b.field, `subnet ${b.prefix.address}/${b.prefix.prefixLength} overlaps ${a.prefix.address}/${a.prefix.prefixLength} (${a.field})`);
      }
    }
  }
}

function resolveForward(f: ForwardSpec, field: string, subnets: Subnet[]): ResolvedForward {
  if (f === null || typeof f !== 'object') throw new ValidationError(field, 'must be an object like { protocol, port, to }', f);
  if (f.protocol !== 'tcp' && f.protocol !== 'udp') throw new ValidationError(`${field}.protocol`, "must be 'tcp' or 'udp'", f.protocol);
  const ports = parsePortRange(f.port, `${field}.port`);
  const to = parseTarget(f.to, ports, `${field}.to`);
  const toBytes = parseIp(to.address, `${field}.to`).bytes;
  if (!subnets.some((s) => s.prefix.family === to.family && prefixContains(s.prefix.bytes, s.prefix.prefixLength, toBytes))) {
    throw new ValidationError(`${field}.to`, `${to.address} is outside every subnet of this topology`, f.to);
  }
  const from = prefixes(f.from, `${field}.from`);
  for (const [i, p] of from.entries()) {
    if (p.family !== to.family) throw new ValidationError(`${field}.from[${i}]`, `is IPv${p.family} but the target is IPv${to.family}`, f.from?.[i]);
  }
  let hostAddress: string | undefined;
  if (f.hostAddress !== undefined) {
    const h = parseIp(f.hostAddress, `${field}.hostAddress`);
    if (h.family !== to.family) throw new ValidationError(`${field}.hostAddress`, `is IPv${h.family} but the target is IPv${to.family}`, f.hostAddress);
    hostAddress = formatIp(h.bytes);
  }
  return { protocol: f.protocol, family: to.family, ports, toAddress: to.address, toPorts: to.ports, from, ...(hostAddress ? { hostAddress } : {}) };
}

export function validateTopology(t: Topology): ResolvedTopology {
  if (t === null || typeof t !== 'object') throw new ValidationError('topology', 'must be an object', t);
  if (typeof t.name !== 'string' || !TOPOLOGY_NAME.test(t.name)) {
    throw new ValidationError('name', "must be 1-24 characters: lowercase letters, digits, '-' and '_', starting with a letter or digit", t.name);
  }
  if (t.host !== undefined) validateNetnsName(t.host, 'host');
  const forwarding = t.forwarding ?? 'per-device';
  if (!['per-device', 'global', 'off'].includes(forwarding)) throw new ValidationError('forwarding', "must be 'per-device', 'global' or 'off'", t.forwarding);
  const uplinks = arrayOf(t.uplinks, 'uplinks');
  uplinks.forEach((u, i) => validateLinkName(u, `uplinks[${i}]`));

  const subnets: Subnet[] = [];
  const addressSeen: Array<[string, string]> = [];
  const addAddresses = (list: ParsedPrefix[], field: string, segment: string): void => {
    list.forEach((p, i) => {
      subnets.push({ prefix: { ...p, bytes: networkOf(p.bytes, p.prefixLength) }, field: `${field}[${i}]`, segment });
      addressSeen.push([p.address, `${field}[${i}]`]);
    });
  };

  const bridges = arrayOf(t.bridges, 'bridges').map((b, i) => {
    const field = `bridges[${i}]`;
    validateLinkName(b?.name, `${field}.name`);
    if (b.mtu !== undefined) validateMtu(b.mtu, `${field}.mtu`);
    const addresses = prefixes(b.addresses, `${field}.addresses`);
    addAddresses(addresses, `${field}.addresses`, `bridge:${b.name}`);
    return { name: b.name, addresses, ...(b.mtu !== undefined ? { mtu: b.mtu } : {}), ...(b.stp !== undefined ? { stp: !!b.stp } : {}) };
  });
  const bridgeByName = new Map(bridges.map((b) => [b.name, b]));

  const namespaces: ResolvedNamespace[] = arrayOf(t.namespaces, 'namespaces').map((ns, i) => {
    const field = `namespaces[${i}]`;
    if (ns === null || typeof ns !== 'object') throw new ValidationError(field, 'must be an object', ns);
    validateNetnsName(ns.name, `${field}.name`);
    const interfaces: ResolvedInterface[] = arrayOf(ns.interfaces, `${field}.interfaces`).map((itf, j) => {
      const f = `${field}.interfaces[${j}]`;
      validateLinkName(itf?.name, `${f}.name`);
      if (itf.name === 'lo') throw new ValidationError(`${f}.name`, "'lo' is the namespace's loopback", itf.name);
      const bridge = bridgeByName.get(itf.bridge);
      if (!bridge) throw new ValidationError(`${f}.bridge`, `no bridge named '${String(itf.bridge)}' in bridges`, itf.bridge);
      const peer = itf.peer ?? derivePeerName(itf.name);
      validateLinkName(peer, `${f}.peer`);
      if (itf.mtu !== undefined) validateMtu(itf.mtu, `${f}.mtu`);
      const addresses = prefixes(itf.addresses, `${f}.addresses`);
      addresses.forEach((a, k) => {
        const own = bridge.addresses.filter((b) => b.family === a.family);
        if (own.length > 0 && !own.some((b) => prefixContains(b.bytes, b.prefixLength, a.bytes))) {
          throw new ValidationError(`${f}.addresses[${k}]`, `${a.address} is not on bridge ${bridge.name}'s subnet (${own.map((b) => `${b.address}/${b.prefixLength}`).join(', ')})`);
        }
      });
      addAddresses(addresses, `${f}.addresses`, `bridge:${bridge.name}`);
      return { name: itf.name, bridge: bridge.name, peer, addresses, ...(itf.mtu !== undefined ? { mtu: itf.mtu } : {}), hairpin: !!itf.hairpin };
    });
    checkUnique(interfaces.map((x, j) => [x.name, `${field}.interfaces[${j}].name`]), 'interface name');
    const gateways = ns.gateway === undefined ? [] : Array.isArray(ns.gateway) ? ns.gateway : [ns.gateway];
    const routes = gateways.map((g, j) => {
      const gw = parseIp(g, `${field}.gateway${Array.isArray(ns.gateway) ? `[${j}]` : ''}`);
      const onLink = interfaces.some((x) => x.addresses.some((a) => a.family === gw.family && prefixContains(a.bytes, a.prefixLength, gw.bytes)));
      if (!onLink) throw new ValidationError(`${field}.gateway`, `${formatIp(gw.bytes)} is not on any subnet of ${ns.name}'s interfaces`, g);
      return { family: gw.family, to: undefined, via: formatIp(gw.bytes) } as ResolvedRoute;
    });
    routes.push(...arrayOf(ns.routes, `${field}.routes`).map((r, j) => resolveRoute(r, `${field}.routes[${j}]`)));
    return { name: ns.name, loopback: ns.loopback ?? true, interfaces, routes };
  });
  checkUnique(namespaces.map((n, i) => [n.name, `namespaces[${i}].name`]), 'namespace');
  if (t.host !== undefined && namespaces.some((n) => n.name === t.host)) {
    throw new ValidationError('host', `'${t.host}' is also listed in namespaces`, t.host);
  }

  const known = new Set(namespaces.map((n) => n.name));
  const links = arrayOf(t.links, 'links').map((l, i) => {
    const end = (e: unknown, side: 'a' | 'b'): ResolvedVethEnd => {
      const f = `links[${i}].${side}`;
      const v = e as ResolvedVethEnd & { addresses?: string[] };
      if (v === null || typeof v !== 'object') throw new ValidationError(f, 'must be { namespace, name, addresses }', e);
      validateNetnsName(v.namespace, `${f}.namespace`);
      if (!known.has(v.namespace)) throw new ValidationError(`${f}.namespace`, `no namespace named '${v.namespace}' in namespaces`, v.namespace);
      validateLinkName(v.name, `${f}.name`);
      const addresses = prefixes(v.addresses as unknown as string[], `${f}.addresses`);
      addAddresses(addresses, `${f}.addresses`, `link:${i}`);
      return { namespace: v.namespace, name: v.name, addresses };
    };
    return { a: end(l?.a, 'a'), b: end(l?.b, 'b') };
  });

  // Names that share a namespace must differ.
  const hostNames: Array<[string, string]> = [
    ...bridges.map((b, i) => [b.name, `bridges[${i}].name`] as [string, string]),
    ...namespaces.flatMap((n, i) => n.interfaces.map((x, j) => [x.peer, `namespaces[${i}].interfaces[${j}].peer`] as [string, string])),
  ];
  checkUnique(hostNames, 'host interface name');
  for (const ns of namespaces) {
    const inside: Array<[string, string]> = [
      ...ns.interfaces.map((x) => [x.name, `${ns.name}: ${x.name}`] as [string, string]),
      ...links.flatMap((l, i) => [l.a, l.b].filter((e) => e.namespace === ns.name).map((e) => [e.name, `links[${i}]`] as [string, string])),
    ];
    checkUnique(inside, `interface name in namespace ${ns.name}`);
  }
  checkUnique(addressSeen, 'address');
  checkOverlaps(subnets);

  const masquerade = arrayOf(t.nat?.masquerade, 'nat.masquerade').map((m, i) => {
    const field = `nat.masquerade[${i}]`;
    if (m === null || typeof m !== 'object') throw new ValidationError(field, 'must be { source }', m);
    const source = parsePrefix(m.source, `${field}.source`);
    if (m.outInterface !== undefined) validateLinkName(m.outInterface, `${field}.outInterface`);
    return { source: { ...source, bytes: networkOf(source.bytes, source.prefixLength), address: formatIp(networkOf(source.bytes, source.prefixLength)) }, ...(m.outInterface !== undefined ? { outInterface: m.outInterface } : {}) };
  });
  const forwards = arrayOf(t.nat?.forwards, 'nat.forwards').map((f, i) => resolveForward(f, `nat.forwards[${i}]`, subnets));
  forwards.forEach((f, i) => {
    for (let j = 0; j < i; j++) {
      const g = forwards[j]!;
      const sameHost = f.hostAddress === g.hostAddress || f.hostAddress === undefined || g.hostAddress === undefined;
      if (f.protocol === g.protocol && f.family === g.family && sameHost && f.ports[0] <= g.ports[1] && g.ports[0] <= f.ports[1] && f.from.length === 0 && g.from.length === 0) {
        throw new ValidationError(`nat.forwards[${i}].port`, `${f.protocol} ${f.ports.join('-')} overlaps nat.forwards[${j}]`, f.ports);
      }
    }
  });

  return {
    name: t.name,
    host: t.host,
    createHost: !!t.createHost,
    forwarding: forwarding as ResolvedTopology['forwarding'],
    uplinks,
    bridges,
    namespaces,
    links,
    masquerade,
    forwards,
  };
}
