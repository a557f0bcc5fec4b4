#!/usr/bin/env node
// The JavaScript of a typed listing alone, two builds side by side in one process (not a test):
// the replies of a real dump are captured once (the bench's 10,000 DNAT rules, or its 1,000
// links with their addresses, 11,003 IPv4 routes and 1,000 neighbours), then each build lists
// them from a fake kernel (src/netlink/testing) that answers every request with those
// datagrams, so no kernel work is timed and both builds decode the same bytes. Rounds of M
// listings alternate between the builds (R rounds, after W warm-up listings each); printed:
// each build's time per listing in a few rounds and the median ratio of the new to the old.
//
// The "old" build is any other checkout built with `npx tsc -p tsconfig.build.json`, e.g. the
// previous commit in a worktree:
//
//   git worktree add /tmp/ab HEAD~1 && ln -s "$PWD/node_modules" /tmp/ab/node_modules && \
//     mkdir -p /tmp/ab/build && cp -r build/Release /tmp/ab/build/ && (cd /tmp/ab && npx tsc -p tsconfig.build.json)
//   npx tsc -p tsconfig.build.json
//   OLD=/tmp/ab/dist/index.js KIND=rules node bench/scripts/listing-js-ab.mjs
//   (afterwards: git worktree remove --force /tmp/ab)
//
// KIND: rules (default), routes, links, addresses, neighbours. R (default 10), M (listings per
// round: 5 for rules, 40 otherwise), W (warm-up listings per build: 40 for rules, 150
// otherwise). As root: it re-runs itself in the bench's sandbox (bench/lib/sandbox.mjs).
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { inSandbox, reexecInSandbox } from '../lib/sandbox.mjs';

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
if (!inSandbox()) process.exit(reexecInSandbox(fileURLToPath(import.meta.url), process.argv.slice(2), root));
const NEW = join(root, 'dist', 'index.js');
const OLD = process.env.OLD;
if (!OLD) {
  console.error('listing-js-ab: set OLD to the other build\'s dist/index.js (see the comment at the top)');
  process.exit(1);
}
const KIND = process.env.KIND ?? 'rules';
const rules = KIND === 'rules';
const R = Number(process.env.R ?? 10);
const M = Number(process.env.M ?? (rules ? 5 : 40));
const W = Number(process.env.W ?? (rules ? 40 : 150));

const plan = await import(join(root, 'bench', 'lib', 'plan.mjs'));
const state = await import(join(root, 'bench', 'lib', 'state.mjs'));
const contender = await import(join(root, 'bench', 'contenders', 'netns-ts.mjs'));

/** How each kind is listed through a connection, as the bench's contender lists it. */
function lister(nt, conn) {
  switch (KIND) {
    case 'rules': {
      const nft = new nt.NftClient(conn);
      return () => nft.listRules({ family: 'ip', table: plan.NAT_TABLE });
    }
    case 'routes': return () => new nt.Routes(conn).list({ family: 'inet' });
    case 'links': return () => new nt.Links(conn).list();
    case 'addresses': return () => new nt.Addresses(conn).list();
    case 'neighbours': return () => new nt.Neighbours(conn).list();
    default: throw new Error(`unknown KIND ${KIND}`);
  }
}

/** The datagrams of one real listing, read on this thread with the new build. */
async function capture() {
  const nt = await import(pathToFileURL(NEW).href);
  const { native } = await import(pathToFileURL(join(root, 'dist', 'native', 'binding.js')).href);
  if (rules) await contender.workloads.nft.load({ n: 10_000 });
  else state.buildDumpFixture(1000);
  const conn = rules ? nt.connect({ protocol: nt.NetlinkProtocol.NETLINK_NETFILTER, readAhead: false }) : nt.connectInNetns(plan.DUMP_NETNS, { readAhead: false });
  const datagrams = [];
  const receive = native.socketRecv;
  native.socketRecv = (fd) => {
    const got = receive(fd);
    if (got) datagrams.push(Uint8Array.from(got.data));
    return got;
  };
  try {
    const count = (await lister(nt, conn)()).length;
    console.log(`captured ${KIND}: ${count} objects in ${datagrams.length} datagrams`);
  } finally {
    native.socketRecv = receive;
    conn.close();
    if (rules) await contender.deleteNatTable();
    else state.destroyDumpFixture();
  }
  return datagrams;
}

/** One build listing the captured datagrams from a fake kernel (a copy of them of its own). */
async function listingOf(entry, captured) {
  const nt = await import(pathToFileURL(entry).href);
  const dist = dirname(entry);
  const { FakeKernel } = await import(pathToFileURL(join(dist, 'netlink', 'testing', 'fake-kernel.js')).href);
  const { Connection } = await import(pathToFileURL(join(dist, 'netlink', 'connection.js')).href);
  const datagrams = captured.map((d) => d.slice());
  const kernel = new FakeKernel((request) => {
    // Every reply answers this request: its sequence number written into each message.
    for (const d of datagrams) {
      const view = new DataView(d.buffer, d.byteOffset, d.byteLength);
      for (let at = 0; at < d.length; at += (view.getUint32(at, true) + 3) & ~3) view.setUint32(at + 8, request.seq, true);
    }
    return datagrams;
  });
  return lister(nt, new Connection(kernel));
}

const captured = await capture();
const listOld = await listingOf(OLD, captured);
const listNew = await listingOf(NEW, captured);
for (let i = 0; i < W; i++) {
  await listOld();
  await listNew();
}
const perListing = async (list) => {
  const t = performance.now();
  for (let i = 0; i < M; i++) await list();
  return (performance.now() - t) / M;
};
const ratios = [];
for (let round = 0; round < R; round++) {
  const old = await perListing(listOld);
  const now = await perListing(listNew);
  ratios.push(now / old);
  if (round < 3 || round === R - 1) console.log(`round ${round + 1}: old ${old.toFixed(3)} ms, new ${now.toFixed(3)} ms per listing`);
}
ratios.sort((a, b) => a - b);
console.log(`${KIND}: new ÷ old, median of ${R} rounds ${ratios[R >> 1].toFixed(3)} (range ${ratios[0].toFixed(2)}–${ratios[R - 1].toFixed(2)})`);
