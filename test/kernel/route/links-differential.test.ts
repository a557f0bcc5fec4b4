/**
 * Differential test: the tutorial's link steps (seed/network-namespaces.md) done once with
 * `ip` and once with netns-ts, each in its own sibling "host" namespace with its own red and
 * blue namespaces, must leave the same `ip -j -d link` in every namespace — normalised for
 * what is inherently different (ifindex, MAC addresses, running timers).
 */
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { Connection } from '../../../src/netlink/connection.js';
import { createNetns, deleteNetns } from '../../../src/netns/index.js';
import { connectInNetns } from '../../../src/netns/connect.js';
import { Links } from '../../../src/route/links.js';
import { describeKernel, guardThreadNetns, randomName, sh } from '../sandbox.js';

// ip prints bridge ids without zero padding (8000.4a:ad:76:36:4:8d).
const MAC = /\b[0-9a-f]{1,2}(:[0-9a-f]{1,2}){5}\b/g;
/** Keys whose values differ between two identical setups: indices and running timers. */
const VOLATILE = new Set(['ifindex', 'link_index']);

function normalise(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(normalise);
  if (value && typeof value === 'object') {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) {
      if (VOLATILE.has(k) || k.endsWith('_timer')) continue;
      out[k] = normalise(v);
    }
    return out;
  }
  return typeof value === 'string' ? value.replace(MAC, 'MAC') : value;
}

function ipLinkView(netns: string): unknown {
  const links = JSON.parse(sh('ip', ['-n', netns, '-j', '-d', 'link', 'show'])) as Array<{ ifname: string }>;
  return normalise(links.sort((a, b) => a.ifname.localeCompare(b.ifname)));
}

/** Operational state settles asynchronously (linkwatch): compare until equal or time is up. */
async function expectSameViews(pairs: Array<[string, string]>): Promise<void> {
  const deadline = Date.now() + 5000;
  for (;;) {
    const views = pairs.map(([a, b]) => [ipLinkView(a), ipLinkView(b)] as const);
    if (views.every(([a, b]) => JSON.stringify(a) === JSON.stringify(b)) || Date.now() > deadline) {
      for (const [a, b] of views) expect(b).toEqual(a);
      return;
    }
    await new Promise((r) => setTimeout(r, 100));
  }
}

interface World {
  host: string;
  red: string;
  blue: string;
}

function world(tag: string): World {
  return { host: randomName(`h${tag}`), red: randomName(`r${tag}`), blue: randomName(`b${tag}`) };
}

describeKernel('the tutorial link steps: ip and netns-ts leave the same links', () => {
  guardThreadNetns();
  const viaIp = world('i');
  const viaUs = world('n');
  const conns: Connection[] = [];
  const links = (netns: string): Links => {
    const conn = connectInNetns(netns);
    conns.push(conn);
    return new Links(conn);
  };

  beforeAll(() => {
    for (const w of [viaIp, viaUs]) for (const ns of [w.host, w.red, w.blue]) createNetns(ns);
  });
  afterAll(() => {
    for (const c of conns) c.close();
    for (const w of [viaIp, viaUs]) for (const ns of [w.host, w.red, w.blue]) deleteNetns(ns);
  });

  it('connect two namespaces with a veth pair, move the ends, bring them up', async () => {
    const { host, red, blue } = viaIp;
    sh('ip', ['-n', host, 'link', 'add', 'veth-red', 'type', 'veth', 'peer', 'name', 'veth-blue']);
    sh('ip', ['-n', host, 'link', 'set', 'veth-red', 'netns', red]);
    sh('ip', ['-n', host, 'link', 'set', 'veth-blue', 'netns', blue]);
    sh('ip', ['-n', red, 'link', 'set', 'veth-red', 'up']);
    sh('ip', ['-n', blue, 'link', 'set', 'veth-blue', 'up']);

    const us = links(viaUs.host);
    await us.createVeth({ name: 'veth-red', peer: { name: 'veth-blue' } });
    await us.set('veth-red', { netns: viaUs.red });
    await us.set('veth-blue', { netns: viaUs.blue });
    await links(viaUs.red).set('veth-red', { up: true });
    await links(viaUs.blue).set('veth-blue', { up: true });

    await expectSameViews([[host, viaUs.host], [red, viaUs.red], [blue, viaUs.blue]]);
  });

  it('a bridge in the host, each namespace attached by a veth pair (netns-ts: one request per pair)', async () => {
    const { host } = viaIp;
    sh('ip', ['-n', host, 'link', 'add', 'v-net-0', 'type', 'bridge']);
    sh('ip', ['-n', host, 'link', 'set', 'dev', 'v-net-0', 'up']);
    for (const [color, ns] of [['red', viaIp.red], ['blue', viaIp.blue]] as const) {
      sh('ip', ['-n', host, 'link', 'add', `veth-${color}2`, 'type', 'veth', 'peer', 'name', `veth-${color}-br`]);
      sh('ip', ['-n', host, 'link', 'set', `veth-${color}2`, 'netns', ns]);
      sh('ip', ['-n', host, 'link', 'set', `veth-${color}-br`, 'master', 'v-net-0']);
      sh('ip', ['-n', host, 'link', 'set', `veth-${color}-br`, 'up']);
      sh('ip', ['-n', ns, 'link', 'set', `veth-${color}2`, 'up']);
    }

    const us = links(viaUs.host);
    await us.createBridge({ name: 'v-net-0', up: true });
    for (const [color, ns] of [['red', viaUs.red], ['blue', viaUs.blue]] as const) {
      // The namespace end is created where it belongs, the host end attached and up, at once.
      await us.createVeth({ name: `veth-${color}-br`, master: 'v-net-0', up: true, peer: { name: `veth-${color}2`, netns: ns, up: true } });
    }

    await expectSameViews([[host, viaUs.host], [viaIp.red, viaUs.red], [viaIp.blue, viaUs.blue]]);
  });
});
