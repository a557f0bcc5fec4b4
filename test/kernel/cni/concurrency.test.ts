/**
 * Runtimes start plugins for many containers at once. Ten ADDs at the same moment, then ten
 * DELs, each its own process: every ADD gets a distinct address and its rules, the shared
 * bridge and table are created once, and afterwards nothing is left — no rule, chain, veth
 * or state file.
 */
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { describeKernel } from '../sandbox.js';
import { bridgeConf, destroyNode, ensureBundle, linkNames, makeNode, makePod, nftTable, ours, referencePlugins, warnIfNoReference, type TestNode } from './harness.js';

warnIfNoReference();

const COUNT = 10;

describeKernel('netns-ts-cni: concurrent ADD and DEL', () => {
  let t: TestNode;
  beforeAll(ensureBundle);
  afterAll(() => destroyNode(t));

  it.skipIf(!referencePlugins)(`${COUNT} ADDs at once, then ${COUNT} DELs at once, leave a clean node`, async () => {
    t = makeNode();
    const pods = Array.from({ length: COUNT }, () => makePod(t));
    const conf = (i: number) => bridgeConf(t, { runtimeConfig: { portMappings: [{ hostPort: 10_000 + i, containerPort: 80, protocol: 'tcp' }] } });
    const adds = await Promise.all(pods.map((pod, i) => ours(t.node, { command: 'ADD', containerId: `many-${i}`, netns: pod, ifname: 'eth0', conf: conf(i) })));
    for (const a of adds) expect(a.code, a.stdout + a.stderr).toBe(0);
    const addresses = adds.map((a) => a.json.ips[0].address);
    expect(new Set(addresses).size).toBe(COUNT);
    const table = nftTable(t);
    expect(table.match(/^\tchain cni-[0-9a-f]{16} \{/gm)).toHaveLength(COUNT);
    expect(table.match(/jump cni-/g)).toHaveLength(2 * COUNT);
    expect(linkNames(t.node).filter((n) => n === 'cni0')).toHaveLength(1);
    const dels = await Promise.all(pods.map((pod, i) => ours(t.node, { command: 'DEL', containerId: `many-${i}`, netns: pod, ifname: 'eth0', conf: conf(i) })));
    for (const d of dels) expect(d.code, d.stdout + d.stderr).toBe(0);
    const after = nftTable(t);
    expect(after).not.toContain('comment');
    expect(after).not.toMatch(/chain cni-/);
    expect(linkNames(t.node).filter((n) => n.startsWith('veth'))).toEqual([]);
    expect(readdirSync(join(t.dir, 'plugin', 'testnet'))).toEqual([]);
    expect(readdirSync(join(t.dir, 'plugin')).filter((f) => f.startsWith('lock'))).toEqual([]);
    const adds2 = adds.map((a) => Math.round(a.ms));
    const dels2 = dels.map((d) => Math.round(d.ms));
    console.log(`[netns-ts-cni] ${COUNT} concurrent ADDs: ${Math.max(...adds2)} ms until the last finished; ${COUNT} concurrent DELs: ${Math.max(...dels2)} ms`);
  });
});
