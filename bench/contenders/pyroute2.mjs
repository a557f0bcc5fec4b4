/**
 * Contender "pyroute2": Debian's python3-pyroute2, run by Debian's /usr/bin/python3 (a
 * Python from elsewhere on PATH may not see it). pyroute2_bench.py does the work and times
 * itself after its imports; namespaces are used in setns mode (see that file).
 */
import { spawnSync } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { runJson } from '../lib/proc.mjs';

export const name = 'pyroute2';
export const label = 'pyroute2 (setns mode)';
export const description = "Debian's python3-pyroute2: IPRoute sockets opened inside namespaces with pushns/popns, NFTables transactions";

export const PYTHON = '/usr/bin/python3';
const script = join(dirname(fileURLToPath(import.meta.url)), 'pyroute2_bench.py');

export async function available() {
  const r = spawnSync(PYTHON, ['-c', 'import pyroute2, importlib.metadata as m; print(m.version("pyroute2"))'], { encoding: 'utf8' });
  if (r.status !== 0) return { ok: false, reason: `${PYTHON} cannot import pyroute2 (apt-get install python3-pyroute2)` };
  return { ok: true, version: r.stdout.trim() };
}

const py = (...args) => runJson(PYTHON, [script, ...args.map(String)]);

export const workloads = {
  topology: {
    setup: ({ n }) => py('topology-setup', n),
    teardown: ({ n }) => py('topology-teardown', n),
  },
  dumps: {
    links: ({ netns }) => py('dump', 'links', netns),
    addresses: ({ netns }) => py('dump', 'addresses', netns),
    routes: ({ netns }) => py('dump', 'routes', netns),
    neighbours: ({ netns }) => py('dump', 'neighbours', netns),
  },
  nft: {
    load: ({ n }) => py('nft-load', n),
    list: () => py('nft-list'),
  },
};

