/**
 * The difference between a topology and what exists, as steps. Pure: it reads the observed
 * state and returns what apply would do; nothing is sent.
 */
import { formatIp, parsePrefix, type ParsedPrefix } from '../../netlink/addresses.js';
import { NetlinkError } from '../../netlink/errors.js';
import { deleteNetns } from '../../netns/netns.js';
import { sysctlRead, sysctlWrite } from '../../netns/sysctl.js';
import { natComment, natTableCommands, natTableRemoval, type NatSpec } from '../nat/table.js';
import { TopologyConflictError } from './errors.js';
import { natTableName, ownerGroup } from './marks.js';
import type { Observed, ObservedLink, ObservedNetns } from './observe.js';
import type { ResolvedForward, ResolvedRoute, ResolvedTopology } from './resolved.js';
import { Phase, type RunContext, type Step } from './steps.js';

const text = (p: ParsedPrefix): string => `${p.address}/${p.prefixLength}`;
/** Compare addresses canonically (`fd15:0::5/64` = `fd15::5/64`). */
const canonical = (a: string): string => text(parsePrefix(a));

/** Ignore "already there" / "already gone" when undoing or removing: the goal state is reached. */
async function tolerant(run: () => Promise<unknown>, codes: readonly string[]): Promise<void> {
  try {
    await run();
  } catch (err) {
    if (!(err instanceof NetlinkError && codes.includes(err.code))) throw err;
  }
}

function isOurs(link: ObservedLink, t: ResolvedTopology): boolean {
  return link.group === ownerGroup(t.name);
}

/** The metric the kernel gives a route added without one: 0 for IPv4, 1024 for IPv6 (IP6_RT_PRIO_USER). */
const DEFAULT_METRIC = { 4: 0, 6: 1024 } as const;

function routeKey(r: { family: 4 | 6; to: string; via?: string; metric?: number }): string {
  return `${r.family} ${r.to} via ${r.via ?? '-'} metric ${r.metric ?? DEFAULT_METRIC[r.family]}`;
}

function desiredRouteKey(r: ResolvedRoute): string {
  const to = r.to ? text(r.to) : 'default';
  return routeKey({ family: r.family, to, ...(r.via ? { via: r.via } : {}), ...(r.metric !== undefined ? { metric: r.metric } : {}) });
}

/** Address steps for a link we own: add what is missing, remove what is no longer wanted. */
function addressSteps(steps: Step[], phase: number, group: string, netns: string | undefined, dev: string, want: ParsedPrefix[], have: string[]): void {
  const wanted = new Set(want.map(text));
  const present = new Set(have.map(canonical));
  for (const a of want) {
    if (present.has(text(a))) continue;
    const address = text(a);
    steps.push({
      phase, group,
      description: `${netns ? `ip -n ${netns} ` : ''}addr add ${address} dev ${dev}`,
      run: (ctx) => ctx.sessionOf(netns).addresses.add({ dev, address, ...(a.family === 6 ? { flags: ['nodad'] } : {}) }),
      undo: (ctx) => tolerant(() => ctx.sessionOf(netns).addresses.delete({ dev, address }), ['EADDRNOTAVAIL', 'ENODEV']),
    });
  }
  for (const a of have) {
    if (wanted.has(canonical(a))) continue;
    steps.push({
      phase, group,
      description: `${netns ? `ip -n ${netns} ` : ''}addr del ${a} dev ${dev}`,
      run: (ctx) => tolerant(() => ctx.sessionOf(netns).addresses.delete({ dev, address: a }), ['EADDRNOTAVAIL']),
    });
  }
}

function upStep(steps: Step[], phase: number, group: string, netns: string | undefined, dev: string): void {
  steps.push({ phase, group, description: `${netns ? `ip -n ${netns} ` : ''}link set ${dev} up`, run: (ctx) => ctx.sessionOf(netns).links.set(dev, { up: true }) });
}

