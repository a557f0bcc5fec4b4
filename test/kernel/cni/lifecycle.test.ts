/**
 * The lifecycle around ADD: DEL when the container's namespace is already gone (no leaked
 * rules, links, state or address), DEL without CNI_NETNS, GC with cni.dev/valid-attachments,
 * STATUS, a CNI 1.1.0 configuration with Debian's older host-local (version fallback), and
 * options this kernel cannot honour refused before anything changes.
 */
import { existsSync, readdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeAll, expect, it } from 'vitest';
import { deleteNetns } from '../../../src/netns/netns.js';
import { describeKernel } from '../sandbox.js';
import { bridgeConf, destroyNode, ensureBundle, linkNames, makeNode, makePod, nftTable, ours, referencePlugins, warnIfNoReference, type TestNode } from './harness.js';

warnIfNoReference();

describeKernel('netns-ts-cni: DEL, GC, STATUS and refusals', () => {
  let t: TestNode;
  beforeAll(ensureBundle);
  afterEach(() => destroyNode(t));
  const mappings = (port: number) => ({ runtimeConfig: { portMappings: [{ hostPort: port, containerPort: 80, protocol: 'tcp' }, { hostPort: port, containerPort: 53, protocol: 'udp' }] } });

  it.skipIf(!referencePlugins)('DEL after the namespace was deleted leaves no rule, link, state or reservation (with and without CNI_NETNS)', async () => {
    t = makeNode();
    const pods = [makePod(t), makePod(t)];
    for (const [i, pod] of pods.entries()) {
      const r = await ours(t.node, { command: 'ADD', containerId: `gone-${i}`, netns: pod, ifname: 'eth0', conf: bridgeConf(t, mappings(8080 + i)) });
      expect(r.code, r.stdout).toBe(0);
    }
    expect(nftTable(t)).toContain('ctr=gone-0');
    for (const pod of pods) deleteNetns(pod);
    // The runtime still passes the old path (now missing), or none at all.
    const a = await ours(t.node, { command: 'DEL', containerId: 'gone-0', netns: pods[0], ifname: 'eth0', conf: bridgeConf(t, mappings(8080)) });
    expect(a.code, a.stdout).toBe(0);
    const b = await ours(t.node, { command: 'DEL', containerId: 'gone-1', netns: '', ifname: 'eth0', conf: bridgeConf(t, mappings(8081)) });
    expect(b.code, b.stdout).toBe(0);
    const table = nftTable(t);
    expect(table).not.toContain('comment');
    expect(table).not.toMatch(/chain cni-/);
    expect(linkNames(t.node).filter((n) => n.startsWith('veth'))).toEqual([]);
    expect(readdirSync(join(t.dir, 'plugin', 'testnet'))).toEqual([]);
    expect(readdirSync(join(t.dir, 'ipam', 'testnet')).filter((f) => /^\d/.test(f))).toEqual([]);
  });

  it.skipIf(!referencePlugins)('GC (CNI 1.1.0) removes every attachment not listed as valid and keeps the listed one', async () => {
    t = makeNode();
    const conf11 = (extra: Record<string, unknown> = {}) => bridgeConf(t, { cniVersion: '1.1.0', ...extra });
    const pods = [makePod(t), makePod(t), makePod(t)];
    const results: any[] = [];
    for (const [i, pod] of pods.entries()) {
      // 1.1.0 configuration; Debian's host-local speaks up to 1.0.0: the plugin falls back.
      const r = await ours(t.node, { command: 'ADD', containerId: `gc-${i}`, netns: pod, ifname: 'eth0', conf: conf11(mappings(9000 + i)) });
      expect(r.code, r.stdout).toBe(0);
      expect(r.json.cniVersion).toBe('1.1.0');
      results.push(r.json);
    }
    const gc = await ours(t.node, { command: 'GC', conf: conf11({ 'cni.dev/valid-attachments': [{ containerID: 'gc-1', ifname: 'eth0' }] }) });
    expect(gc.code, gc.stdout).toBe(0);
    expect(gc.stdout).toBe('');
    const table = nftTable(t);
    expect(table).toContain('ctr=gc-1');
    expect(table).not.toContain('ctr=gc-0');
    expect(table).not.toContain('ctr=gc-2');
    expect(linkNames(pods[0]!)).toEqual(['lo']);
    expect(linkNames(pods[1]!)).toContain('eth0');
    expect(readdirSync(join(t.dir, 'plugin', 'testnet'))).toHaveLength(1);
    const check = await ours(t.node, { command: 'CHECK', containerId: 'gc-1', netns: pods[1], ifname: 'eth0', conf: conf11({ ...mappings(9001), prevResult: results[1] }) });
    expect(check.code, check.stdout).toBe(0);
    // GC of rules whose state file is lost: found by the network tag in their comments.
    rmSync(join(t.dir, 'plugin', 'testnet'), { recursive: true });
    const r = await ours(t.node, { command: 'GC', conf: conf11({ 'cni.dev/valid-attachments': [] }) });
    expect(r.code, r.stdout).toBe(0);
    expect(nftTable(t)).not.toContain('comment');
    expect(linkNames(pods[1]!)).toEqual(['lo']);
  });

  it.skipIf(!referencePlugins)('GC leaves the attachments of other networks alone', async () => {
    t = makeNode();
    const pod = makePod(t);
    const other = bridgeConf(t, { cniVersion: '1.1.0', name: 'othernet', bridge: 'cni1', ipam: { type: 'host-local', subnet: '10.245.0.0/24', dataDir: join(t.dir, 'ipam') } });
    const r = await ours(t.node, { command: 'ADD', containerId: 'keep', netns: pod, ifname: 'eth0', conf: other });
    expect(r.code, r.stdout).toBe(0);
    const gc = await ours(t.node, { command: 'GC', conf: bridgeConf(t, { cniVersion: '1.1.0', 'cni.dev/valid-attachments': [] }) });
    expect(gc.code, gc.stdout).toBe(0);
    expect(nftTable(t)).toContain('net=othernet ctr=keep');
    expect(linkNames(pod)).toContain('eth0');
  });

  it.skipIf(!referencePlugins)('STATUS answers ready, and error 50 when the IPAM plugin is missing', async () => {
    t = makeNode();
    const ok = await ours(t.node, { command: 'STATUS', conf: bridgeConf(t, { cniVersion: '1.1.0' }) });
    expect(ok.code, ok.stdout).toBe(0);
    expect(ok.stdout).toBe('');
    const missing = await ours(t.node, { command: 'STATUS', conf: bridgeConf(t, { cniVersion: '1.1.0', ipam: { type: 'no-such-ipam' } }) });
    expect(missing.code).not.toBe(0);
    expect(missing.json).toMatchObject({ cniVersion: '1.1.0', code: 50 });
    expect(missing.json.msg).toContain('no-such-ipam');
  });

  it.skipIf(!referencePlugins)('refuses vlan (no 802.1Q here) and a taken interface name, changing nothing', async () => {
    t = makeNode();
    const pod = makePod(t);
    const vlan = await ours(t.node, { command: 'ADD', containerId: 'v', netns: pod, ifname: 'eth0', conf: bridgeConf(t, { vlan: 100 }) });
    expect(vlan.json).toMatchObject({ code: 2, details: 'vlan=100' });
    expect(linkNames(t.node)).not.toContain('cni0');
    expect(existsSync(join(t.dir, 'ipam'))).toBe(false);
    const first = await ours(t.node, { command: 'ADD', containerId: 'one', netns: pod, ifname: 'eth0', conf: bridgeConf(t) });
    expect(first.code, first.stdout).toBe(0);
    const taken = await ours(t.node, { command: 'ADD', containerId: 'two', netns: pod, ifname: 'eth0', conf: bridgeConf(t) });
    expect(taken.code).not.toBe(0);
    expect(taken.json.msg).toContain('interface eth0 already exists');
    // The failed ADD released its address and left no veth or state behind.
    expect(readdirSync(join(t.dir, 'ipam', 'testnet')).filter((f) => /^\d/.test(f))).toEqual(['10.244.1.2']);
    expect(linkNames(t.node).filter((n) => n.startsWith('veth'))).toHaveLength(1);
    expect(readdirSync(join(t.dir, 'plugin', 'testnet'))).toHaveLength(1);
  });
});
