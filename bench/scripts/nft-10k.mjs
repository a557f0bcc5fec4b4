#!/usr/bin/env node
// Measures loading 10,000 DNAT rules in one transaction and listing them decoded, with
// netns-ts (src/nft, compiled to dist/) next to the C floor (bench/floor: libnftnl) and nft,
// in the same run. Not a test: run it inside the sandbox, after compiling:
//
//   npx tsc -p tsconfig.build.json; make -C bench/floor
//   unshare --net --mount --propagation private -- sh -c 'mount -t tmpfs netns-ts-run /run && \
//     mount -t sysfs netns-ts-sys /sys && ip link set lo up && REPS=15 node bench/scripts/nft-10k.mjs [N]'
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, writeFileSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { dnatRule } from './dnat-rule.mjs';

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const { NftClient, addRule, addTable, addChain, listRuleset, encodeBatch } = await import(join(root, 'dist', 'nft', 'index.js'));
const N = Number(process.argv[2] ?? 10_000);
const REPS = Number(process.env.REPS ?? 5);
const TABLE = 'benchnat';
const floor = join(root, 'bench', 'floor', 'floor');

const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
// Each row is [what, samples]: printed as the median and the minimum (a shared machine's noise
// only ever adds time, so the minimum is the steadier figure).
const row = (what, xs) => [what, xs];
const clean = () => spawnSync('nft', ['delete', 'table', 'ip', TABLE]);

const dnat = (i) => dnatRule(addRule, TABLE, i);

function timed(fn) {
  const t = performance.now();
  const out = fn();
  return out instanceof Promise ? out.then((v) => [performance.now() - t, v]) : [performance.now() - t, out];
}

const rows = [];
const client = NftClient.connect();
const load = { total: [], build: [], apply: [], encode: [] };
const list = { total: [] };
const commandsFor = () => [
  addTable({ family: 'ip', name: TABLE }),
  addChain({ family: 'ip', table: TABLE, name: 'pre', type: 'nat', hook: 'prerouting', priority: -100 }),
  ...Array.from({ length: N }, (_, i) => dnat(i)),
];
for (let rep = 0; rep < REPS; rep++) {
  clean();
  // What a caller pays: build the commands, then apply (encode, send, commit, check replies).
  const [build, commands] = timed(commandsFor);
  const [apply, result] = await timed(() => client.apply(commands));
  if (result.status !== 'committed') throw new Error(`load: ${result.status}`);
  load.build.push(build);
  load.apply.push(apply);
  load.total.push(build + apply);
  const [lms, ruleset] = await timed(() => listRuleset(client.connection, { family: 'ip', table: TABLE, elements: false }));
  if (ruleset.rules.length !== N) throw new Error(`listed ${ruleset.rules.length} rules`);
  list.total.push(lms);
  // Building and encoding alone, on fresh commands, outside the timed load.
  load.encode.push(timed(() => encodeBatch({ commands: commandsFor() }))[0]);
}
client.close();
rows.push(row('netns-ts load (build + apply, one transaction)', load.total), row('  build the commands', load.build), row('  apply (encode, send, commit)', load.apply), row('  build + encode (measured apart)', load.encode));
rows.push(row('netns-ts list (dumps + decode to typed rules)', list.total));

const dir = mkdtempSync(join(tmpdir(), 'nft-perf-'));
const lines = [`add table ip ${TABLE}`, `add chain ip ${TABLE} pre { type nat hook prerouting priority -100; }`];
for (let i = 0; i < N; i++) lines.push(`add rule ip ${TABLE} pre tcp dport ${1024 + i} dnat to 10.201.${(i >> 8) & 0xff}.${i & 0xff}:8080`);
writeFileSync(join(dir, 'rules.nft'), `${lines.join('\n')}\n`);
const wall = (cmd, args) => timed(() => execFileSync(cmd, args, { stdio: ['ignore', 'ignore', 'inherit'] }))[0];
const nftLoad = [];
const nftList = [];
for (let rep = 0; rep < REPS; rep++) {
  clean();
  nftLoad.push(wall('nft', ['-f', join(dir, 'rules.nft')]));
  nftList.push(wall('nft', ['list', 'table', 'ip', TABLE]));
}
rows.push(row('nft -f (process)', nftLoad), row('nft list table (process)', nftList));
if (existsSync(floor)) {
  const floorLoad = [];
  const floorList = [];
  for (let rep = 0; rep < REPS; rep++) {
    clean();
    floorLoad.push(wall(floor, ['nft-load', String(N)]));
    floorList.push(wall(floor, ['nft-list']));
  }
  rows.push(row('C floor (libnftnl) load (process)', floorLoad), row('C floor list (process)', floorList));
}
clean();
console.log(`${N} DNAT rules, ${REPS} runs each (load average ${loadavg().map((x) => x.toFixed(2)).join(' ')}):${''.padEnd(6)}median      min`);
for (const [what, xs] of rows) console.log(`${what.padEnd(48)} ${median(xs).toFixed(1).padStart(8)} ms ${Math.min(...xs).toFixed(1).padStart(8)} ms`);
