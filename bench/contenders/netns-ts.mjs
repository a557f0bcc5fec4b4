/**
 * Contender "netns-ts": this library, loaded from the built dist/ (run `npm run build` first).
 *
 * Each phase below is called in a fresh worker process after this module was imported, and is
 * timed around the call (bench/lib/worker.mjs); names and numbers come from bench/lib/plan.mjs.
 * Signatures:
 *
 *   topology.setup({ n })      build N namespaces as bench/lib/plan.mjs describes → {}
 *   topology.teardown({ n })   remove all of it → { mode: 'bulk' | 'one-by-one' }
 *   dumps.links|addresses|routes|neighbours({ netns, links })  dump + decode → { count }
 *   nft.load({ n })            table benchnat, chain pre, n DNAT rules, one transaction → {}
 *   nft.loadPrepared({ n })    the same from a prepared rule (prepareRule), where a contender has one → {}
 *   nft.list({ n })            list the rules of table benchnat, decoded → { count }
 *   codec.run({ messages })    → { throughput: [{ family, encodePerSec, decodePerSec }] }
 *
 * The topology, nft load and dump phases use the typed clients (Links, Addresses, Routes,
 * Neighbours, NftClient) as a user would: a dump is the client's `list()`, which returns typed
 * objects (links keep statistics and per-family settings, and links, addresses, routes and
 * neighbours their full decoded message, to be decoded when first read).
 * The rule listing is NftClient.listRules (one rule dump, every expression decoded). The codec
 * workload decodes the captured fixtures with the codecs in the library's registry.
 */
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { NotMeasurable } from '../lib/contender.mjs';
import * as plan from '../lib/plan.mjs';

export const name = 'netns-ts';
export const label = 'netns-ts';
export const description = 'this library (dist/), in-process: connections opened inside namespaces by a native thread';
/** The work happens in the calling process: each run gets a fresh worker process (cold start). */
export const inProcess = true;

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
/** The library entry point; NETNS_TS_BENCH_ENTRY points the benchmark at another build. */
const DIST_ENTRY = process.env.NETNS_TS_BENCH_ENTRY ?? join(root, 'dist', 'index.js');
const FIXTURES = join(root, 'fixtures');

/** Newest modification time of the TypeScript sources, to spot a stale dist/. */
function newestSource(dir) {
  let newest = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    newest = Math.max(newest, entry.isDirectory() ? newestSource(path) : statSync(path).mtimeMs);
  }
  return newest;
}

export async function available() {
  if (!existsSync(DIST_ENTRY)) return { ok: false, reason: `${DIST_ENTRY} is not built (npm run build)` };
  const version = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')).version;
  const stale = !process.env.NETNS_TS_BENCH_ENTRY && newestSource(join(root, 'src')) > statSync(DIST_ENTRY).mtimeMs;
  return { ok: true, version, ...(stale ? { warning: 'dist/ is older than src/: run npm run build to measure the current code' } : {}) };
}

/**
 * The library, imported when this module is (the worker imports it before starting the
 * clock, so loading the library is never timed); undefined when dist/ is missing.
 */
const loaded = existsSync(DIST_ENTRY) ? await import(pathToFileURL(DIST_ENTRY).href) : undefined;

/** The library, or NotMeasurable when dist/ is missing. */
function lib() {
  if (!loaded) throw new NotMeasurable(`${DIST_ENTRY} is not built (npm run build)`);
  return loaded;
}

/** Each dump as the typed client lists it: the same requests as the floor's (routes: IPv4, every table). */
const LISTS = {
  links: (nt, conn) => new nt.Links(conn).list(),
  addresses: (nt, conn) => new nt.Addresses(conn).list(),
  routes: (nt, conn) => new nt.Routes(conn).list({ family: 'inet' }),
  neighbours: (nt, conn) => new nt.Neighbours(conn).list(),
};

