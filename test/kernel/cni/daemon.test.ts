/**
 * The resident daemon and its native client (native/cni-client.c, dist/cni/daemon.js): only
 * root can reach it, many calls at once leave a clean node, a client without a daemon runs the
 * plugin itself, and bytes that are not a call do not disturb it. (Connectivity and timing
 * through the daemon are in reference-comparison.test.ts.)
 */
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeAll, expect, it } from 'vitest';
import { encodeRequest } from '../../../src/cni/daemon-protocol.js';
import { describeKernel } from '../sandbox.js';
import { addressOf, bridgeConf, destroyNode, ensureBundle, linkNames, makeNode, makePod, nftTable, NATIVE_CLIENT, ours, referencePlugins, runPlugin, startCniDaemon, viaDaemon, warnIfNoReference, type TestNode } from './harness.js';

warnIfNoReference();

describeKernel('netns-ts-cni daemon and native client', () => {
  let t: TestNode | undefined;
  let dir: string;
  let stop: (() => Promise<void>) | undefined;
  beforeAll(ensureBundle);
  afterEach(async () => {
    await stop?.();
    stop = undefined;
    if (t) destroyNode(t);
    t = undefined;
    rmSync(dir, { recursive: true, force: true });
  });
  const setUp = async (): Promise<{ t: TestNode; socket: string; log: string[] }> => {
    t = makeNode('cnid');
    dir = mkdtempSync(join(tmpdir(), 'netns-ts-cnid-'));
    // A directory the daemon creates itself (mode 0700), inside a scratch one.
    const socket = join(dir, 'run', 'cni.sock');
    const d = await startCniDaemon(t.node, socket);
    stop = d.stop;
    return { t, socket, log: d.log };
  };

  it('listens on a socket only root can reach, and a second daemon on it is refused', async () => {
    const { t: node, socket } = await setUp();
    expect(statSync(socket).mode & 0o777).toBe(0o600);
    expect(statSync(join(dir, 'run')).mode & 0o777).toBe(0o700);
    await expect(startCniDaemon(node.node, socket)).rejects.toThrow(/already listens/);
  });

  it.skipIf(!referencePlugins)('8 concurrent ADDs, then 8 concurrent DELs, through the daemon leave a clean node', async () => {
    const { t: node, socket, log } = await setUp();
    const pods = Array.from({ length: 8 }, () => makePod(node));
    const conf = (i: number) => bridgeConf(node, { runtimeConfig: { portMappings: [{ hostPort: 7000 + i, containerPort: 80, protocol: 'tcp' }] } });
    const adds = await Promise.all(pods.map((pod, i) => viaDaemon(node.node, socket, { command: 'ADD', containerId: `d-${i}`, netns: pod, ifname: 'eth0', conf: conf(i) })));
    for (const r of adds) expect(r.code, r.stdout).toBe(0);
    const addresses = pods.map((pod) => addressOf(pod));
    expect(new Set(addresses).size).toBe(8);
    expect(adds.map((r) => r.json.ips[0].address.split('/')[0]).sort()).toEqual([...addresses].sort());
    for (let i = 0; i < 8; i++) expect(nftTable(node)).toContain(`ctr=d-${i}`);
    const dels = await Promise.all(pods.map((pod, i) => viaDaemon(node.node, socket, { command: 'DEL', containerId: `d-${i}`, netns: pod, ifname: 'eth0', conf: { ...conf(i), prevResult: adds[i]!.json } })));
    for (const r of dels) expect(r.code, r.stdout).toBe(0);
    expect(nftTable(node)).not.toMatch(/chain cni-/);
    expect(linkNames(node.node).filter((n) => n.startsWith('veth'))).toEqual([]);
    // Every call was served by the daemon (it logs one line per call, before answering; the
    // lines reach this process through a pipe, so give the last ones a moment), none by a fallback.
    const served = () => log.join('').match(/: exit 0 in /g)?.length ?? 0;
    for (let waited = 0; served() < 16 && waited < 5000; waited += 50) await new Promise((r) => setTimeout(r, 50));
    expect(served()).toBe(16);
  });

  it('answers a CNI error through the client exactly as the plugin does', async () => {
    const { t: node, socket } = await setUp();
    const pod = makePod(node);
    const bad = { cniVersion: '1.0.0', name: 'bad name', type: 'netns-ts-cni' };
    const call = { command: 'ADD' as const, containerId: 'x', netns: pod, ifname: 'eth0', conf: bad };
    const direct = await ours(node.node, call);
    const r = await viaDaemon(node.node, socket, call);
    expect(r.code).toBe(1);
    expect(r.json).toMatchObject({ cniVersion: '1.0.0', code: 7 });
    expect([r.code, r.stdout]).toEqual([direct.code, direct.stdout]);
    const v = await viaDaemon(node.node, socket, { command: 'VERSION', conf: { cniVersion: '1.1.0' } });
    expect(v.code).toBe(0);
    expect(v.json.supportedVersions).toContain('1.1.0');
  });

  it('drops bytes that are not a call and keeps serving', async () => {
    const { t: node, socket } = await setUp();
    const garbage = connect(socket);
    await new Promise<void>((resolve) => {
      garbage.on('error', () => resolve());
      garbage.on('close', () => resolve());
      garbage.write('GET / HTTP/1.0\r\n\r\n');
    });
    // A request that stops halfway, then hangs up.
    const half = connect(socket);
    await new Promise<void>((resolve) => half.write(encodeRequest({ env: { CNI_COMMAND: 'VERSION' }, stdin: '{}' }).subarray(0, 10), () => resolve()));
    half.destroy();
    const v = await viaDaemon(node.node, socket, { command: 'VERSION', conf: { cniVersion: '1.0.0' } });
    expect(v.code, v.stdout).toBe(0);
  });

  it.skipIf(!referencePlugins)('without a daemon, the client runs the plugin itself', async () => {
    t = makeNode('cnif');
    dir = mkdtempSync(join(tmpdir(), 'netns-ts-cnid-'));
    const pod = makePod(t);
    const r = await runPlugin(t.node, [NATIVE_CLIENT], { command: 'ADD', containerId: 'f', netns: pod, ifname: 'eth0', conf: bridgeConf(t) }, { NETNS_TS_CNI_SOCKET: join(dir, 'none.sock') });
    expect(r.code, r.stdout).toBe(0);
    expect(r.json.ips[0].address).toBe(`${addressOf(pod)}/24`);
    const d = await runPlugin(t.node, [NATIVE_CLIENT], { command: 'DEL', containerId: 'f', netns: pod, ifname: 'eth0', conf: bridgeConf(t) }, { NETNS_TS_CNI_SOCKET: join(dir, 'none.sock') });
    expect(d.code, d.stdout).toBe(0);
  });
});
