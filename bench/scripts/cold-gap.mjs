#!/usr/bin/env node
// What a pause does to the cost of code that ran before it (not a test; no privileges, no
// network state): the library encoding one bridge-creation request (the first request of the
// bench's topology setup) and a hand-written function writing the same bytes with a DataView,
// each run hot in a loop first, then timed once after a gap, REPS times per gap (default 15):
// the gap either sleeping (the event loop idle) or spinning (this thread busy reading the
// clock, touching nearly no memory).
//
// On the VM this was written on, both kinds of gap of 100 ms made the same calls 7–10× slower
// than right after the loop: time, not idleness and not memory touched in between, is what
// takes the code out of the CPU's caches (another tenant of the host, or this vCPU moved to
// another core). The bench pauses 100 ms or more between setups (settle.mjs), so a warm setup
// runs its code this cold; see setup-footprint.mjs for how much code that is.
//
//   npx tsc -p tsconfig.build.json
//   node bench/scripts/cold-gap.mjs
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const { createLinkRequest, toOutgoing } = await import(join(root, 'dist', 'route', 'link-requests.js'));
const { bridgeData } = await import(join(root, 'dist', 'route', 'link-options.js'));
const REPS = Number(process.env.REPS ?? 15);
const GAPS_MS = [0, 1, 10, 30, 100, 300];

const options = { name: 'bbr0', group: 77, up: true };
const library = () => toOutgoing(createLinkRequest(options.name, 'bridge', bridgeData(options), { group: options.group, up: options.up })).payload;

// uapi: <linux/if_link.h>, <linux/if.h>; the request's body (ifinfomsg and attributes) as the library writes it.
const IFLA_IFNAME = 3;
const IFLA_LINKINFO = 18;
const IFLA_GROUP = 27;
const IFLA_INFO_KIND = 1;
const IFLA_INFO_DATA = 2;
const IFF_UP = 1;
const encoder = new TextEncoder();
function byHand() {
  const bytes = new Uint8Array(64);
  const view = new DataView(bytes.buffer);
  view.setUint32(8, IFF_UP, true); // ifi_flags
  view.setUint32(12, IFF_UP, true); // ifi_change
  let at = 16;
  const header = (type, length) => {
    view.setUint16(at, length, true);
    view.setUint16(at + 2, type, true);
    at += 4;
  };
  header(IFLA_IFNAME, 4 + options.name.length + 1);
  at += (encoder.encodeInto(options.name, bytes.subarray(at)).written + 1 + 3) & ~3;
  header(IFLA_GROUP, 8);
  view.setUint32(at, options.group, true);
  at += 4;
  // As iproute2 sends it: IFLA_LINKINFO without NLA_F_NESTED, the kind without its NUL, the
  // bridge's (empty) IFLA_INFO_DATA.
  header(IFLA_LINKINFO, 4 + 12 + 4);
  header(IFLA_INFO_KIND, 4 + 6);
  at += (encoder.encodeInto('bridge', bytes.subarray(at)).written + 3) & ~3;
  header(IFLA_INFO_DATA, 4);
  return bytes.subarray(0, at);
}

const same = Buffer.compare(Buffer.from(library()), Buffer.from(byHand())) === 0;
if (!same) throw new Error(`the two writers differ: ${Buffer.from(library()).toString('hex')} against ${Buffer.from(byHand()).toString('hex')}`);
console.log(`one bridge-creation request's body (${library().length} bytes, the same from both writers), µs, medians of ${REPS}`);
const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));
const spin = (ms) => {
  const end = performance.now() + ms;
  while (performance.now() < end);
};
const median = (values) => [...values].sort((a, b) => a - b)[values.length >> 1];

for (const [label, write] of [['library', library], ['by hand', byHand]]) {
  for (let i = 0; i < 50_000; i++) write();
  const t0 = performance.now();
  for (let i = 0; i < 50_000; i++) write();
  const hot = ((performance.now() - t0) * 1000) / 50_000;
  const row = [];
  for (const gap of GAPS_MS) {
    for (const [kind, wait] of [['sleep', sleep], ['spin', async (ms) => spin(ms)]]) {
      const times = [];
      for (let r = 0; r < REPS; r++) {
        await wait(gap);
        const start = performance.now();
        write();
        times.push((performance.now() - start) * 1000);
      }
      row.push(`${kind} ${gap} ms ${median(times).toFixed(1)}`);
    }
  }
  console.log(`  ${label.padEnd(8)} in a loop ${hot.toFixed(2)}; after ${row.join(', ')}`);
}