async function dump(kind, { netns }) {
  const nt = lib();
  const conn = nt.connectInNetns(netns);
  try {
    return { count: (await LISTS[kind](nt, conn)).length };
  } finally {
    conn.close();
  }
}

async function listRules() {
  const nt = lib();
  const nft = new nt.NftClient(nt.connect({ protocol: nt.NetlinkProtocol.NETLINK_NETFILTER }));
  try {
    return { count: (await nft.listRules({ family: 'ip', table: plan.NAT_TABLE })).length };
  } finally {
    nft.close();
  }
}

/** Every captured message a registered codec knows, per protocol and object family. */
function fixtureSamples(nt) {
  const samples = new Map();
  if (!existsSync(FIXTURES)) return samples;
  for (const family of readdirSync(FIXTURES)) {
    const codecs = nt.protocolCodec(family);
    if (!codecs || !existsSync(join(FIXTURES, family))) continue;
    for (const file of readdirSync(join(FIXTURES, family)).filter((f) => f.endsWith('.json'))) {
      const fixture = JSON.parse(readFileSync(join(FIXTURES, family, file), 'utf8'));
      for (const d of fixture.datagrams ?? []) {
        let messages;
        try {
          messages = nt.parseDatagram(Buffer.from(d.hex, 'hex'));
        } catch {
          continue;
        }
        for (const m of messages) {
          const codec = codecs.messageCodec(m.type);
          if (!codec) continue;
          let value;
          try {
            value = codec.decode(m.payload, m.flags, m.offset + 16);
          } catch {
            continue;
          }
          // RTM_NEWLINK, RTM_GETLINK, RTM_DELLINK → one family "route RTM_*LINK".
          const key = `${family} ${codec.name.replace(/_(NEW|GET|DEL|SET)/, '_*')}`;
          const list = samples.get(key) ?? [];
          list.push({ codec, m, value });
          samples.set(key, list);
        }
      }
    }
  }
  return samples;
}

/** Operations run before timing, so throughput is measured on optimised (JIT) code. */
const WARMUP = 2000;

function decodeLoop(list, count) {
  for (let i = 0; i < count; i++) {
    const s = list[i % list.length];
    s.codec.decode(s.m.payload, s.m.flags, s.m.offset + 16);
  }
}

function encodeLoop(nt, list, count) {
  for (let i = 0; i < count; i++) {
    const s = list[i % list.length];
    const w = nt.bodyWriter();
    s.codec.encode(w, s.value, s.m.flags);
    w.finish();
  }
}

function throughputOf(nt, list, messages) {
  decodeLoop(list, WARMUP);
  encodeLoop(nt, list, WARMUP);
  let t0 = performance.now();
  decodeLoop(list, messages);
  const decodeMs = performance.now() - t0;
  t0 = performance.now();
  encodeLoop(nt, list, messages);
  const encodeMs = performance.now() - t0;
  return { encodePerSec: (messages / encodeMs) * 1000, decodePerSec: (messages / decodeMs) * 1000 };
}

/** The library's IPv4 address bytes. */
const ip4 = (nt, text) => nt.parseIp(text).bytes;

/** `ip saddr ADDR masquerade` and `tcp dport PORT dnat to ADDR:8080`, as nft builds them. */
function masqRule(nt, address) {
  return [...nt.natMatches.matchAddress('saddr', { family: 4, address, bytes: ip4(nt, address), prefixLength: 32 }), ...nt.natMatches.masquerade()];
}
function dnatRule(nt, port, address) {
  return [...nt.natMatches.matchProtocol('tcp'), ...nt.natMatches.matchPort('dport', [port, port]), ...nt.natMatches.dnatTo(4, ip4(nt, address), [plan.DNAT_TO_PORT, plan.DNAT_TO_PORT])];
}

