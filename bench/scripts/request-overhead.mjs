#!/usr/bin/env node
// What one request costs, beside the C floor, in one run (not a test): N requests one after
// the other, each awaited before the next (RTM_NEWLINK setting lo up by ifindex, which the
// kernel answers at once). Interleaved, medians of REPS (default 7), microseconds per request:
//
// - C floor: bench/floor `request-loop N` (libmnl, blocking socket), its own time;
// - netns-ts Connection.request: a message encoded once, sent and awaited N times (the engine:
//   sequence numbers, pending table, timeout, ack matching);
// - netns-ts Links.set(1, { up: true }): the typed client (validation, encoding, the engine);
// - the same with N requests in flight at once (Promise.all; the window keeps 64 in flight).
//
//   npx tsc -p tsconfig.build.json; make -C bench/floor
//   unshare --net --mount --propagation private -- sh -c 'mount -t tmpfs netns-ts-run /run && \
//     mount -t sysfs netns-ts-sys /sys && ip link set lo up && NETNS_TS_SANDBOX=1 node bench/scripts/request-overhead.mjs'
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

if (process.env.NETNS_TS_SANDBOX !== '1' || !/ \/run .* - tmpfs netns-ts-run /.test(readFileSync('/proc/self/mountinfo', 'utf8'))) {
  console.error('request-overhead: run me inside the sandbox (see the comment at the top)');
  process.exit(1);
}
const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const nt = await import(process.env.NETNS_TS_BENCH_ENTRY ?? join(root, 'dist', 'index.js'));
const N = Number(process.env.N ?? 20_000);
const REPS = Number(process.env.REPS ?? 7);
const floor = join(root, 'bench', 'floor', 'floor');

// uapi: <linux/rtnetlink.h>, <linux/if.h>
const RTM_NEWLINK = 16;
const IFF_UP = 1;
const LO_IFINDEX = 1;
/** struct ifinfomsg { family, pad, type, index, flags, change } for lo, up. */
function setLoUp() {
  const payload = new Uint8Array(16);
  const view = new DataView(payload.buffer);
  view.setInt32(4, LO_IFINDEX, true);
  view.setUint32(8, IFF_UP, true);
  view.setUint32(12, IFF_UP, true);
  return { type: RTM_NEWLINK, typeName: 'RTM_NEWLINK', payload };
}

const conn = nt.connectInNetns(undefined);
const links = new nt.Links(conn);
const message = setLoUp();
const perRequest = async (run) => {
  const t0 = performance.now();
  await run();
  return ((performance.now() - t0) * 1000) / N;
};
const contenders = {
  'C floor (libmnl)': async () => (JSON.parse(execFileSync(floor, ['request-loop', String(N)], { encoding: 'utf8' })).ms * 1000) / N,
  'netns-ts Connection.request': () => perRequest(async () => { for (let i = 0; i < N; i++) await conn.request(message); }),
  'netns-ts Links.set': () => perRequest(async () => { for (let i = 0; i < N; i++) await links.set(LO_IFINDEX, { up: true }); }),
  'netns-ts Links.set, all in flight': () => perRequest(() => Promise.all(Array.from({ length: N }, () => links.set(LO_IFINDEX, { up: true })))),
};
const samples = Object.fromEntries(Object.keys(contenders).map((k) => [k, []]));
// Two rounds of warm-up (JIT, buffers), then REPS timed, in a different order each round.
for (let rep = 0; rep < REPS + 2; rep++) {
  const names = Object.keys(contenders);
  const order = names.map((_, i) => names[(i + rep) % names.length]);
  for (const name of order) {
    const us = await contenders[name]();
    if (rep >= 2) samples[name].push(us);
  }
}
conn.close();
const median = (xs) => [...xs].sort((a, b) => a - b)[xs.length >> 1];
const c = median(samples['C floor (libmnl)']);
console.log(`${N} requests one after the other (lo up), µs per request, medians of ${REPS}:`);
for (const [name, xs] of Object.entries(samples)) {
  const m = median(xs);
  console.log(`  ${name.padEnd(36)} ${m.toFixed(1).padStart(6)} µs  (${(m / c).toFixed(1)}x the C floor)`);
}
