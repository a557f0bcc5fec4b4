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

/** Apply in a child process and SIGKILL it after `delayMs` (`applyIt` false: only load the module). */
async function applyKilledAfter(t: Topology, delayMs: number, applyIt = true): Promise<void> {
  const call = applyIt ? `m.apply(${JSON.stringify(t)})` : 'undefined';
  const code = `import(${JSON.stringify(applyModule)}).then((m) => ${call}).then(() => process.exit(0), (e) => { console.error(e); process.exit(1); });`;
  const child = spawn(process.execPath, ['--input-type=module', '-e', code], { stdio: 'ignore' });
  const timer = setTimeout(() => child.kill('SIGKILL'), delayMs);
  await once(child, 'exit');
  clearTimeout(timer);
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
    // Time process start-up and one full apply, to spread the kill points over the apply.
    let started = performance.now();
    await applyKilledAfter(t, 60_000, false);
    const startup = performance.now() - started;
    started = performance.now();
    await applyKilledAfter(t, 60_000);
    const full = performance.now() - started;
    await destroy(t.name);
    expect(leftovers(t)).toEqual([]);
    let interrupted = 0;
    for (let i = 0; i < RUNS; i++) {
      await applyKilledAfter(t, startup + ((i + Math.random()) / RUNS) * (full - startup));
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