function namespaceSteps(t: ResolvedTopology, o: Observed, steps: Step[]): void {
  const ours = new Set(o.journal?.namespaces ?? []);
  const create = (name: string, phase: number): void => {
    // A creation of ours killed before its mount left the name as an empty file: removed
    // first. Anyone else's is theirs to clean up.
    const stale = o.stale.has(name);
    if (stale && !ours.has(name)) throw new TopologyConflictError(`namespace ${name}`, `/run/netns/${name} is not a namespace (a creation that never finished) and was not created by topology ${t.name}`);
    steps.push({
      phase, group: name,
      description: stale ? `ip netns del ${name}; ip netns add ${name}` : `ip netns add ${name}`,
      run: async (ctx) => {
        // Journal first: a crash between the two leaves a namespace destroy knows is ours.
        if (!ctx.journal.namespaces.includes(name)) ctx.journal.namespaces.push(name);
        ctx.saveJournal();
        if (stale) deleteNetns(name);
        await ctx.sessionOf(name).createNamespace();
      },
      undo: async (ctx) => {
        ctx.sessionOf(name).close();
        deleteNetns(name);
        ctx.journal.namespaces = ctx.journal.namespaces.filter((n) => n !== name);
        ctx.saveJournal();
      },
    });
  };
  if (t.host !== undefined && !o.existing.has(t.host)) {
    if (!t.createHost) throw new TopologyConflictError(`namespace ${t.host}`, 'the host namespace does not exist (set createHost to create it)');
    create(t.host, Phase.hostNamespace);
    upStep(steps, Phase.hostNamespace, t.host, t.host, 'lo');
  }
  for (const ns of t.namespaces) {
    const seen = o.namespaces.get(ns.name);
    if (!seen) {
      create(ns.name, Phase.namespaces);
      if (ns.loopback) upStep(steps, Phase.interfaces, ns.name, ns.name, 'lo');
      continue;
    }
    if (!ours.has(ns.name)) throw new TopologyConflictError(`namespace ${ns.name}`, `exists and was not created by topology ${t.name}`);
    if (ns.loopback && !seen.links.get('lo')?.up) upStep(steps, Phase.interfaces, ns.name, ns.name, 'lo');
  }
}

function bridgeSteps(t: ResolvedTopology, o: Observed, steps: Step[]): void {
  const group = ownerGroup(t.name);
  for (const b of t.bridges) {
    const seen = o.host.links.get(b.name);
    if (seen && !isOurs(seen, t)) throw new TopologyConflictError(`link ${b.name}`, `exists in the host namespace and was not created by topology ${t.name}`);
    if (!seen) {
      steps.push({
        phase: Phase.bridges, group: b.name,
        description: `ip link add ${b.name} type bridge`,
        run: (ctx) => ctx.sessionOf(t.host).links.createBridge({ name: b.name, group, alias: o.alias, up: true, ...(b.mtu ? { mtu: b.mtu } : {}), ...(b.stp !== undefined ? { stp: b.stp } : {}) }),
        undo: (ctx) => tolerant(() => ctx.sessionOf(t.host).links.delete(b.name), ['ENODEV']),
      });
    } else {
      if (!seen.up) upStep(steps, Phase.bridges, b.name, t.host, b.name);
      if (b.mtu && seen.mtu !== b.mtu) steps.push({ phase: Phase.bridges, group: b.name, description: `ip link set ${b.name} mtu ${b.mtu}`, run: (ctx) => ctx.sessionOf(t.host).links.set(b.name, { mtu: b.mtu! }) });
    }
    addressSteps(steps, Phase.bridges, b.name, t.host, b.name, b.addresses, seen?.addresses ?? []);
  }
}