/** The nf_tables commands of a table with base NAT chains `pre` (and `post`) and the given rules. */
function natTable(nt, table, rules, withPost) {
  const family = 'ip';
  const cmds = [nt.addTable({ family, name: table }), nt.addChain({ family, table, name: 'pre', type: 'nat', hook: 'prerouting', priority: plan.PRE_PRIORITY, policy: 'accept' })];
  if (withPost) cmds.push(nt.addChain({ family, table, name: 'post', type: 'nat', hook: 'postrouting', priority: plan.POST_PRIORITY, policy: 'accept' }));
  for (const r of rules) cmds.push(nt.addRule({ family, table, chain: r.chain, expressions: r.expressions }));
  return cmds;
}

/**
 * Workload 1 with the typed clients, in the C floor's phases: every namespace, then every veth
 * (created from the host with its peer directly inside its namespace; started together, they
 * leave 64 to a datagram as the floor's do), then inside every namespace lo and eth0 up and the
 * address, then the default route, over its own connection. The namespaces are made first, on
 * libuv's pool threads (connectInNetnsAsync: each with its connection, opened by the thread
 * creating it), and while the kernel sets them up the bridge and its address are made from the
 * host and the rules go in (one nf_tables transaction: nf_tables commits under its own mutex,
 * not the rtnl lock that namespace creation takes, and the rules name addresses, not links).
 * `sequential: true` makes each namespace on this thread instead (connectInNetns) and loads
 * the rules last, as the floor does (bench/scripts/setup-overlap.mjs compares them).
 *
 * Phases rather than each namespace carried through as soon as it is there: the latter (the
 * bench's way until the evening of 30 November) took 1.1–1.3× as long at N = 10, 100 and 500 in
 * bench/scripts/setup-ab.mjs (OWN_CONTENDER=1); docs/performance.md has the numbers.
 */
export async function topologySetup({ n, sequential = false }) {
  const nt = lib();
  const entries = plan.topologyEntries(n);
  // Started before anything else: the namespaces take the longest and everything waits for them.
  const made = sequential ? [] : entries.map((e) => nt.connectInNetnsAsync(e.netns, { create: true }));
  // A creation may fail before its promise is awaited (below): that is not an unhandled
  // rejection, which would end the process; the await still sees the failure.
  for (const m of made) m.catch(() => undefined);
  let host;
  let nft;
  try {
    host = nt.connectInNetns(undefined);
    nft = new nt.NftClient(nt.connect({ protocol: nt.NetlinkProtocol.NETLINK_NETFILTER }));
    const links = new nt.Links(host);
    await links.createBridge({ name: plan.BRIDGE, group: plan.GROUP, up: true });
    await new nt.Addresses(host).add({ dev: plan.BRIDGE, address: `${plan.BRIDGE_ADDR}/${plan.PREFIXLEN}` });
    const rules = () => natTable(nt, plan.TOPO_TABLE, entries.flatMap((e) => [
      { chain: 'post', expressions: masqRule(nt, e.address) },
      { chain: 'pre', expressions: dnatRule(nt, e.port, e.address) },
    ]), true);
    if (sequential) for (const e of entries) made.push(Promise.resolve(nt.connectInNetns(e.netns, { create: true })));
    else await nft.apply(rules());
    const insides = await Promise.all(made);
    await Promise.all(entries.map((e) => links.createVeth({ name: e.veth, group: plan.GROUP, master: plan.BRIDGE, up: true, peer: { name: plan.PEER, netns: e.netns } })));
    await Promise.all(
      entries.map(async (e, i) => {
        const inside = insides[i];
        const l = new nt.Links(inside);
        await Promise.all([
          l.set('lo', { up: true }),
          l.set(plan.PEER, { up: true }),
          new nt.Addresses(inside).add({ dev: plan.PEER, address: `${e.address}/${plan.PREFIXLEN}` }),
        ]);
        await new nt.Routes(inside).add({ to: 'default', via: plan.BRIDGE_ADDR });
      }),
    );
    if (sequential) await nft.apply(rules());
    return {};
  } finally {
    // Every connection made is closed, whatever failed (a namespace not made has none).
    for (const r of await Promise.allSettled(made)) if (r.status === 'fulfilled') r.value.close();
    host?.close();
    nft?.close();
  }
}

