/**
 * macspoofchk, proven with traffic: a container keeps talking while it sends with its own
 * MAC; once it takes another, its frames are dropped on the bridge by its rule (whose counter
 * says so) and CHECK names the change; its own MAC back, traffic flows again. CHECK names a
 * rule deleted behind the plugin's back; GC and DEL take a container's rules away, and only
 * its own. The reference bridge plugin, in the same scenario, lets and drops the same traffic.
 */
import { afterAll, beforeAll, expect, it } from 'vitest';
import { describeKernel, sh } from '../sandbox.js';
import { bridgeConf, destroyNode, ensureBundle, httpGet, makeNode, makePod, nftTable, ours, reference, referencePlugins, startServer, warnIfNoReference, type TestNode } from './harness.js';

warnIfNoReference();

const bridgeTable = (t: TestNode): string => nftTable(t, 'bridge');

/** Packets the rule of container `ctr` has dropped, from its counter. */
function dropped(t: TestNode, ctr: string): number {
  const line = bridgeTable(t).split('\n').find((l) => l.includes(`ctr=${ctr} `));
  const packets = /counter packets (\d+)/.exec(line ?? '')?.[1];
  if (packets === undefined) throw new Error(`no MAC check rule for ${ctr}:\n${bridgeTable(t)}`);
  return Number(packets);
}

describeKernel('netns-ts-cni: macspoofchk', () => {
  let t: TestNode;
  let podA: string;
  let podB: string;
  const stops: Array<{ stop(): void }> = [];
  const conf = (extra: Record<string, unknown> = {}) => bridgeConf(t, { macspoofchk: true, ...extra });
  const results: Record<string, any> = {};

  beforeAll(async () => {
    await ensureBundle();
    t = makeNode('mac');
    podA = makePod(t);
    podB = makePod(t);
  });
  afterAll(() => {
    for (const s of stops) s.stop();
    destroyNode(t);
  });

  it.skipIf(!referencePlugins)("ADD adds one rule per container in the bridge table, with the container's MAC", async () => {
    for (const [ctr, pod] of [['mac-a', podA], ['mac-b', podB]] as const) {
      const r = await ours(t.node, { command: 'ADD', containerId: ctr, netns: pod, ifname: 'eth0', conf: conf() });
      expect(r.code, r.stdout + r.stderr).toBe(0);
      results[ctr] = r.json;
    }
    const table = bridgeTable(t);
    expect(table).toContain('type filter hook prerouting priority dstnat; policy accept;');
    for (const ctr of ['mac-a', 'mac-b']) {
      const [, hostVeth, container] = results[ctr].interfaces;
      expect(table).toContain(`iifname "${hostVeth.name}" ether saddr != ${container.mac} counter packets 0 bytes 0 drop comment "netns-ts-cni `);
    }
  });

  it.skipIf(!referencePlugins)('drops frames with another source MAC, and only those', async () => {
    stops.push(await startServer(podB, 80, 'B'));
    expect(await httpGet(podA, '10.244.1.3', 80)).toBe('10.244.1.2 B');
    expect(dropped(t, 'mac-a')).toBe(0);
    const own = results['mac-a'].interfaces[2].mac as string;
    sh('ip', ['-n', podA, 'link', 'set', 'eth0', 'address', '0a:58:0a:f4:01:99']);
    sh('ip', ['-n', podB, 'neigh', 'flush', 'dev', 'eth0']);
    expect(await httpGet(podA, '10.244.1.3', 80)).toMatch(/^ERROR/);
    expect(dropped(t, 'mac-a')).toBeGreaterThan(0);
    // CHECK sees the change (the interface's MAC, and the rule still names the old one).
    const check = await ours(t.node, { command: 'CHECK', containerId: 'mac-a', netns: podA, ifname: 'eth0', conf: conf({ prevResult: results['mac-a'] }) });
    expect(check.json.code).toBe(100);
    expect(check.json.msg).toContain(`interface eth0 has MAC 0a:58:0a:f4:01:99, prevResult says ${own}`);
    sh('ip', ['-n', podA, 'link', 'set', 'eth0', 'address', own]);
    sh('ip', ['-n', podB, 'neigh', 'flush', 'dev', 'eth0']);
    expect(await httpGet(podA, '10.244.1.3', 80)).toBe('10.244.1.2 B');
    const healthy = await ours(t.node, { command: 'CHECK', containerId: 'mac-a', netns: podA, ifname: 'eth0', conf: conf({ prevResult: results['mac-a'] }) });
    expect(healthy.code, healthy.stdout).toBe(0);
  });

  it.skipIf(!referencePlugins)('CHECK names a missing MAC check rule', async () => {
    const handle = /ctr=mac-b if=eth0" # handle (\d+)/.exec(sh('ip', ['netns', 'exec', t.node, 'nft', '-a', 'list', 'chain', 'bridge', 'netns-ts-cni', 'prerouting']))?.[1];
    expect(handle).toBeDefined();
    sh('ip', ['netns', 'exec', t.node, 'nft', 'delete', 'rule', 'bridge', 'netns-ts-cni', 'prerouting', 'handle', handle!]);
    const check = await ours(t.node, { command: 'CHECK', containerId: 'mac-b', netns: podB, ifname: 'eth0', conf: conf({ prevResult: results['mac-b'] }) });
    expect(check.json.code).toBe(100);
    expect(check.json.details).toContain('rule missing in chain bridge prerouting: [ meta load iifname => reg 1 ]');
  });

  it.skipIf(!referencePlugins)("GC and DEL take a container's rules away, and only its own", async () => {
    expect(bridgeTable(t)).toContain('ctr=mac-a ');
    const gc = await ours(t.node, { command: 'GC', conf: conf({ cniVersion: '1.1.0', 'cni.dev/valid-attachments': [{ containerID: 'mac-b', ifname: 'eth0' }] }) });
    expect(gc.code, gc.stdout).toBe(0);
    expect(bridgeTable(t)).not.toContain('ctr=mac-a');
    expect(nftTable(t)).not.toContain('ctr=mac-a');
    expect(nftTable(t)).toContain('ctr=mac-b '); // B keeps its masquerade rule
    const del = await ours(t.node, { command: 'DEL', containerId: 'mac-b', netns: podB, ifname: 'eth0', conf: conf() });
    expect(del.code, del.stdout).toBe(0);
    expect(nftTable(t)).not.toContain('comment');
    expect(bridgeTable(t)).toContain('chain prerouting');
    expect(bridgeTable(t)).not.toContain('comment');
  });
});