function interfaceSteps(t: ResolvedTopology, o: Observed, steps: Step[]): void {
  const group = ownerGroup(t.name);
  for (const ns of t.namespaces) {
    const inside: ObservedNetns = o.namespaces.get(ns.name) ?? { links: new Map(), routes: [] };
    for (const itf of ns.interfaces) {
      const hostEnd = o.host.links.get(itf.peer);
      const nsEnd = inside.links.get(itf.name);
      if (hostEnd && !isOurs(hostEnd, t)) throw new TopologyConflictError(`link ${itf.peer}`, `exists in the host namespace and was not created by topology ${t.name}`);
      const complete = hostEnd && nsEnd && hostEnd.kind === 'veth' && nsEnd.kind === 'veth';
      if (!complete) {
        // Half a pair (after a crash) or the wrong kind: replace it.
        if (hostEnd) steps.push({ phase: Phase.interfaces, group: ns.name, description: `ip link del ${itf.peer}`, run: (ctx) => tolerant(() => ctx.sessionOf(t.host).links.delete(itf.peer), ['ENODEV']) });
        if (nsEnd) steps.push({ phase: Phase.interfaces, group: ns.name, description: `ip -n ${ns.name} link del ${itf.name}`, run: (ctx) => tolerant(() => ctx.sessionOf(ns.name).links.delete(itf.name), ['ENODEV']) });
        steps.push({
          phase: Phase.interfaces, group: ns.name,
          description: `ip link add ${itf.peer} master ${itf.bridge} type veth peer name ${itf.name} netns ${ns.name}`,
          run: (ctx) =>
            ctx.sessionOf(t.host).links.createVeth({
              name: itf.peer, group, alias: o.alias, master: itf.bridge, up: true, ...(itf.mtu ? { mtu: itf.mtu } : {}),
              peer: { name: itf.name, netns: ns.name, up: true, ...(itf.mtu ? { mtu: itf.mtu } : {}) },
            }),
          undo: (ctx) => tolerant(() => ctx.sessionOf(t.host).links.delete(itf.peer), ['ENODEV']),
        });
        if (itf.hairpin) steps.push({ phase: Phase.interfaces, group: ns.name, description: `ip link set ${itf.peer} type bridge_slave hairpin on`, run: (ctx) => ctx.sessionOf(t.host).links.setBridgePort(itf.peer, { hairpin: true }) });
      } else {
        if (hostEnd.master !== itf.bridge) steps.push({ phase: Phase.interfaces, group: ns.name, description: `ip link set ${itf.peer} master ${itf.bridge}`, run: (ctx) => ctx.sessionOf(t.host).links.set(itf.peer, { master: itf.bridge }) });
        if (!hostEnd.up) upStep(steps, Phase.interfaces, ns.name, t.host, itf.peer);
        if (!nsEnd.up) upStep(steps, Phase.interfaces, ns.name, ns.name, itf.name);
      }
      addressSteps(steps, Phase.interfaces, ns.name, ns.name, itf.name, itf.addresses, complete ? nsEnd.addresses : []);
    }
    routeSteps(ns.name, ns.routes, complete(inside, ns.interfaces.map((i) => i.name)) ? inside.routes : [], steps);
  }
}

const complete = (inside: ObservedNetns, names: string[]): boolean => names.every((n) => inside.links.get(n)?.kind === 'veth');

function routeSteps(netns: string, want: ResolvedRoute[], have: Observed['host']['routes'], steps: Step[]): void {
  // Only routes a person (or we) added: `proto boot`, what `ip route add` uses too.
  const mine = have.filter((r) => r.protocol === 'boot');
  const present = new Set(mine.map(routeKey));
  const wanted = new Set(want.map(desiredRouteKey));
  for (const r of want) {
    if (present.has(desiredRouteKey(r))) continue;
    const to = r.to ? text(r.to) : 'default';
    steps.push({
      phase: Phase.interfaces, group: netns,
      description: `ip -n ${netns} route add ${to}${r.via ? ` via ${r.via}` : ''}${r.dev ? ` dev ${r.dev}` : ''}${r.metric !== undefined ? ` metric ${r.metric}` : ''}`,
      run: (ctx) => ctx.sessionOf(netns).routes.add({ to, family: r.family === 4 ? 'inet' : 'inet6', ...(r.via ? { via: r.via } : {}), ...(r.dev ? { dev: r.dev } : {}), ...(r.metric !== undefined ? { metric: r.metric } : {}) }),
      undo: (ctx) => tolerant(() => ctx.sessionOf(netns).routes.delete({ to, family: r.family === 4 ? 'inet' : 'inet6', ...(r.via ? { via: r.via } : {}) }), ['ESRCH', 'ENODEV']),
    });
  }
  for (const r of mine) {
    if (wanted.has(routeKey(r))) continue;
    steps.push({
      phase: Phase.interfaces, group: netns,
      description: `ip -n ${netns} route del ${r.to}${r.via ? ` via ${r.via}` : ''}`,
      run: (ctx) => tolerant(() => ctx.sessionOf(netns).routes.delete({ to: r.to, family: r.family === 4 ? 'inet' : 'inet6', ...(r.via ? { via: r.via } : {}), ...(r.metric !== undefined ? { metric: r.metric } : {}) }), ['ESRCH']),
    });
  }
}

