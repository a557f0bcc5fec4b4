/**
 * netns-ts-cni driven as a runtime drives it (environment + stdin, one process per command),
 * proven with real traffic: pod to pod, node to pod, egress masquerade, port mappings from
 * another host, from the node itself (its address and 127.0.0.1) and hairpin; then CHECK,
 * and DEL leaving nothing behind.
 */
import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { describeKernel, sh } from '../sandbox.js';
import { addressOf, bridgeConf, destroyNode, ensureBundle, httpGet, linkNames, makeNode, makePod, nftTable, ours, referencePlugins, startServer, warnIfNoReference, type TestNode } from './harness.js';

warnIfNoReference();

describeKernel('netns-ts-cni: a bridge network with masquerade and port mappings', () => {
  let t: TestNode;
  let podA: string;
  let podB: string;
  const stops: Array<{ stop(): void }> = [];
  const mappings = { portMappings: [{ hostPort: 8080, containerPort: 80, protocol: 'tcp' }] };
  const resultA: { value?: any } = {};

  beforeAll(async () => {
    await ensureBundle();
    t = makeNode();
    podA = makePod(t);
    podB = makePod(t);
  });
  afterAll(() => {
    for (const s of stops) s.stop();
    destroyNode(t);
  });

  it.skipIf(!referencePlugins)('ADD gives each container a veth on the bridge, an address, a default route and its rules', async () => {
    const a = await ours(t.node, { command: 'ADD', containerId: 'ctr-a', netns: podA, ifname: 'eth0', conf: bridgeConf(t, { runtimeConfig: mappings }) });
    expect(a.code, a.stdout + a.stderr).toBe(0);
    resultA.value = a.json;
    expect(a.json.cniVersion).toBe('1.0.0');
    expect(a.json.interfaces.map((i: any) => i.name)).toEqual(['cni0', expect.stringMatching(/^veth[0-9a-f]{11}$/), 'eth0']);
    expect(a.json.interfaces[2].sandbox).toBe(`/run/netns/${podA}`);
    expect(a.json.interfaces[2].mac).toMatch(/^([0-9a-f]{2}:){5}[0-9a-f]{2}$/);
    expect(a.json.ips).toEqual([{ address: '10.244.1.2/24', gateway: '10.244.1.1', interface: 2 }]);
    expect(a.json.routes).toEqual([{ dst: '0.0.0.0/0', gw: '10.244.1.1' }]);
    const b = await ours(t.node, { command: 'ADD', containerId: 'ctr-b', netns: podB, ifname: 'eth0', conf: bridgeConf(t) });
    expect(b.code, b.stdout).toBe(0);
    expect(addressOf(podA)).toBe('10.244.1.2');
    expect(addressOf(podB)).toBe('10.244.1.3');
    expect(sh('ip', ['-n', podA, 'route'])).toContain('default via 10.244.1.1 dev eth0');
    const table = nftTable(t);
    expect(table).toMatch(/jump cni-[0-9a-f]{16} comment "netns-ts-cni [0-9a-f]{16} net=testnet ctr=ctr-a if=eth0"/);
    expect(table).toContain('fib daddr type local tcp dport 8080 counter packets 0 bytes 0 dnat ip to 10.244.1.2:80');
    expect(table).toContain('ip saddr 10.244.1.3 ip daddr != 10.244.1.0/24 ip daddr != 224.0.0.0/4 counter packets 0 bytes 0 masquerade');
    // The container end was created inside the container's namespace: nothing left on the node but the bridge and host ends.
    expect(linkNames(t.node).filter((n) => n.startsWith('veth'))).toHaveLength(2);
  });

  it.skipIf(!referencePlugins)('carries traffic: pod to pod, node to pod, egress masquerade, port mapping from another host, the node itself and hairpin', async () => {
    stops.push(await startServer(podA, 80, 'A'));
    stops.push(await startServer(t.outside, 9000, 'outside'));
    // Same bridge: direct, the client's own address is seen.
    expect(await httpGet(podB, '10.244.1.2', 80)).toBe('10.244.1.3 A');
    // The node reaches pods through its gateway address.
    expect(await httpGet(t.node, '10.244.1.2', 80)).toBe('10.244.1.1 A');
    // Leaving the subnet: masqueraded to the node's uplink address.
    expect(await httpGet(podB, t.outsideIp, 9000)).toBe(`${t.nodeIp} outside`);
    // Port mapping from another host (prerouting): the client's address is kept.
    expect(await httpGet(t.outside, t.nodeIp, 8080)).toBe(`${t.outsideIp} A`);
    // From the node itself (output), through its address and through 127.0.0.1.
    expect(await httpGet(t.node, t.nodeIp, 8080)).toBe(`${t.nodeIp} A`);
    expect(await httpGet(t.node, '127.0.0.1', 8080)).toBe('10.244.1.1 A');
    // Hairpin: a neighbour, and the container itself, through the node's address.
    expect(await httpGet(podB, t.nodeIp, 8080)).toBe('10.244.1.1 A');
    expect(await httpGet(podA, t.nodeIp, 8080)).toBe('10.244.1.1 A');
  });

  it.skipIf(!referencePlugins)('CHECK passes on a healthy attachment and names what is missing after damage', async () => {
    const conf = bridgeConf(t, { runtimeConfig: mappings, prevResult: resultA.value });
    const ok = await ours(t.node, { command: 'CHECK', containerId: 'ctr-a', netns: podA, ifname: 'eth0', conf });
    expect(ok.code, ok.stdout).toBe(0);
    expect(ok.stdout).toBe('');
    sh('ip', ['-n', podA, 'addr', 'del', '10.244.1.2/24', 'dev', 'eth0']);
    const handle = /masquerade comment "netns-ts-cni [0-9a-f]+ net=testnet ctr=ctr-a if=eth0" # handle (\d+)/.exec(sh('ip', ['netns', 'exec', t.node, 'nft', '-a', 'list', 'chain', 'inet', 'netns-ts-cni', 'postrouting']))?.[1];
    expect(handle).toBeDefined();
    sh('ip', ['netns', 'exec', t.node, 'nft', 'delete', 'rule', 'inet', 'netns-ts-cni', 'postrouting', 'handle', handle!]);
    const bad = await ours(t.node, { command: 'CHECK', containerId: 'ctr-a', netns: podA, ifname: 'eth0', conf });
    expect(bad.code).not.toBe(0);
    expect(bad.json.code).toBe(100);
    expect(bad.json.msg).toContain('address 10.244.1.2/24 is missing on eth0');
    expect(bad.json.details).toContain('rule missing in chain postrouting');
  });

  it.skipIf(!referencePlugins)('DEL removes exactly the attachment: links, rules, state, IP reservation; a second DEL succeeds', async () => {
    const confA = bridgeConf(t, { runtimeConfig: mappings, prevResult: resultA.value });
    const del = await ours(t.node, { command: 'DEL', containerId: 'ctr-a', netns: podA, ifname: 'eth0', conf: confA });
    expect(del.code, del.stdout).toBe(0);
    expect(del.stdout).toBe('');
    const table = nftTable(t);
    expect(table).not.toContain('ctr=ctr-a');
    expect(table).not.toMatch(/chain cni-/);
    expect(table).toContain('ctr=ctr-b'); // the other container keeps its masquerade rule
    expect(linkNames(podA)).toEqual(['lo']);
    expect(existsSync(join(t.dir, 'ipam', 'testnet', '10.244.1.2'))).toBe(false);
    const again = await ours(t.node, { command: 'DEL', containerId: 'ctr-a', netns: podA, ifname: 'eth0', conf: confA });
    expect(again.code, again.stdout).toBe(0);
    const delB = await ours(t.node, { command: 'DEL', containerId: 'ctr-b', netns: podB, ifname: 'eth0', conf: bridgeConf(t) });
    expect(delB.code, delB.stdout).toBe(0);
    expect(nftTable(t)).not.toContain('comment');
    expect(linkNames(t.node).filter((n) => n.startsWith('veth'))).toEqual([]);
    expect(readdirSync(join(t.dir, 'plugin', 'testnet'))).toEqual([]);
  });
});