describeKernel('the reference bridge plugin with macspoofchk (the oracle)', () => {
  let t: TestNode;
  beforeAll(() => {
    t = makeNode('mref');
  });
  afterAll(() => destroyNode(t));

  it.skipIf(!referencePlugins)('lets the container talk with its own MAC and drops it with another, as netns-ts-cni does', async () => {
    const [podA, podB] = [makePod(t), makePod(t)];
    const conf = bridgeConf(t, { type: 'bridge', macspoofchk: true });
    for (const [ctr, pod] of [['ref-a', podA], ['ref-b', podB]] as const) {
      const r = await reference(t.node, 'bridge', { command: 'ADD', containerId: ctr, netns: pod, ifname: 'eth0', conf });
      expect(r.code, r.stdout + r.stderr).toBe(0);
    }
    const server = await startServer(podB, 80, 'B');
    try {
      const seen = [await httpGet(podA, '10.244.1.3', 80)];
      sh('ip', ['-n', podA, 'link', 'set', 'eth0', 'address', '0a:58:0a:f4:01:99']);
      sh('ip', ['-n', podB, 'neigh', 'flush', 'dev', 'eth0']);
      seen.push(await httpGet(podA, '10.244.1.3', 80));
      expect(seen[0]).toBe('10.244.1.2 B');
      expect(seen[1]).toMatch(/^ERROR timeout/);
    } finally {
      server.stop();
    }
  });
});