function linkSteps(t: ResolvedTopology, o: Observed, steps: Step[]): void {
  for (const [i, l] of t.links.entries()) {
    const a = o.namespaces.get(l.a.namespace)?.links.get(l.a.name);
    const b = o.namespaces.get(l.b.namespace)?.links.get(l.b.name);
    const group = `link ${i}`;
    if (!(a?.kind === 'veth' && b?.kind === 'veth')) {
      if (a) steps.push({ phase: Phase.links, group, description: `ip -n ${l.a.namespace} link del ${l.a.name}`, run: (ctx) => tolerant(() => ctx.sessionOf(l.a.namespace).links.delete(l.a.name), ['ENODEV']) });
      if (b) steps.push({ phase: Phase.links, group, description: `ip -n ${l.b.namespace} link del ${l.b.name}`, run: (ctx) => tolerant(() => ctx.sessionOf(l.b.namespace).links.delete(l.b.name), ['ENODEV']) });
      steps.push({
        phase: Phase.links, group,
        description: `ip -n ${l.a.namespace} link add ${l.a.name} type veth peer name ${l.b.name} netns ${l.b.namespace}`,
        run: (ctx) => ctx.sessionOf(l.a.namespace).links.createVeth({ name: l.a.name, up: true, peer: { name: l.b.name, netns: l.b.namespace, up: true } }),
        undo: (ctx) => tolerant(() => ctx.sessionOf(l.a.namespace).links.delete(l.a.name), ['ENODEV']),
      });
    } else {
      if (!a.up) upStep(steps, Phase.links, group, l.a.namespace, l.a.name);
      if (!b.up) upStep(steps, Phase.links, group, l.b.namespace, l.b.name);
    }
    addressSteps(steps, Phase.links, group, l.a.namespace, l.a.name, l.a.addresses, a?.kind === 'veth' && b?.kind === 'veth' ? a.addresses : []);
    addressSteps(steps, Phase.links, group, l.b.namespace, l.b.name, l.b.addresses, a?.kind === 'veth' && b?.kind === 'veth' ? b.addresses : []);
  }
}

/** Devices of the host's default routes: where traffic leaves when no uplink is named. */
function defaultUplinks(o: Observed): string[] {
  return [...new Set(o.host.routes.filter((r) => r.to === 'default' && r.dev).map((r) => r.dev!))];
}

/** A sysctl's value, or undefined when the key does not exist (e.g. a device not created yet). */
function currentSysctl(netns: string | undefined, key: string): string | undefined {
  try {
    return sysctlRead(netns, key);
  } catch {
    return undefined;
  }
}

function forwardingSteps(t: ResolvedTopology, o: Observed, steps: Step[]): void {
  if (t.forwarding === 'off' || (t.bridges.length === 0 && t.forwards.length === 0 && t.masquerade.length === 0)) return;
  const families = new Set<4 | 6>([...t.bridges.flatMap((b) => b.addresses.map((a) => a.family)), ...t.forwards.map((f) => f.family)]);
  const keys: string[] = [];
  if (t.forwarding === 'global') {
    if (families.has(4)) keys.push('net/ipv4/ip_forward');
    if (families.has(6)) keys.push('net/ipv6/conf/all/forwarding');
  } else {
    const devs = [...t.bridges.map((b) => b.name), ...(t.uplinks.length > 0 ? t.uplinks : defaultUplinks(o))];
    if (families.has(4)) for (const dev of devs) keys.push(`net/ipv4/conf/${dev}/forwarding`);
    // IPv6 has no per-device forwarding switch that forwards: ip6_forward() checks
    // conf/all/forwarding (the per-device value only changes router behaviour, RA and ND).
    if (families.has(6)) keys.push('net/ipv6/conf/all/forwarding');
  }
  const hostExists = t.host === undefined || o.existing.has(t.host);
  for (const key of keys) {
    if (hostExists && currentSysctl(t.host, key) === '1') continue;
    steps.push({
      phase: Phase.forwarding, group: key,
      description: `sysctl -w ${key.replaceAll('/', '.')}=1${t.host ? ` (in ${t.host})` : ''}`,
      run: async (ctx) => {
        const previous = sysctlRead(t.host, key);
        if (previous === '1') return;
        // Remember the first value we saw, so destroy restores what was there before us.
        if (!ctx.journal.sysctls.some((s) => s.key === key && s.netns === t.host)) {
          ctx.journal.sysctls.push({ ...(t.host !== undefined ? { netns: t.host } : {}), key, previous });
          ctx.saveJournal();
        }
        sysctlWrite(t.host, key, '1');
      },
    });
  }
}

