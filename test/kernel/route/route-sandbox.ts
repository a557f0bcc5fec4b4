/**
 * A throwaway named namespace per test file (inside the kernel-test sandbox), with `ip -n NS -j`
 * as the oracle and a netns-ts connection opened inside it.
 */
import { afterAll, beforeAll } from 'vitest';
import { connectInNetns } from '../../../src/netns/connect.js';
import { createNetns, deleteNetns } from '../../../src/netns/netns.js';
import type { Connection } from '../../../src/netlink/connection.js';
import { randomName, sh } from '../sandbox.js';

export interface TestNamespace {
  name: string;
  conn: Connection;
  /** `ip -n NAME ARGS…` (text output). */
  ip(...args: string[]): string;
  /** `ip -n NAME -j ARGS…`, parsed. */
  ipJson<T = any>(...args: string[]): T;
  /** ifindex of a link in the namespace. */
  ifindex(name: string): number;
}

/**
 * Waits until IPv6 has finished bringing `links` up in namespace `ns`. The kernel does that
 * asynchronously once a veth has carrier (linkwatch, up to a second later): the ff00::/8
 * multicast route and the fe80:: address and route appear then, and must not appear between
 * our dump and the `ip` run a test compares it with.
 */
export async function waitForIpv6(ns: string, links: readonly string[], timeoutMs = 5000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const multicast = JSON.parse(sh('ip', ['-n', ns, '-6', '-j', 'route', 'show', 'table', 'local', 'type', 'multicast']) || '[]') as { dev: string }[];
    const linkLocal = JSON.parse(sh('ip', ['-n', ns, '-6', '-j', 'addr', 'show', 'scope', 'link']) || '[]') as { ifname: string; addr_info: unknown[] }[];
    const ready = links.every((l) => multicast.some((r) => r.dev === l) && linkLocal.some((a) => a.ifname === l && a.addr_info.length > 0));
    if (ready) return;
    if (Date.now() > deadline) throw new Error(`IPv6 did not come up on ${links.join(', ')} in ${ns} within ${timeoutMs} ms`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

/** Creates a fresh namespace before the file's tests (setup commands run with `ip -n NAME`) and removes it after. */
export function useNamespace(setup: string[][] = []): TestNamespace {
  const ns = {} as TestNamespace;
  beforeAll(async () => {
    ns.name = randomName('ntsr');
    createNetns(ns.name);
    ns.ip = (...args) => sh('ip', ['-n', ns.name, ...args]);
    ns.ipJson = (...args) => JSON.parse(sh('ip', ['-n', ns.name, '-j', ...args]) || '[]');
    ns.ifindex = (link) => (ns.ipJson('link', 'show', 'dev', link) as { ifindex: number }[])[0]!.ifindex;
    ns.ip('link', 'set', 'lo', 'up');
    for (const args of setup) ns.ip(...args);
    const up = setup.filter((a) => a[0] === 'link' && a[1] === 'set' && a[3] === 'up').map((a) => a[2]!);
    if (up.length > 0) await waitForIpv6(ns.name, up);
    ns.conn = connectInNetns(ns.name);
  });
  afterAll(() => {
    ns.conn?.close();
    if (ns.name) deleteNetns(ns.name);
  });
  return ns;
}

/** A veth pair v0/v1, both up: the usual playground. */
export const VETH_UP: string[][] = [
  ['link', 'add', 'v0', 'type', 'veth', 'peer', 'name', 'v1'],
  ['link', 'set', 'v0', 'up'],
  ['link', 'set', 'v1', 'up'],
];
