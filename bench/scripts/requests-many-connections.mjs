#!/usr/bin/env node
// What a request through the typed clients costs as the number of open connections grows (not
// a test): K connections in this namespace (K = 1, 10, 100, 500), on each the four requests a
// topology setup makes inside a namespace (three at once, then one; here `lo` up each time,
// which the kernel answers at once), all connections at once as the bench's contender works,
// then every connection closed. Each K is timed ROUNDS times (default 15) after 30 rounds of
// warm-up; printed: µs per request (the median round's time over 4K), three times over.
// It separates the library's own cost per request at scale from the kernel's work a real
// setup interleaves with it.
//
//   npx tsc -p tsconfig.build.json
//   node bench/scripts/requests-many-connections.mjs   (as root: it re-runs itself in the bench's sandbox)
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { inSandbox, reexecInSandbox } from '../lib/sandbox.mjs';

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
if (!inSandbox()) process.exit(reexecInSandbox(fileURLToPath(import.meta.url), process.argv.slice(2), root));
const nt = await import(join(root, 'dist', 'index.js'));

const SIZES = [1, 10, 100, 500];
const ROUNDS = Number(process.env.ROUNDS ?? 15);
const WARM_UPS = 30;

async function round(k) {
  const connections = Array.from({ length: k }, () => nt.connectInNetns(undefined));
  const t0 = performance.now();
  await Promise.all(
    connections.map(async (connection) => {
      const links = new nt.Links(connection);
      await Promise.all([links.set('lo', { up: true }), links.set('lo', { up: true }), links.set('lo', { up: true })]);
      await links.set('lo', { up: true });
    }),
  );
  const ms = performance.now() - t0;
  for (const connection of connections) connection.close();
  return ms;
}

for (const k of SIZES) for (let i = 0; i < WARM_UPS; i++) await round(k);
for (let pass = 0; pass < 3; pass++) {
  const line = [];
  for (const k of SIZES) {
    const times = [];
    for (let i = 0; i < ROUNDS; i++) times.push(await round(k));
    times.sort((a, b) => a - b);
    line.push(`K = ${k}: ${((times[times.length >> 1] * 1000) / (4 * k)).toFixed(1)} µs`);
  }
  console.log(`per request, ${line.join(', ')}`);
}
