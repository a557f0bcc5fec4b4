#!/usr/bin/env node
// What creating N veths (default 10) costs four ways, each into its own new namespace and
// enslaved to the bench's bridge as the topology setup does (not a test). Per round the four
// ways take turns, each on a fresh bridge and namespaces, undone after (ROUNDS, default 40;
// the first 10 untimed):
//
// - raw, one datagram: the floor's veth requests (bench/floor/topology.c) as bytes, all in one
//   sendmsg through the binding;
// - raw, one per veth: the same bytes, one sendmsg each, each answer read before the next;
// - Links.createVeth one after another (awaited in turn);
// - Links.createVeth all at once (Promise.all), as the bench's contender does.
//
// Printed: the median time of each way, the median time spent inside the binding's socketSend
// (the kernel does the request's work inside sendmsg), and how many times the socket's poll
// watcher woke the JS thread (answers not read right after their send), per round.
//
//   npx tsc -p tsconfig.build.json
//   node bench/scripts/veth-sends.mjs [N]   (as root: it re-runs itself in the bench's sandbox, bench/lib/sandbox.mjs)
import { closeSync, openSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { inSandbox, NETNS_DIR, reexecInSandbox } from '../lib/sandbox.mjs';

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
if (!inSandbox()) process.exit(reexecInSandbox(fileURLToPath(import.meta.url), process.argv.slice(2), root));
const nt = await import(join(root, 'dist', 'index.js'));
const { native } = await import(join(root, 'dist', 'native', 'binding.js'));
const plan = await import(join(root, 'bench', 'lib', 'plan.mjs'));
const { settlePause, waitTopologyGone } = await import(join(root, 'bench', 'lib', 'settle.mjs'));
const { exchange, vethRequest } = await import(join(root, 'bench', 'lib', 'floor-requests.mjs'));
const N = Number(process.argv[2] ?? 10);
const ROUNDS = Number(process.env.ROUNDS ?? 40);
const UNTIMED = 10;
const entries = plan.topologyEntries(N);

const withNsFds = (list, use) => {
  const fds = list.map((e) => openSync(`${NETNS_DIR}/${e.netns}`, 'r'));
  try {
    return use(fds);
  } finally {
    for (const fd of fds) closeSync(fd);
  }
};
const createOptions = (e) => ({ name: e.veth, group: plan.GROUP, master: plan.BRIDGE, up: true, peer: { name: plan.PEER, netns: e.netns } });

const WAYS = {
  'raw, one datagram': async (conn, bridgeIndex) => withNsFds(entries, (fds) => exchange(native, conn.transport.fd, entries.map((e, i) => vethRequest(e, bridgeIndex, fds[i])), 'veths')),
  'raw, one per veth': async (conn, bridgeIndex) => {
    for (const e of entries) withNsFds([e], ([fd]) => exchange(native, conn.transport.fd, [vethRequest(e, bridgeIndex, fd)], 'veth'));
  },
  'createVeth in turn': async (conn) => {
    const links = new nt.Links(conn);
    for (const e of entries) await links.createVeth(createOptions(e));
  },
  'createVeth all at once': async (conn) => {
    const links = new nt.Links(conn);
    await Promise.all(entries.map((e) => links.createVeth(createOptions(e))));
  },
};

// Time inside socketSend, while a way is being timed.
let sendMs = 0;
let timing = false;
const send = native.socketSend;
native.socketSend = (fd, parts) => {
  if (!timing) return send(fd, parts);
  const t = performance.now();
  try {
    return send(fd, parts);
  } finally {
    sendMs += performance.now() - t;
  }
};

// Wake-ups of the poll watchers while a way is being timed.
let wakeUps = 0;
const pollStart = native.pollStart;
native.pollStart = (fd, onReadable) =>
  pollStart(fd, () => {
    if (timing) wakeUps++;
    onReadable();
  });

const results = Object.fromEntries(Object.keys(WAYS).map((way) => [way, { ms: [], sendMs: [], wakeUps: [] }]));
for (let round = 0; round < ROUNDS; round++) {
  for (const [way, run] of Object.entries(WAYS)) {
    const conn = nt.connect();
    try {
      await new nt.Links(conn).createBridge({ name: plan.BRIDGE, group: plan.GROUP, up: true });
      const bridgeIndex = native.socketIfindex(conn.transport.fd, plan.BRIDGE);
      for (const e of entries) nt.createNetns(e.netns);
      sendMs = 0;
      wakeUps = 0;
      timing = true;
      const t0 = performance.now();
      await run(conn, bridgeIndex);
      const ms = performance.now() - t0;
      timing = false;
      if (round >= UNTIMED) {
        results[way].ms.push(ms);
        results[way].sendMs.push(sendMs);
        results[way].wakeUps.push(wakeUps);
      }
      for (const e of entries) nt.deleteNetns(e.netns);
      await new nt.Links(conn).deleteGroup(plan.GROUP);
    } finally {
      timing = false;
      conn.close();
    }
    await waitTopologyGone();
    await settlePause(N);
  }
}
const median = (values) => [...values].sort((a, b) => a - b)[values.length >> 1];
console.log(`${N} veths, medians of ${ROUNDS - UNTIMED} rounds: ms in all, ms inside socketSend, watcher wake-ups`);
for (const [way, r] of Object.entries(results)) console.log(`  ${way.padEnd(24)} ${median(r.ms).toFixed(2).padStart(6)}  ${median(r.sendMs).toFixed(2).padStart(6)}  ${median(r.wakeUps)}`);
