#!/usr/bin/env node
/**
 * netns-ts benchmarks against iproute2, nft, pyroute2, the `netlink` npm package and a C
 * floor, side by side in one run (issue 8). `npm run bench [-- --quick] [--only W] [--sizes …]`.
 *
 * As root it re-runs itself inside a throwaway sandbox (new network and mount namespaces, a
 * tmpfs on /run, a fresh sysfs, lo up — as scripts/test.mjs does), so nothing touches the
 * host's network. Each point (workload, phase, size) runs every contender N times, in a
 * rotating order, each run from a clean, checked state. It prints medians and ratios, and
 * writes bench/results/<date>-<host>.json, latest.json, latest.md and topology.svg.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs, USAGE } from './lib/args.mjs';
import { describeMachine } from './lib/machine.mjs';
import { buildFloor, checkPackages } from './lib/prereqs.mjs';
import { markdownTable, textTable } from './lib/report.mjs';
import { Results } from './lib/runner.mjs';
import { inSandbox, reexecInSandbox } from './lib/sandbox.mjs';
import { topologyChart } from './lib/svg.mjs';
import * as codec from './workloads/codec.mjs';
import * as dumps from './workloads/dumps.mjs';
import * as nft from './workloads/nft.mjs';
import * as topology from './workloads/topology.mjs';

const here = dirname(fileURLToPath(import.meta.url));
const CONTENDERS = ['netns-ts', 'netns-ts-warm', 'netns-ts-cli', 'floor', 'ip-batch', 'shell', 'pyroute2', 'netlink-npm'];
const WORKLOADS = { topology, dumps, nft, codec };
const REPS = { full: 5, quick: 3 };

const log = (msg) => console.error(`[bench ${new Date().toISOString().slice(11, 19)}] ${msg}`);

function fail(msg, code = 1) {
  console.error(msg);
  process.exit(code);
}

async function loadContenders(names, floorProblem) {
  const out = [];
  for (const name of names) {
    const modulePath = join(here, 'contenders', `${name}.mjs`);
    const mod = await import(modulePath);
    let availability = await mod.available();
    if (name === 'floor' && floorProblem) availability = { ok: false, reason: floorProblem };
    // Workloads it takes part in (measured or reported as not measurable); others get no row.
    const covers = [...new Set([...Object.keys(mod.workloads ?? {}), ...Object.keys(mod.unsupported ?? {}).map((k) => k.split('.')[0])])];
    out.push({ name: mod.name, label: mod.label, description: mod.description, modulePath, covers, inProcess: mod.inProcess === true, ...availability });
  }
  return out;
}

/** An unavailable contender still gets a row in every point, saying why. */
function markUnavailable(results, contenders) {
  for (const c of contenders.filter((c) => !c.ok)) {
    for (const p of results.points) {
      if (!c.covers.includes(p.workload)) continue;
      results.add(p.workload, p.phase, p.size, c, { status: 'unsupported', reason: `not available: ${c.reason}` });
    }
  }
}

async function main() {
  let opts;
  try {
    opts = parseArgs(process.argv.slice(2));
  } catch (err) {
    fail(`${err.message}\n${USAGE}`, 2);
  }
  if (opts.help) return console.log(USAGE);
  if (process.platform !== 'linux') fail('the benchmarks need Linux');
  if (process.getuid?.() !== 0) fail('the benchmarks need root: they run inside a throwaway network sandbox (unshare), as `npm test` does');

  const { missingRequired, missingOptional } = checkPackages();
  if (missingRequired.length) fail(`missing Debian packages: ${missingRequired.join(' ')}\ninstall them with: apt-get install ${missingRequired.join(' ')}`);
  if (!inSandbox()) process.exit(reexecInSandbox(fileURLToPath(import.meta.url), process.argv.slice(2), join(here, '..')));

  if (missingOptional.length) {
    log(`missing Debian packages (their contenders are reported as not available): ${missingOptional.map((m) => `${m.pkg} (${m.for})`).join(', ')}`);
    log(`install them with: apt-get install ${[...new Set(missingOptional.map((m) => m.pkg))].join(' ')}`);
  }
  const floorProblem = buildFloor(missingOptional);
  const names = opts.contenders ?? CONTENDERS;
  const unknown = names.filter((n) => !CONTENDERS.includes(n));
  if (unknown.length) fail(`unknown contender ${unknown.join(', ')} (known: ${CONTENDERS.join(', ')})`, 2);
  const contenders = await loadContenders(names, floorProblem);
  for (const c of contenders) {
    log(`${c.name}: ${c.ok ? `ready${c.version ? ` (${c.version})` : ''}` : `NOT AVAILABLE: ${c.reason}`}`);
    if (c.warning) log(`${c.name}: WARNING: ${c.warning}`);
  }
  const ready = contenders.filter((c) => c.ok);

  const mode = opts.quick ? 'quick' : 'full';
  const reps = opts.reps ?? REPS[mode];
  const machine = describeMachine(Object.fromEntries(contenders.filter((c) => c.version).map((c) => [c.name, c.version])));
  log(`machine: ${machine.nproc} CPUs, ${machine.memoryMiB} MiB, Linux ${machine.kernel}, node ${machine.node}, load ${machine.loadAverageAtStart.join(' ')}`);

  const results = new Results();
  const started = performance.now();
  for (const w of opts.only) {
    const workload = WORKLOADS[w];
    const sizes = opts.sizes ?? workload.defaultSizes[mode];
    log(`workload ${w}: sizes ${sizes.join(', ')}, ${reps} repetitions`);
    await workload.run({ sizes, reps, contenders: ready.filter((c) => c.covers.includes(w)), results, log });
  }
  markUnavailable(results, contenders);
  const elapsedMs = performance.now() - started;

  console.log(textTable(results.points));
  console.log(`\n${mode} run, ${reps} repetitions per point, ${(elapsedMs / 1000).toFixed(0)} s; medians, ratios to the fastest contender and to netns-ts`);
  if (!opts.write) return;

  const date = new Date().toISOString();
  const out = {
    schema: 1,
    date,
    mode,
    reps,
    argv: process.argv.slice(2),
    elapsedMs,
    machine,
    contenders: contenders.map(({ modulePath: _m, ...c }) => c),
    points: results.points,
  };
  const dir = join(here, 'results');
  mkdirSync(dir, { recursive: true });
  const stamp = `${date.slice(0, 19).replace(/:/g, '-')}-${os.hostname()}`;
  writeFileSync(join(dir, `${stamp}.json`), JSON.stringify(out, null, 1) + '\n');
  writeFileSync(join(dir, 'latest.json'), JSON.stringify(out, null, 1) + '\n');
  const header = `Measured ${date.slice(0, 10)} on ${machine.nproc} CPUs (${machine.cpu ?? 'unknown CPU'}), ${machine.memoryMiB} MiB, Linux ${machine.kernel}, node ${machine.node} (${mode} run, ${reps} repetitions, load average at start ${machine.loadAverageAtStart.join(' ')}).`;
  writeFileSync(join(dir, 'latest.md'), `${header}\n${markdownTable(results.points)}\n`);
  if (results.points.some((p) => p.workload === 'topology')) {
    writeFileSync(join(dir, 'topology.svg'), topologyChart(results.points, `${machine.nproc} CPUs, Linux ${machine.kernel}, ${date.slice(0, 10)}, ${mode} run (medians of ${reps})`));
  }
  log(`wrote bench/results/${stamp}.json, latest.json, latest.md${results.points.some((p) => p.workload === 'topology') ? ', topology.svg' : ''}`);
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
