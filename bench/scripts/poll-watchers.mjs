#!/usr/bin/env node
// What finding a socket's poll watcher costs as connections add up (not a test): COUNT netlink
// sockets polled at once (unbound to any group, nothing sent), then `pollRef` on the first one
// registered 200,000 times, five rounds, microseconds per call. Every request refs and unrefs
// its socket's watcher, so this is paid twice per request by a program with one connection per
// namespace. Opens sockets in this process's namespace only; changes nothing.
//
//   npx tsc -p tsconfig.build.json
//   node bench/scripts/poll-watchers.mjs 500        (ENTRY=<other build>/dist/index.js to compare)
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const entry = process.env.ENTRY ?? join(root, 'dist', 'index.js');
const { native } = await import(join(dirname(entry), 'native', 'binding.js'));
const COUNT = Number(process.argv[2] ?? 500);
const CALLS = 200_000;

const fds = [];
for (let i = 0; i < COUNT; i++) {
  const fd = native.socketOpen(0, -1); // NETLINK_ROUTE
  native.socketBind(fd, 0);
  native.pollStart(fd, () => {});
  fds.push(fd);
}
const rounds = [];
for (let round = 0; round < 5; round++) {
  const t0 = performance.now();
  for (let i = 0; i < CALLS; i++) native.pollRef(fds[0], (i & 1) === 0);
  rounds.push(((performance.now() - t0) * 1000) / CALLS);
}
native.pollRef(fds[0], false);
for (const fd of fds) native.socketClose(fd);
console.log(`${COUNT} polled sockets: pollRef ${rounds.map((us) => us.toFixed(3)).join(' ')} µs per call (${entry})`);
