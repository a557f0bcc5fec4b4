#!/usr/bin/env node
// Where the "inside" phase of a topology setup goes, thread by thread (not a test): N
// namespaces with their veths are built, then the work inside each namespace (lo and eth0
// up, the address, the default route) is timed one of three ways, MODE:
//
// - lib:   the typed clients, as the bench's contender does it (all namespaces at once);
// - raw:   the floor's exact requests, one datagram of four messages per namespace, sent
//          straight through the binding (what a Node process pays for the same syscalls);
// - split: the same four requests as four datagrams, each acked before the next.
//
// Per setup: wall time, the JS thread's run time and run-queue wait (/proc/self/task/*/schedstat:
// runnable but not running), the run time of the process's other threads (V8's compiler and
// collector), the time inside the native sends, and the process's user and system CPU. The
// kernel destroys the namespaces in a work queue: each setup waits PAUSE_MS (default
// 1000 + 20 N) after the teardown before the next.
//
//   npx tsc -p tsconfig.build.json
//   node bench/scripts/inside-threads.mjs 500 lib   (as root: it re-runs itself in the bench's sandbox)
//   node --single-threaded bench/scripts/inside-threads.mjs 500 raw   (V8's threads out of the picture)
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { inSandbox, reexecInSandbox } from '../lib/sandbox.mjs';

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
if (!inSandbox()) process.exit(reexecInSandbox(fileURLToPath(import.meta.url), process.argv.slice(2), root));
const nt = await import(join(root, 'dist', 'index.js'));
const { native } = await import(join(root, 'dist', 'native', 'binding.js'));
const plan = await import(join(root, 'bench', 'lib', 'plan.mjs'));
const { exchange, insideRequests } = await import(join(root, 'bench', 'lib', 'floor-requests.mjs'));
const N = Number(process.argv[2] ?? 100);
const MODE = process.argv[3] ?? 'lib';
const SETUPS = Number(process.env.SETUPS ?? 3);
const PAUSE_MS = Number(process.env.PAUSE_MS ?? 1000 + 20 * N);
if (!['lib', 'raw', 'split'].includes(MODE)) throw new Error(`MODE must be lib, raw or split, not ${MODE}`);

// Time inside the native sends (the kernel does the request's work inside sendmsg).
let sendMs = 0;
const send = native.socketSend;
native.socketSend = (fd, parts) => {
  const t = performance.now();
  try {
    return send(fd, parts);
  } finally {
    sendMs += performance.now() - t;
  }
};

/** Nanoseconds on CPU and waiting on a run queue: the JS thread's, and the other threads' on-CPU sum. */
function schedstat() {
  const read = (tid) => readFileSync(`/proc/self/task/${tid}/schedstat`, 'utf8').split(' ').map(Number);
  const [run, wait] = read(process.pid);
  let others = 0;
  for (const tid of readdirSync('/proc/self/task')) {
    if (Number(tid) === process.pid) continue;
    try {
      others += read(tid)[0];
    } catch {
      // the thread ended meanwhile
    }
  }
  return { run, wait, others };
}

async function inside(entries, insides) {
  if (MODE === 'lib') {
    await Promise.all(
      entries.map(async (e, i) => {
        const conn = insides[i];
        const links = new nt.Links(conn);
        await Promise.all([links.set('lo', { up: true }), links.set(plan.PEER, { up: true }), new nt.Addresses(conn).add({ dev: plan.PEER, address: `${e.address}/${plan.PREFIXLEN}` })]);
        await new nt.Routes(conn).add({ to: 'default', via: plan.BRIDGE_ADDR });
        conn.close();
      }),
    );
    return;
  }
  for (let i = 0; i < entries.length; i++) {
    const fd = insides[i].transport.fd;
    const requests = insideRequests(entries[i]);
    if (MODE === 'raw') exchange(native, fd, requests, 'inside');
    else for (const r of requests) exchange(native, fd, [r], 'inside');
    insides[i].close();
  }
}

async function setup() {
  const host = nt.connectInNetns(undefined);
  const links = new nt.Links(host);
  try {
    await links.createBridge({ name: plan.BRIDGE, group: plan.GROUP, up: true });
    await new nt.Addresses(host).add({ dev: plan.BRIDGE, address: `${plan.BRIDGE_ADDR}/${plan.PREFIXLEN}` });
    const entries = plan.topologyEntries(N);
    const insides = entries.map((e) => nt.connectInNetns(e.netns, { create: true }));
    await Promise.all(entries.map((e) => links.createVeth({ name: e.veth, group: plan.GROUP, master: plan.BRIDGE, up: true, peer: { name: plan.PEER, netns: e.netns } })));
    sendMs = 0;
    const cpu = process.cpuUsage();
    const before = schedstat();
    const t0 = performance.now();
    await inside(entries, insides);
    const total = performance.now() - t0;
    const after = schedstat();
    const used = process.cpuUsage(cpu);
    const sends = sendMs;
    for (const e of entries) nt.deleteNetns(e.netns);
    await links.deleteGroup(plan.GROUP);
    return {
      total,
      jsRun: (after.run - before.run) / 1e6,
      jsWait: (after.wait - before.wait) / 1e6,
      othersRun: (after.others - before.others) / 1e6,
      sends,
      user: used.user / 1000,
      system: used.system / 1000,
    };
  } finally {
    host.close();
  }
}

console.log(`inside phase, N = ${N}, ${MODE}, ms per setup:`);
for (let i = 0; i < SETUPS; i++) {
  const r = await setup();
  console.log(`  ${Object.entries(r).map(([k, v]) => `${k} ${v.toFixed(1)}`).join(', ')}`);
  await new Promise((settled) => setTimeout(settled, PAUSE_MS));
}
