#!/usr/bin/env node
// What a large listing costs in Node.js at the least, beside netns-ts and the C floor, in one
// process and one run (not a test). For the 10,000-rule listing and the dump of the bench's
// 11,003 IPv4 routes, medians of REPS (default 9) after 30 warm-ups:
//
// - C floor: bench/floor (libmnl), its own time (dump read, attributes walked), process start
//   excluded;
// - raw dump: the same dump through Connection.dump, each reply's bytes handed over (onBody) and
//   counted, nothing decoded — what reading the kernel's answer costs from Node;
// - objects: only building that many plain objects of the listing's shapes (the rules'
//   expressions with their byte values; the routes with their address strings), kept alive as
//   a listing keeps them, no bytes read at all — what any API returning plain objects pays;
// - netns-ts: the typed listing as the bench's contender makes it (NftClient.listRules;
//   Routes.list).
//
// raw dump + objects is the least a listing of typed objects can cost here; set against the C
// floor it says how close to a "within 2x" target any JavaScript listing can come.
//
//   npx tsc -p tsconfig.build.json; make -C bench/floor
//   node bench/scripts/listing-floors.mjs   (as root: it re-runs itself in the bench's sandbox, bench/lib/sandbox.mjs)
import { execFileSync } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { inSandbox, reexecInSandbox } from '../lib/sandbox.mjs';

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
if (!inSandbox()) process.exit(reexecInSandbox(fileURLToPath(import.meta.url), process.argv.slice(2), root));
const nt = await import(join(root, 'dist', 'index.js'));
const contender = await import(join(root, 'bench', 'contenders', 'netns-ts.mjs'));
const plan = await import(join(root, 'bench', 'lib', 'plan.mjs'));
const state = await import(join(root, 'bench', 'lib', 'state.mjs'));
const floorBinary = join(root, 'bench', 'floor', 'floor');
const RULES = 10_000;
const REPS = Number(process.env.REPS ?? 9);
const WARM_UPS = 30;

const floor = (...args) => JSON.parse(execFileSync(floorBinary, args, { encoding: 'utf8' }));

// uapi: <linux/netfilter/nfnetlink.h>, <linux/netfilter/nf_tables.h>, <linux/rtnetlink.h>
const NETLINK_NETFILTER = 12;
const NFT_GETRULE = (10 << 8) | 7;
const NFPROTO_IPV4 = 2;
const NFTA_RULE_TABLE = 1;
const RTM_GETROUTE = 26;
const RTMSG_SIZE = 12;
const AF_INET = 2;

function ruleDumpRequest() {
  const table = nt.encodeRawAttributes([{ type: NFTA_RULE_TABLE, nested: false, netByteOrder: false, value: Uint8Array.from([...nt.encodeKernelText(plan.NAT_TABLE), 0]) }]);
  const payload = new Uint8Array(4 + table.length);
  payload[0] = NFPROTO_IPV4;
  payload.set(table, 4);
  return { type: NFT_GETRULE, payload };
}
const routeDumpRequest = () => {
  const payload = new Uint8Array(RTMSG_SIZE);
  payload[0] = AF_INET;
  return { type: RTM_GETROUTE, payload };
};

/** The dump read the cheapest way the library has (bytes handed over, no message objects), counted. */
async function rawDump(connect, request) {
  const conn = connect();
  let replies = 0;
  try {
    await conn.dump(request, { onBody: () => replies++ });
    return replies;
  } finally {
    conn.close();
  }
}

/** The rules as plain objects of listRules' shape, byte values included. */
function ruleObjects(count) {
  const out = [];
  for (let i = 0; i < count; i++) {
    const port = plan.dnatPort(i);
    out.push({
      table: plan.NAT_TABLE, chain: 'pre', handle: BigInt(i + 4), expressions: [
        { type: 'meta', key: 'l4proto', dreg: 1 },
        { type: 'cmp', sreg: 1, op: 'eq', data: { value: Uint8Array.of(6) } },
        { type: 'payload', dreg: 1, base: 'transport', offset: 2, len: 2 },
        { type: 'cmp', sreg: 1, op: 'eq', data: { value: Uint8Array.of(port >> 8, port & 0xff) } },
        { type: 'immediate', dreg: 1, data: { value: Uint8Array.of(10, 201, (i >> 8) & 0xff, i & 0xff) } },
        { type: 'immediate', dreg: 2, data: { value: Uint8Array.of(0x1f, 0x90) } },
        { type: 'nat', natType: 'dnat', family: 'ip', addrMin: 1, addrMax: 1, protoMin: 2, protoMax: 2, flags: ['map-ips', 'proto-specified'] },
      ],
      family: 'ip',
    });
  }
  return out.length;
}