/** Bulk teardown: the rules table, every namespace (one call each), then the host links in one group delete. */
async function topologyTeardown({ n }) {
  const nt = lib();
  const host = nt.connectInNetns(undefined);
  const nft = new nt.NftClient(nt.connect({ protocol: nt.NetlinkProtocol.NETLINK_NETFILTER }));
  try {
    await nft.apply([nt.deleteTable({ family: 'ip', name: plan.TOPO_TABLE })]);
    for (const e of plan.topologyEntries(n)) nt.deleteNetns(e.netns);
    await new nt.Links(host).deleteGroup(plan.GROUP);
    return { mode: 'bulk' };
  } finally {
    host.close();
    nft.close();
  }
}

/** Workload 3: table benchnat, chain pre, n DNAT rules, in one transaction. */
async function nftLoad({ n }) {
  const nt = lib();
  const nft = new nt.NftClient(nt.connect({ protocol: nt.NetlinkProtocol.NETLINK_NETFILTER }));
  try {
    const rules = Array.from({ length: n }, (_, i) => ({ chain: 'pre', expressions: dnatRule(nt, plan.dnatPort(i), plan.natAddr(i)) }));
    await nft.apply(natTable(nt, plan.NAT_TABLE, rules, false));
    return {};
  } finally {
    nft.close();
  }
}

/**
 * Workload 3 with a prepared rule (prepareRule): the same table, chain and rules, the DNAT
 * rule's shape encoded once and each rule's port and address written into it.
 */
async function nftLoadPrepared({ n }) {
  const nt = lib();
  const m = nt.natMatches;
  const nft = new nt.NftClient(nt.connect({ protocol: nt.NetlinkProtocol.NETLINK_NETFILTER }));
  try {
    const forward = nt.prepareRule({ family: 'ip', table: plan.NAT_TABLE, chain: 'pre' }, { port: 'port', address: 'ipv4' }, (s) => [
      ...m.matchProtocol('tcp'),
      ...m.matchPort('dport', [s.port, s.port]),
      ...m.dnatTo(4, s.address, [plan.DNAT_TO_PORT, plan.DNAT_TO_PORT]),
    ]);
    const commands = natTable(nt, plan.NAT_TABLE, [], false);
    for (let i = 0; i < n; i++) commands.push(forward.add({ port: plan.dnatPort(i), address: plan.natAddr(i) }));
    await nft.apply(commands);
    return {};
  } finally {
    nft.close();
  }
}

/** Drops the table of workload 3 (the warm contender's undo between loads). */
export async function deleteNatTable() {
  const nt = lib();
  const nft = new nt.NftClient(nt.connect({ protocol: nt.NetlinkProtocol.NETLINK_NETFILTER }));
  try {
    await nft.apply([nt.deleteTable({ family: 'ip', name: plan.NAT_TABLE })]);
  } finally {
    nft.close();
  }
}

export const workloads = {
  topology: {
    setup: topologySetup,
    teardown: topologyTeardown,
  },
  dumps: {
    links: (ctx) => dump('links', ctx),
    addresses: (ctx) => dump('addresses', ctx),
    routes: (ctx) => dump('routes', ctx),
    neighbours: (ctx) => dump('neighbours', ctx),
  },
  nft: {
    load: nftLoad,
    loadPrepared: nftLoadPrepared,
    list: () => listRules(),
  },
  codec: {
    run: async ({ messages }) => {
      const nt = lib();
      const samples = fixtureSamples(nt);
      if (samples.size === 0) throw new NotMeasurable('no registered protocol codec decodes any fixture yet');
      const throughput = [];
      for (const [family, list] of [...samples].sort(([a], [b]) => a.localeCompare(b))) {
        throughput.push({ family, samples: list.length, ...throughputOf(nt, list, messages) });
      }
      return { throughput };
    },
  },
};