export function natSpecOf(t: ResolvedTopology): NatSpec {
  return {
    table: natTableName(t.name),
    masquerade: t.masquerade,
    forwards: t.forwards,
    hairpinSubnets: t.bridges.flatMap((b) => b.addresses.map((a) => ({ ...a, address: formatIp(a.bytes) }))),
  };
}

function natSteps(t: ResolvedTopology, o: Observed, steps: Step[]): void {
  const spec = natSpecOf(t);
  const wanted = t.masquerade.length > 0 || t.forwards.length > 0;
  if (wanted && o.natComment !== natComment(spec)) {
    steps.push({
      phase: Phase.nat, group: 'nat',
      description: `nft -f (table inet ${spec.table}: ${t.masquerade.length} masquerade, ${t.forwards.length} forward(s))`,
      run: async (ctx) => void (await ctx.sessionOf(t.host).nft.apply(natTableCommands(spec))),
      undo: o.natComment === undefined ? async (ctx) => void (await ctx.sessionOf(t.host).nft.apply(natTableRemoval(spec.table))) : undefined,
    } as Step);
  } else if (!wanted && o.natComment !== undefined) {
    steps.push({ phase: Phase.nat, group: 'nat', description: `nft delete table inet ${spec.table}`, run: async (ctx) => void (await ctx.sessionOf(t.host).nft.apply(natTableRemoval(spec.table))) });
  }
}

const forwardKey = (f: Pick<ResolvedForward, 'protocol' | 'family' | 'ports' | 'toAddress' | 'toPorts'>): string => `${f.protocol}/${f.family} ${f.ports.join('-')} ${f.toAddress}:${f.toPorts.join('-')}`;

function removalSteps(t: ResolvedTopology, o: Observed, steps: Step[]): void {
  const desiredNs = new Set([...t.namespaces.map((n) => n.name), ...(t.host !== undefined ? [t.host] : [])]);
  for (const name of o.journal?.namespaces ?? []) {
    if (desiredNs.has(name) || !o.existing.has(name)) continue;
    steps.push({
      phase: Phase.removals, group: `ns ${name}`,
      description: `ip netns del ${name}`,
      run: async (ctx) => {
        ctx.sessionOf(name).close();
        deleteNetns(name);
        ctx.journal.namespaces = ctx.journal.namespaces.filter((n) => n !== name);
        ctx.saveJournal();
      },
    });
  }
  const desiredHost = new Set([...t.bridges.map((b) => b.name), ...t.namespaces.flatMap((n) => n.interfaces.map((i) => i.peer))]);
  for (const link of o.host.links.values()) {
    if (!isOurs(link, t) || desiredHost.has(link.name)) continue;
    steps.push({ phase: Phase.removals, group: `link ${link.name}`, description: `ip link del ${link.name}`, run: (ctx) => tolerant(() => ctx.sessionOf(t.host).links.delete(link.name), ['ENODEV']) });
  }
  const now = new Set(t.forwards.map(forwardKey));
  for (const f of o.journal?.forwards ?? []) {
    if (now.has(forwardKey(f))) continue;
    steps.push({
      phase: Phase.conntrack, group: 'conntrack',
      description: `conntrack -D -p ${f.protocol} --reply-src ${f.toAddress} (forward ${f.ports.join('-')} removed)`,
      run: async (ctx) => void (await ctx.sessionOf(t.host).conntrack.flush({ family: f.family, protocol: f.protocol, origDstPort: f.ports, replySrc: f.toAddress, replySrcPort: f.toPorts })),
    });
  }
}

/** Everything apply would do to get from `o` to `t`, in order. Empty when nothing differs. */
export function planSteps(t: ResolvedTopology, o: Observed): Step[] {
  const steps: Step[] = [];
  namespaceSteps(t, o, steps);
  bridgeSteps(t, o, steps);
  interfaceSteps(t, o, steps);
  linkSteps(t, o, steps);
  forwardingSteps(t, o, steps);
  natSteps(t, o, steps);
  removalSteps(t, o, steps);
  return steps.sort((a, b) => a.phase - b.phase);
}

export type { RunContext };
