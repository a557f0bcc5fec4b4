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
const { waitTopologyGone } = await import(join(root, 'bench', 'lib', 'settle.mjs'));
const N = Number(process.argv[2] ?? 10);
const ROUNDS = Number(process.env.ROUNDS ?? 40);
const UNTIMED = 10;
const entries = plan.topologyEntries(N);

// uapi: <linux/netlink.h>, <linux/rtnetlink.h>, <linux/if_link.h>, <linux/veth.h>
const NLMSG_ERROR = 2;
const NLM_F_REQUEST_ACK = 0x5;
const NLM_F_CREATE_EXCL = 0x600;
const RTM_NEWLINK = 16;
const IFLA = { IFNAME: 3, MASTER: 10, LINKINFO: 18, GROUP: 27, NET_NS_FD: 28 };
const IFLA_INFO = { KIND: 1, DATA: 2 };
const VETH_INFO_PEER = 1;
const IFF_UP = 1;

let seq = 1;
function attribute(type, value) {
  const b = Buffer.alloc((4 + value.length + 3) & ~3);
  b.writeUInt16LE(4 + value.length, 0);
  b.writeUInt16LE(type, 2);
  value.copy(b, 4);
  return b;
}
const u32 = (v) => Buffer.from(Uint32Array.of(v).buffer);
const text = (s) => Buffer.from(`${s}\0`);
function ifinfomsg(up) {
  const b = Buffer.alloc(16);
  if (up) {
    b.writeUInt32LE(IFF_UP, 8);
    b.writeUInt32LE(IFF_UP, 12);
  }
  return b;
}
/** The floor's RTM_NEWLINK for one veth: up, enslaved, in the group, its peer `eth0` placed in the namespace. */
function vethRequest(entry, bridgeIndex, nsFd) {
  const peer = attribute(VETH_INFO_PEER, Buffer.concat([ifinfomsg(false), attribute(IFLA.IFNAME, text(plan.PEER)), attribute(IFLA.NET_NS_FD, u32(nsFd))]));
  const body = Buffer.concat([
    ifinfomsg(true),
    attribute(IFLA.IFNAME, text(entry.veth)),
    attribute(IFLA.MASTER, u32(bridgeIndex)),
    attribute(IFLA.GROUP, u32(plan.GROUP)),
    attribute(IFLA.LINKINFO, Buffer.concat([attribute(IFLA_INFO.KIND, text('veth')), attribute(IFLA_INFO.DATA, peer)])),
  ]);
  const header = Buffer.alloc(16);
  header.writeUInt32LE(16 + body.length, 0);
  header.writeUInt16LE(RTM_NEWLINK, 4);
  header.writeUInt16LE(NLM_F_REQUEST_ACK | NLM_F_CREATE_EXCL, 6);
  header.writeUInt32LE(seq++, 8);
  return Buffer.concat([header, body]);
}

/** Send one datagram and read every answer (queued by the time sendmsg returns); throw on a refusal. */
function exchange(fd, parts) {
  native.socketSend(fd, parts);
  for (let got; (got = native.socketRecv(fd)) !== null; ) {
    const d = got.data;
    for (let at = 0; at < d.length; at += (d.readUInt32LE(at) + 3) & ~3) {
      if (d.readUInt16LE(at + 4) === NLMSG_ERROR && d.readInt32LE(at + 16) !== 0) throw new Error(`veth refused: errno ${-d.readInt32LE(at + 16)}`);
    }
  }
}

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
  'raw, one datagram': async (conn, bridgeIndex) => withNsFds(entries, (fds) => exchange(conn.transport.fd, entries.map((e, i) => vethRequest(e, bridgeIndex, fds[i])))),
  'raw, one per veth': async (conn, bridgeIndex) => {
    for (const e of entries) withNsFds([e], ([fd]) => exchange(conn.transport.fd, [vethRequest(e, bridgeIndex, fd)]));
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
    await new Promise((settled) => setTimeout(settled, 100 + 2 * N));
  }
}
const median = (values) => [...values].sort((a, b) => a - b)[values.length >> 1];
console.log(`${N} veths, medians of ${ROUNDS - UNTIMED} rounds: ms in all, ms inside socketSend, watcher wake-ups`);
for (const [way, r] of Object.entries(results)) console.log(`  ${way.padEnd(24)} ${median(r.ms).toFixed(2).padStart(6)}  ${median(r.sendMs).toFixed(2).padStart(6)}  ${median(r.wakeUps)}`);
