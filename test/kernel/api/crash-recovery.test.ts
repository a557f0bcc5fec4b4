import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { expect, it } from 'vitest';
import { apply, destroy } from '../../../src/api/topology/apply.js';
import { natTableName, ownerGroup } from '../../../src/api/topology/marks.js';
import type { Topology } from '../../../src/api/topology/schema.js';
import { listNetns } from '../../../src/netns/netns.js';
import { recordFigure } from '../../helpers/figures.js';
import { describeKernel, randomName, sh } from '../sandbox.js';

// The compiled package (scripts/test.mjs builds dist/ before the tests run).
const applyModule = fileURLToPath(new URL('../../../dist/api/topology/apply.js', import.meta.url));
const RUNS = process.env.NETNS_TS_SLOW === '1' ? 30 : 8;

function topology(name: string): Topology {
  const ns = (i: number) => `${name}-n${i}`;
  return {
    name,
    bridges: [{ name: `${name}-br`, addresses: ['10.77.0.1/24'] }],
    namespaces: [1, 2, 3, 4].map((i) => ({ name: ns(i), interfaces: [{ name: 'eth0', bridge: `${name}-br`, peer: `${name}-v${i}`, addresses: [`10.77.0.${i + 1}/24`] }], gateway: '10.77.0.1' })),
    nat: { masquerade: [{ source: '10.77.0.0/24' }], forwards: [{ protocol: 'tcp', port: 9000, to: '10.77.0.2:80' }] },
  };
}

/**
 * Apply in a child process and SIGKILL it `delayMs` after apply begins. The child writes one
 * byte when the module is loaded and apply is about to start, so the kill point is measured from there: process start-up varies a lot on a loaded
 * machine, and kills timed from spawn would often land before apply had done anything.
 * Resolves with how long the child ran after that byte.
 */
async function applyKilledAfter(t: Topology, delayMs: number): Promise<number> {
  const call = `m.apply(${JSON.stringify(t)})`;
  const code = `import(${JSON.stringify(applyModule)}).then((m) => { process.stdout.write('R'); return ${call}; }).then(() => process.exit(0), (e) => { console.error(e); process.exit(1); });`;
  const child = spawn(process.execPath, ['--input-type=module', '-e', code], { stdio: ['ignore', 'pipe', 'ignore'] });
  let began = 0;
  let timer: NodeJS.Timeout | undefined;
  child.stdout.once('data', () => {
    began = performance.now();
    timer = setTimeout(() => child.kill('SIGKILL'), delayMs);
  });
  await once(child, 'exit');
  clearTimeout(timer);
  return began === 0 ? 0 : performance.now() - began;
}

function leftovers(t: Topology): string[] {
  const out: string[] = [];
  for (const ns of listNetns()) if (ns.startsWith(`${t.name}-`)) out.push(`namespace ${ns}`);
  const links = JSON.parse(sh('ip', ['-d', '-j', 'link'])) as Array<{ ifname: string; group?: string | number }>;
  for (const l of links) if (l.ifname.startsWith(`${t.name}-`) || l.group === ownerGroup(t.name) || l.group === String(ownerGroup(t.name))) out.push(`link ${l.ifname}`);
  if (sh('nft', ['list', 'tables']).includes(natTableName(t.name))) out.push(`table ${natTableName(t.name)}`);
  return out;
}

describeKernel('crash recovery: apply killed at random points', () => {
  it(`after ${RUNS} kills, destroy leaves nothing behind and apply then succeeds`, async () => {
    expect(existsSync(applyModule)).toBe(true);
    const t = topology(randomName('cr').slice(0, 7));
    // Time one full apply (from its start, not from process start), to spread the kill points over it.
    const full = await applyKilledAfter(t, 60_000);
    expect(full).toBeGreaterThan(0);
    await destroy(t.name);
    expect(leftovers(t)).toEqual([]);
    let interrupted = 0;
    for (let i = 0; i < RUNS; i++) {
      await applyKilledAfter(t, ((i + Math.random()) / RUNS) * full);
      if (leftovers(t).length > 0) interrupted++;
      await destroy(t.name);
      expect(leftovers(t), `run ${i}`).toEqual([]);
    }
    // The kills really landed while apply was changing things.
    expect(interrupted).toBeGreaterThan(RUNS / 3);
    recordFigure('faults injected', RUNS);
    recordFigure('faults survived', RUNS);
    recordFigure('objects lost', 0);
    // A kill followed by a plain re-apply (no destroy) also converges.
    await applyKilledAfter(t, full / 2);
    expect((await apply(t)).applied.length).toBeGreaterThanOrEqual(0);
    expect(listNetns().filter((n) => n.startsWith(`${t.name}-`)).sort()).toEqual([1, 2, 3, 4].map((i) => `${t.name}-n${i}`));
    await destroy(t.name);
    expect(leftovers(t)).toEqual([]);
  }, 300_000);
});
