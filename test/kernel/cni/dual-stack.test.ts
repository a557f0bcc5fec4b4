/**
 * IPv4 and IPv6 together (host-local with two ranges): both addresses and default routes in
 * the container, both gateways on the bridge, and IPv6 traffic through the rules — egress
 * masquerade and a port mapping reached from another host over IPv6.
 */
import { join } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { describeKernel, sh } from '../sandbox.js';
import { bridgeConf, destroyNode, ensureBundle, httpGet, makeNode, makePod, nftTable, ours, referencePlugins, startServer, warnIfNoReference, type TestNode } from './harness.js';

warnIfNoReference();

describeKernel('netns-ts-cni: dual stack', () => {
  let t: TestNode;
  const stops: Array<{ stop(): void }> = [];
  beforeAll(ensureBundle);
  afterAll(() => {
    for (const s of stops) s.stop();
    destroyNode(t);
  });

  it.skipIf(!referencePlugins)('configures IPv4 and IPv6, and carries IPv6 through masquerade and a port mapping', async () => {
    t = makeNode('cni6');
    sh('ip', ['-n', t.node, 'addr', 'add', 'fd99::1/64', 'dev', 'uplink', 'nodad']);
    sh('ip', ['-n', t.outside, 'addr', 'add', 'fd99::2/64', 'dev', 'uplink', 'nodad']);
    const pod = makePod(t);
    const conf = bridgeConf(t, {
      cniVersion: '1.1.0',
      ipam: { type: 'host-local', ranges: [[{ subnet: '10.244.1.0/24' }], [{ subnet: 'fd00:10::/64' }]], dataDir: join(t.dir, 'ipam') },
      runtimeConfig: { portMappings: [{ hostPort: 8080, containerPort: 80, protocol: 'tcp' }] },
    });
    const add = await ours(t.node, { command: 'ADD', containerId: 'dual', netns: pod, ifname: 'eth0', conf });
    expect(add.code, add.stdout).toBe(0);
    expect(add.json.ips).toEqual([
      { address: '10.244.1.2/24', gateway: '10.244.1.1', interface: 2 },
      { address: 'fd00:10::2/64', gateway: 'fd00:10::1', interface: 2 },
    ]);
    expect(add.json.routes).toEqual([{ dst: '0.0.0.0/0', gw: '10.244.1.1' }, { dst: '::/0', gw: 'fd00:10::1' }]);
    expect(sh('ip', ['-n', pod, '-6', 'route'])).toContain('default via fd00:10::1 dev eth0');
    expect(sh('ip', ['-n', t.node, '-6', 'addr', 'show', 'dev', 'cni0'])).toContain('fd00:10::1/64');
    expect(nftTable(t)).toContain('dnat ip6 to [fd00:10::2]:80');
    stops.push(await startServer(pod, 80, 'pod'));
    stops.push(await startServer(t.outside, 9000, 'outside'));
    // Egress over IPv6: masqueraded to the node's uplink address.
    expect(await httpGet(pod, 'fd99::2', 9000)).toBe('fd99::1 outside');
    // Port mapping from another host over IPv6, and over IPv4 to the same container.
    expect(await httpGet(t.outside, 'fd99::1', 8080)).toBe('fd99::2 pod');
    expect(await httpGet(t.outside, t.nodeIp, 8080)).toBe(`${t.outsideIp} pod`);
    const check = await ours(t.node, { command: 'CHECK', containerId: 'dual', netns: pod, ifname: 'eth0', conf: { ...conf, prevResult: add.json } });
    expect(check.code, check.stdout).toBe(0);
    const del = await ours(t.node, { command: 'DEL', containerId: 'dual', netns: pod, ifname: 'eth0', conf: { ...conf, prevResult: add.json } });
    expect(del.code, del.stdout).toBe(0);
    expect(nftTable(t)).not.toContain('comment');
  });
});
