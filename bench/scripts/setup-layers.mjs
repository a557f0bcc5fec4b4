#!/usr/bin/env node
// Where a small warm setup's time over the floor's bytes goes, by layer (not a test): the
// topology setup of N namespaces (default 1) three ways, taking turns in one process, each
// preceded by a process start (bench/lib/wake.mjs) and undone and settled as the bench does:
//
// - bytes: the C floor's requests written as bytes and sent straight through the binding
//   (bench/lib/floor-requests.mjs, as setup-floors.mjs sends them) — no library at all;
// - connections: the same bytes as bodies, sent through the library's Connection
//   (request() and batch(): sequence numbers, the outbox, pending entries, timeouts, replies
//   matched and parsed, typed errors) on connections the library opens (connectInNetns, the
//   peer's namespace by openNetns), in the same datagrams as the bytes — the request
//   machinery without the typed clients;
// - typed clients: the bench's warm contender (Links, Addresses, Routes, NftClient: input
//   validated, requests encoded from objects; besides, it sends the default route after the
//   other three requests inside a namespace are answered, a datagram more per namespace, and
//   NftClient reads the nf_tables generation before the batch, a round trip more).
//
// Printed: the median of each (REPS rounds, default 40, after WARM_UPS, default 20) and the
// differences between them: what the request machinery adds to the bytes, and what the typed
// clients (and their two extra round trips) add to the machinery.
//
//   npx tsc -p tsconfig.build.json
//   node bench/scripts/setup-layers.mjs [N]   (as root: it re-runs itself in the bench's sandbox)
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { inSandbox, NETNS_DIR, reexecInSandbox } from '../lib/sandbox.mjs';

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
if (!inSandbox()) process.exit(reexecInSandbox(fileURLToPath(import.meta.url), process.argv.slice(2), root));
const nt = await import(join(root, 'dist', 'index.js'));
const { native } = await import(join(root, 'dist', 'native', 'binding.js'));
const plan = await import(join(root, 'bench', 'lib', 'plan.mjs'));
const contender = await import(join(root, 'bench', 'contenders', 'netns-ts.mjs'));
const { tearDownAndSettle } = await import(join(root, 'bench', 'lib', 'settle.mjs'));
const { wakeLikeProcessStart } = await import(join(root, 'bench', 'lib', 'wake.mjs'));
const floor = await import(join(root, 'bench', 'lib', 'floor-requests.mjs'));

const N = Number(process.argv[2] ?? 1);
const REPS = Number(process.env.REPS ?? 40);
const WARM_UPS = Number(process.env.WARM_UPS ?? 20);
const entries = plan.topologyEntries(N);

/** The messages of a datagram as the Connection takes them: type, flags and body. */
const outgoing = (datagram) => nt.parseDatagram(datagram).map(({ type, flags, payload }) => ({ type, flags, payload }));
const one = (datagram) => outgoing(datagram)[0];

const undo = () => tearDownAndSettle(() => contender.workloads.topology.teardown({ n: N }), N);
const batch = await floor.captureNftBatch(native, () => contender.workloads.topology.setup({ n: N }));
await undo();
const batchMessages = batch.flatMap(outgoing);

/** The floor's requests through the library's connections, awaited as the warm contender awaits its own. */
async function throughConnections() {
  const host = nt.connectInNetns(undefined);
  const nft = nt.connect({ protocol: nt.NetlinkProtocol.NETLINK_NETFILTER });
  const insides = [];
  try {
    await host.request(one(floor.bridgeRequest()));
    const bridgeIndex = host.transport.interfaceIndex(plan.BRIDGE);
    await host.request(one(floor.addressRequest(bridgeIndex, plan.BRIDGE_ADDR)));
    for (const e of entries) insides.push(nt.connectInNetns(e.netns, { create: true }));
    await Promise.all(
      entries.map(async (e, i) => {
        const ns = nt.openNetns(e.netns);
        try {
          await host.request(one(floor.vethRequest(e, bridgeIndex, ns.fd)));
        } finally {
          ns.close();
        }
        // Made together, they leave in one datagram (the outbox), as the bytes send them.
        await Promise.all(floor.insideRequests(e).map((r) => insides[i].request(one(r))));
      }),
    );
    const outcomes = await nft.batch(batchMessages);
    const failed = outcomes.find((o) => o.status === 'failed');
    if (failed) throw failed.error;
  } finally {
    for (const c of insides) c.close();
    host.close();
    nft.close();
  }
}

const setups = {
  bytes: () => floor.floorSetupFromNode(native, entries, batch, NETNS_DIR),
  connections: throughConnections,
  'typed clients': () => contender.workloads.topology.setup({ n: N }),
};

async function timed(setup) {
  wakeLikeProcessStart();
  const started = performance.now();
  await setup();
  const ms = performance.now() - started;
  await undo();
  return ms;
}

const names = Object.keys(setups);
for (let i = 0; i < WARM_UPS; i++) for (const name of names) await timed(setups[name]);
const times = Object.fromEntries(names.map((name) => [name, []]));
for (let i = 0; i < REPS; i++) {
  const order = i % 2 ? names : [...names].reverse();
  for (const name of order) times[name].push(await timed(setups[name]));
}
const median = (values) => [...values].sort((a, b) => a - b)[values.length >> 1];
const m = Object.fromEntries(names.map((name) => [name, median(times[name])]));
console.log(`topology setup, N = ${N}, medians of ${REPS} rounds taking turns (after ${WARM_UPS})`);
for (const name of names) console.log(`  ${name.padEnd(14)} ${m[name].toFixed(3)} ms`);
const us = (ms) => `${(ms * 1000).toFixed(0)} µs`;
console.log(`  the request machinery adds ${us(m.connections - m.bytes)} to the bytes; the typed clients add ${us(m['typed clients'] - m.connections)} to the machinery`);
