#!/usr/bin/env node
// What an idle pause does to one request's cost (not a test): the same request (RTM_NEWLINK
// setting lo up, by ifindex, which the kernel answers at once), each timed on its own, sent
// either straight after the one before ("hot") or after PAUSE_MS of idle (default 100, the
// bench's settling pause between warm setups), medians of REPS (default 200) after a warm-up:
//
// - C floor: bench/floor `request-idle REPS PAUSE` (libmnl, a blocking socket), its own clock;
// - raw from Node: the floor's bytes for it (bench/lib/floor-requests.mjs) sent through the
//   binding, the ack read right after (no library logic);
// - netns-ts Connection.request: the message encoded once, sent and awaited (the engine);
// - netns-ts Links.set(1, { up: true }) and Links.set('lo', { up: true }): the typed client.
//
// Why: a warm setup of one namespace is timed after such a pause (bench/lib/settle.mjs), and
// on this VM code that has sat idle runs many times slower than hot — for the floor's few
// hundred instructions per request and, more, for everything a library runs besides. The
// printed ratios say what that does to a library's cost against the floor's: the N = 1 setup
// (about a dozen such requests, each of a different kind) pays it on every line it runs once.
//
//   npx tsc -p tsconfig.build.json; make -C bench/floor
//   node bench/scripts/idle-cost.mjs   (as root: it re-runs itself in the bench's sandbox)
import { execFileSync } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { inSandbox, reexecInSandbox } from '../lib/sandbox.mjs';

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
if (!inSandbox()) process.exit(reexecInSandbox(fileURLToPath(import.meta.url), process.argv.slice(2), root));
const nt = await import(join(root, 'dist', 'index.js'));
const { native } = await import(join(root, 'dist', 'native', 'binding.js'));
const REPS = Number(process.env.REPS ?? 200);
const PAUSE_MS = Number(process.env.PAUSE_MS ?? 100);
const WARM_UPS = 3000;
const floor = join(root, 'bench', 'floor', 'floor');

const { exchange, linkUpBody, linkUpRequest } = await import(join(root, 'bench', 'lib', 'floor-requests.mjs'));
// <linux/rtnetlink.h>
const RTM_NEWLINK = 16;
const LO_IFINDEX = 1;

/** The raw request: the floor's bytes (bench/lib/floor-requests.mjs) sent and answered through the binding. */
const rawFd = native.socketOpen(0, -1);
native.socketBind(rawFd, 0);
const rawRequest = () => exchange(native, rawFd, [linkUpRequest(LO_IFINDEX)], 'lo up');

const conn = nt.connectInNetns(undefined);
const links = new nt.Links(conn);
const message = { type: RTM_NEWLINK, typeName: 'RTM_NEWLINK', payload: linkUpBody(LO_IFINDEX) };
const inNode = {
  'raw from Node': async () => rawRequest(),
  'Connection.request': () => conn.request(message),
  'Links.set(1)': () => links.set(LO_IFINDEX, { up: true }),
  "Links.set('lo')": () => links.set('lo', { up: true }),
};

const median = (values) => [...values].sort((a, b) => a - b)[values.length >> 1];
/** The C floor's per-request microseconds after a first tenth left out (its warm-up). */
function floorTimes(pauseMs) {
  const count = pauseMs ? REPS : REPS + WARM_UPS;
  const { us } = JSON.parse(execFileSync(floor, ['request-idle', String(count), String(pauseMs)], { encoding: 'utf8' }));
  return us.slice(pauseMs ? Math.ceil(REPS / 10) : WARM_UPS);
}

for (let i = 0; i < WARM_UPS; i++) for (const run of Object.values(inNode)) await run();
const rows = { 'C floor': [floorTimes(0), floorTimes(PAUSE_MS)] };
for (const [name] of Object.entries(inNode)) rows[name] = [[], []];
for (const [column, pauseMs] of [[0, 0], [1, PAUSE_MS]]) {
  // In turns, so each kind of request sees the same conditions.
  for (let r = 0; r < REPS; r++) {
    for (const [name, run] of Object.entries(inNode)) {
      if (pauseMs) await new Promise((wake) => setTimeout(wake, pauseMs));
      const t0 = performance.now();
      await run();
      rows[name][column].push((performance.now() - t0) * 1000);
    }
  }
}
conn.close();
native.socketClose(rawFd);

const [hotFloor, idleFloor] = rows['C floor'].map(median);
console.log(`one request (lo up), medians of ${REPS}, µs: hot, and after ${PAUSE_MS} ms idle`);
for (const [name, [hot, idle]] of Object.entries(rows)) {
  const h = median(hot);
  const i = median(idle);
  console.log(
    `  ${name.padEnd(20)} hot ${h.toFixed(1).padStart(6)} (${(h / hotFloor).toFixed(1)}× floor)   idle ${i.toFixed(1).padStart(6)} (${(i / idleFloor).toFixed(1)}× floor, +${(i - idleFloor).toFixed(0)} µs)   idle/hot ${(i / h).toFixed(0)}×`,
  );
}
