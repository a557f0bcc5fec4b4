/**
 * `netns-ts nft monitor` next to the installed `nft monitor`, watching the same namespace while
 * nft makes changes: both print the same lines (objects added and deleted, rules in nft
 * syntax, elements, and the generation lines naming the committing process).
 */
import { spawn } from 'node:child_process';
import { setTimeout as sleep } from 'node:timers/promises';
import { afterEach, expect, it } from 'vitest';
import { monitorNft } from '../../../src/cli/nft/monitor.js';
import { createNetns } from '../../../src/netns/index.js';
import { describeKernel, guardThreadNetns, ipNetnsDelete, randomName, sh } from '../sandbox.js';
import { testContext, type TestContext } from './cli-context.js';

const T = 30_000;
/** Time for both monitors to subscribe before changes start, and to drain after. */
const SETTLE_MS = 400;

const CHANGES = [
  ['add', 'table', 'ip', 't'],
  ['add', 'chain', 'ip', 't', 'c', '{ type filter hook input priority 0; policy accept; }'],
  ['add', 'chain', 'ip', 't', 'o'],
  ['add', 'rule', 'ip', 't', 'c', 'tcp dport 22 counter accept comment "x"'],
  ['add', 'rule', 'ip', 't', 'c', 'ip daddr { 1.1.1.1, 2.2.2.2 } drop'],
  ['add', 'set', 'ip', 't', 's', '{ type ipv4_addr; }'],
  ['add', 'map', 'ip', 't', 'm', '{ type inet_service : ipv4_addr; }'],
  ['add', 'element', 'ip', 't', 's', '{ 1.2.3.4 }'],
  ['add', 'element', 'ip', 't', 'm', '{ 80 : 1.2.3.4 }'],
  ['delete', 'element', 'ip', 't', 's', '{ 1.2.3.4 }'],
  ['flush', 'chain', 'ip', 't', 'c'],
  ['delete', 'set', 'ip', 't', 's'],
  ['delete', 'chain', 'ip', 't', 'o'],
  ['delete', 'table', 'ip', 't'],
];

describeKernel('nft monitor', () => {
  guardThreadNetns();
  const namespaces: string[] = [];
  const contexts: TestContext[] = [];
  afterEach(() => {
    for (const c of contexts.splice(0)) c.close();
    for (const n of namespaces.splice(0)) ipNetnsDelete(n);
  });

  it('prints what nft monitor prints for the same changes', async () => {
    const ns = randomName('mon');
    createNetns(ns);
    namespaces.push(ns);
    const ctx = testContext(ns);
    contexts.push(ctx);
    const theirs = spawn('ip', ['netns', 'exec', ns, 'nft', 'monitor'], { stdio: ['ignore', 'pipe', 'inherit'] });
    let theirText = '';
    theirs.stdout.on('data', (d: Buffer) => (theirText += d.toString()));
    const stop = new AbortController();
    const ours = monitorNft(ctx, { handles: false, json: false, signal: stop.signal });
    try {
      await sleep(SETTLE_MS);
      for (const c of CHANGES) sh('ip', ['netns', 'exec', ns, 'nft', ...c]);
      await sleep(SETTLE_MS);
    } finally {
      stop.abort();
      theirs.kill('SIGTERM');
      await ours;
    }
    expect(theirText).toMatch(/^add table ip t$/m);
    expect(ctx.lines.map((l) => `${l}\n`).join('')).toBe(theirText);
  }, T);

  it('filters: `monitor new rules`', async () => {
    const ns = randomName('mon');
    createNetns(ns);
    namespaces.push(ns);
    const ctx = testContext(ns);
    contexts.push(ctx);
    const stop = new AbortController();
    const ours = monitorNft(ctx, { event: 'new', what: 'rules', handles: true, json: false, signal: stop.signal });
    try {
      await sleep(SETTLE_MS);
      for (const c of CHANGES.slice(0, 5)) sh('ip', ['netns', 'exec', ns, 'nft', ...c]);
      await sleep(SETTLE_MS);
    } finally {
      stop.abort();
      await ours;
    }
    expect(ctx.lines).toEqual([
      'add rule ip t c tcp dport 22 counter packets 0 bytes 0 accept comment "x" # handle 3',
      'add rule ip t c ip daddr { 1.1.1.1, 2.2.2.2 } drop # handle 5',
    ]);
  }, T);
});
