#!/usr/bin/env node
/**
 * Child of the "netlink-npm" contender: runs inside the dump namespace (started with
 * nsenter, since the package has no way to open a socket in another namespace) and prints
 * {"ms", "count"} for one dump. The clock starts after the package is loaded.
 * Usage: netlink-npm-dump.mjs links|addresses|routes|neighbours
 */
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);
const { createRtNetlink } = require('netlink');

const AF_INET = 2;
const DUMPS = {
  links: (s) => s.getLinks(),
  addresses: (s) => s.getAddresses(),
  routes: (s) => s.getRoutes({ family: AF_INET }),
  neighbours: (s) => s.getNeighbors(),
};

const kind = process.argv[2];
const fetch = DUMPS[kind];
if (!fetch) {
  console.error(`unknown dump ${kind}`);
  process.exit(2);
}
const t0 = performance.now();
const socket = createRtNetlink();
const objects = await fetch(socket);
socket.socket.close();
const ms = performance.now() - t0;
console.log(JSON.stringify({ ms, count: objects.length }));
