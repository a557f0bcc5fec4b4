import { afterAll, expect, it } from 'vitest';
import { apply, destroy, plan } from '../../../src/api/topology/apply.js';
import type { Topology } from '../../../src/api/topology/schema.js';
import { writeFileSync } from 'node:fs';
import { deleteNetns, isStaleNetns, listNetns, NETNS_RUN_DIR } from '../../../src/netns/netns.js';
import { describeKernel, guardThreadNetns, randomName, sh } from '../sandbox.js';
import { ping } from './traffic.js';

// The tutorial's first part: two namespaces joined by one veth pair (no bridge, no host).
const s = randomName('').slice(1, 5);
const topology: Topology = {
  name: `pair${s}`,
  namespaces: [{ name: `red${s}` }, { name: `blue${s}` }],
  links: [{ a: { namespace: `red${s}`, name: 'veth-red', addresses: ['192.168.15.1/24'] }, b: { namespace: `blue${s}`, name: 'veth-blue', addresses: ['192.168.15.2/24'] } }],
};

describeKernel('a veth pair between two namespaces', () => {
  guardThreadNetns();
  afterAll(() => destroy(topology.name).catch(() => undefined));

  it('connects them: ping works both ways, ARP learned, and destroy removes both namespaces', async () => {
    await apply(topology);
    expect(ping(`red${s}`, '192.168.15.2')).toBe(true);
    expect(ping(`blue${s}`, '192.168.15.1')).toBe(true);
    // The tutorial's `arp`: blue has red's address in its neighbour table now.
    const neigh = JSON.parse(sh('ip', ['-n', `blue${s}`, '-j', 'neigh', 'show'])) as Array<{ dst: string }>;
    expect(neigh.map((n) => n.dst)).toContain('192.168.15.1');
    expect((await plan(topology)).steps).toEqual([]);
    await destroy(topology.name);
    expect(listNetns().filter((n) => n.endsWith(s))).toEqual([]);
  }, 30_000);

  it('an apply killed between creating a namespace\'s file and mounting it is finished by the next apply', async () => {
    await apply(topology);
    // What a kill at that point leaves: the journal names red, /run/netns/red is an empty file.
    deleteNetns(`red${s}`);
    writeFileSync(`${NETNS_RUN_DIR}/red${s}`, '');
    expect(isStaleNetns(`red${s}`)).toBe(true);
    expect(isStaleNetns(`blue${s}`)).toBe(false);
    expect((await plan(topology)).steps).toContain(`ip netns del red${s}; ip netns add red${s}`);
    await apply(topology);
    expect(isStaleNetns(`red${s}`)).toBe(false);
    expect(ping(`red${s}`, '192.168.15.2')).toBe(true);
    expect((await plan(topology)).steps).toEqual([]);
    await destroy(topology.name);
    expect(listNetns().filter((n) => n.endsWith(s))).toEqual([]);
  }, 30_000);

  it('an empty file under a name of the topology that is not its own is a conflict, left alone', async () => {
    writeFileSync(`${NETNS_RUN_DIR}/red${s}`, '');
    try {
      const err = await apply(topology).catch((e: unknown) => e);
      expect((err as Error).name).toBe('TopologyConflictError');
      expect((err as Error).message).toContain(`red${s}`);
      expect(isStaleNetns(`red${s}`)).toBe(true);
      expect(listNetns()).not.toContain(`blue${s}`);
    } finally {
      deleteNetns(`red${s}`);
    }
  }, 30_000);
});
