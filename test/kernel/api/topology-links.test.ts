import { afterAll, expect, it } from 'vitest';
import { apply, destroy, plan } from '../../../src/api/topology/apply.js';
import type { Topology } from '../../../src/api/topology/schema.js';
import { listNetns } from '../../../src/netns/netns.js';
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
});