/** The routes as plain objects of Route's shape, each destination made into a string. */
function routeObjects(count) {
  const out = [];
  for (let i = 0; i < count; i++) {
    const to = `10.${(i >> 16) & 255}.${(i >> 8) & 255}.${i & 255}/32`;
    out.push({ family: 'inet', to, table: 254, type: 'unicast', protocol: 'boot', scope: 'link', tos: 0, flags: [], ifindex: 2 + (i % 1000) });
  }
  return out.length;
}

const time = async (fn) => {
  const t = performance.now();
  const n = await fn();
  return { ms: performance.now() - t, n };
};
const median = (xs) => xs.slice().sort((a, b) => a - b)[xs.length >> 1];

/**
 * Each stage's median over REPS runs, after WARM_UPS untimed ones: one stage after the other,
 * so each run pays for the garbage of runs of its own kind (as the warm contender measures),
 * not for another stage's.
 */
async function measure(stages) {
  const rows = [];
  for (const [name, stage] of Object.entries(stages)) {
    const ms = [];
    let count = 0;
    for (let run = 0; run < WARM_UPS + REPS; run++) {
      const r = await time(stage);
      count = r.n;
      if (run >= WARM_UPS) ms.push(r.ms);
    }
    rows.push({ name, ms: median(ms), count });
  }
  return rows;
}

/** The C floor's own time (process start excluded), REPS runs. */
function floorRow(args) {
  const own = [];
  let count = 0;
  for (let i = 0; i < REPS; i++) {
    const r = floor(...args);
    own.push(r.ms);
    count = r.count;
  }
  return { name: 'C floor', ms: median(own), count };
}

function report(title, floorRowOf, rows) {
  rows = [floorRowOf, ...rows];
  const floorMs = floorRowOf.ms;
  const raw = rows.find((r) => r.name === 'raw dump').ms;
  const objects = rows.find((r) => r.name === 'objects').ms;
  console.log(`\n${title} (medians of ${REPS})`);
  for (const r of rows) console.log(`  ${r.name.padEnd(10)} ${r.ms.toFixed(2).padStart(8)} ms  ${(r.ms / floorMs).toFixed(2)}× floor  (${r.count} objects)`);
  console.log(`  raw dump + objects: ${(raw + objects).toFixed(2)} ms, ${((raw + objects) / floorMs).toFixed(2)}× floor: the least a typed listing costs here`);
}

await contender.workloads.nft.load({ n: RULES });
try {
  const rules = ruleDumpRequest();
  const netfilter = () => nt.connect({ protocol: NETLINK_NETFILTER });
  const js = await measure({
    'raw dump': () => rawDump(netfilter, rules),
    objects: () => ruleObjects(RULES),
    'netns-ts': async () => (await contender.workloads.nft.list({ n: RULES })).count,
  });
  report(`listing ${RULES} rules`, floorRow(['nft-list']), js);
} finally {
  await contender.deleteNatTable();
}

await state.buildDumpFixture(1000);
try {
  const inDump = () => nt.connectInNetns(plan.DUMP_NETNS);
  const routes = routeDumpRequest();
  const routeCount = await rawDump(inDump, routes);
  const js = await measure({
    'raw dump': () => rawDump(inDump, routes),
    objects: () => routeObjects(routeCount),
    'netns-ts': async () => (await contender.workloads.dumps.routes({ netns: plan.DUMP_NETNS })).count,
  });
  report('dumping the IPv4 routes', floorRow(['dump', 'routes', plan.DUMP_NETNS]), js);
} finally {
  state.destroyDumpFixture();
}
