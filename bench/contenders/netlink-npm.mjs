/**
 * Contender "netlink-npm": the older `netlink` package from npm (pinned in bench/package.json,
 * installed under bench/node_modules only). It has rtnetlink dumps with typed objects but no
 * network namespace support and no nf_tables, so it takes part in the dumps only: its child
 * process is started inside the namespace with nsenter and times the dump itself.
 */
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { NETNS_DIR } from '../lib/sandbox.mjs';
import { runJson } from '../lib/proc.mjs';

export const name = 'netlink-npm';
export const label = 'netlink (npm)';
export const description = 'the `netlink` npm package: rtnetlink dumps to typed objects';

const here = dirname(fileURLToPath(import.meta.url));

export async function available() {
  try {
    const require = createRequire(import.meta.url);
    const version = require('netlink/package.json').version;
    require('netlink');
    return { ok: true, version };
  } catch (err) {
    return { ok: false, reason: `the netlink package does not load (run npm install in bench/): ${String(err.message).split('\n')[0]}` };
  }
}

function dump(kind, netns) {
  return runJson('nsenter', [`--net=${join(NETNS_DIR, netns)}`, process.execPath, join(here, 'netlink-npm-dump.mjs'), kind]);
}

export const workloads = {
  dumps: {
    links: ({ netns }) => dump('links', netns),
    addresses: ({ netns }) => dump('addresses', netns),
    routes: ({ netns }) => dump('routes', netns),
    neighbours: ({ netns }) => dump('neighbours', netns),
  },
};

export const unsupported = {
  topology: 'no network namespace support (cannot open a socket in a namespace) and no nf_tables',
  nft: 'no nf_tables support',
};
