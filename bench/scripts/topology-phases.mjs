#!/usr/bin/env node
// Where a warm topology setup of N namespaces goes, phase by phase (not a test): the bridge,
// the namespaces (each created with its connection, as the floor opens its socket there), the
// veths, and the work inside each namespace (lo and eth0 up, the address, the default route),
// as the bench's contender does them with the typed clients. Each setup is undone and the kernel given time to destroy the namespaces before the next;
// medians over REPS (default 8) after two untimed setups, with the process's CPU time (user,
// system) of the inside phase; then the C floor's own phases (bench/floor/topology.c prints
// them), REPS runs the same way.
//
//   npx tsc -p tsconfig.build.json; make -C bench/floor
//   node bench/scripts/topology-phases.mjs 100   (as root: it re-runs itself in the bench's sandbox, bench/lib/sandbox.mjs)
import { execFileSync } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { inSandbox, reexecInSandbox } from '../lib/sandbox.mjs';

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
if (!inSandbox()) process.exit(reexecInSandbox(fileURLToPath(import.meta.url), process.argv.slice(2), root));
const nt = await import(join(root, 'dist', 'index.js'));
const plan = await import(join(root, 'bench', 'lib', 'plan.mjs'));
const N = Number(process.argv[2] ?? 100);
const REPS = Number(process.env.REPS ?? 8);
const WARM_UPS = 2;

async function setup() {
  const t = [performance.now()];
  const host = nt.connectInNetns(undefined);
  try {
    const links = new nt.Links(host);
    await links.createBridge({ name: plan.BRIDGE, group: plan.GROUP, up: true });
    await new nt.Addresses(host).add({ dev: plan.BRIDGE, address: `${plan.BRIDGE_ADDR}/${plan.PREFIXLEN}` });
    t.push(performance.now());
    const entries = plan.topologyEntries(N);
    // Each namespace created with its connection, as the bench's contender does.
    const insides = entries.map((e) => nt.connectInNetns(e.netns, { create: true }));
    t.push(performance.now());
    await Promise.all(entries.map((e) => links.createVeth({ name: e.veth, group: plan.GROUP, master: plan.BRIDGE, up: true, peer: { name: plan.PEER, netns: e.netns } })));
    t.push(performance.now());
    const cpu = process.cpuUsage();
    await Promise.all(
      entries.map(async (e, i) => {
        const inside = insides[i];
        try {
          const l = new nt.Links(inside);
          await Promise.all([l.set('lo', { up: true }), l.set(plan.PEER, { up: true }), new nt.Addresses(inside).add({ dev: plan.PEER, address: `${e.address}/${plan.PREFIXLEN}` })]);
          await new nt.Routes(inside).add({ to: 'default', via: plan.BRIDGE_ADDR });
        } finally {
          inside.close();
        }
      }),
    );
    t.push(performance.now());
    const used = process.cpuUsage(cpu);
    return { bridge: t[1] - t[0], namespaces: t[2] - t[1], veths: t[3] - t[2], inside: t[4] - t[3], insideUser: used.user / 1000, insideSystem: used.system / 1000 };
  } finally {
    host.close();
  }
}

async function teardown() {
  for (const e of plan.topologyEntries(N)) nt.deleteNetns(e.netns);
  const host = nt.connectInNetns(undefined);
  try {
    await new nt.Links(host).deleteGroup(plan.GROUP);
  } finally {
    host.close();
  }
  // The kernel destroys namespaces in a work queue; let it finish before the next setup.
  await new Promise((settled) => setTimeout(settled, 1000 + 20 * N));
}

const runs = [];
for (let i = 0; i < WARM_UPS + REPS; i++) {
  const phases = await setup();
  if (i >= WARM_UPS) runs.push(phases);
  await teardown();
}
const medianOf = (rows, key) => rows.map((r) => r[key]).sort((a, b) => a - b)[rows.length >> 1].toFixed(1);
const median = (key) => medianOf(runs, key);
console.log(`netns-ts, N = ${N}, medians of ${REPS} warm setups (ms): bridge ${median('bridge')}, namespaces ${median('namespaces')}, veths ${median('veths')}, inside ${median('inside')} (CPU: user ${median('insideUser')}, system ${median('insideSystem')})`);

const floorBinary = join(root, 'bench', 'floor', 'floor');
const floorRuns = [];
for (let i = 0; i < REPS; i++) {
  floorRuns.push(JSON.parse(execFileSync(floorBinary, ['topology-setup', String(N)], { encoding: 'utf8' })));
  execFileSync(floorBinary, ['topology-teardown', String(N)]);
  await new Promise((settled) => setTimeout(settled, 1000 + 20 * N));
}
console.log(`C floor,  N = ${N}, medians of ${REPS} setups (ms): namespaces ${medianOf(floorRuns, 'namespacesMs')}, veths ${medianOf(floorRuns, 'vethsMs')}, inside ${medianOf(floorRuns, 'insideMs')} (its nf_tables ${medianOf(floorRuns, 'nftMs')}, in all ${medianOf(floorRuns, 'ms')})`);
