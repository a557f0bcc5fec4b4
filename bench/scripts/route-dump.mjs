// 10,000-route dump: raw kernel dump (messages collected, nothing decoded) vs dump decoded to
// typed Route objects (Routes.list) vs `ip -j route show` wall time. Run inside the sandbox:
//   cd /work/main && npx tsc -p tsconfig.build.json && unshare --net --mount --propagation private -- sh -c \
//     'mount -t tmpfs netns-ts-run /run && mkdir -p /run/netns && ip link set lo up && node --expose-gc bench/scripts/route-dump.mjs'
import { execFileSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
const dist = new URL('../../dist', import.meta.url).pathname;
const { connect } = await import(`${dist}/netlink/connect.js`);
const { Routes } = await import(`${dist}/route/routes.js`);
const { routeMessage } = await import(`${dist}/netlink/route/route.js`);
const { bodyWriter } = await import(`${dist}/netlink/message.js`);

const N = Number(process.env.ROUTES ?? 10000);
execFileSync('ip', ['link', 'add', 'b0', 'type', 'veth', 'peer', 'name', 'b1']);
execFileSync('ip', ['link', 'set', 'b0', 'up']);
execFileSync('ip', ['addr', 'add', '192.168.200.1/24', 'dev', 'b0']);
const lines = [];
for (let i = 0; i < N; i++) lines.push(`route add 10.${(i >> 8) & 255}.${i & 255}.0/24 via 192.168.200.2 metric ${i % 7}`);
writeFileSync('/tmp/routes.batch', lines.join('\n') + '\n');
execFileSync('ip', ['-batch', '/tmp/routes.batch']);

const conn = connect({ receiveBuffer: 8 << 20 });
const routes = new Routes(conn);
const w = bodyWriter();
routeMessage.encode(w, { header: { family: 2, dstLen: 0, srcLen: 0, tos: 0, table: 254, protocol: 0, scope: 0, type: 0, flags: 0 }, attributes: {} });
const request = { type: 26, typeName: 'RTM_GETROUTE', payload: w.finish().slice(), spans: w.spans };

const median = (xs) => xs.slice().sort((a, b) => a - b)[Math.floor(xs.length / 2)];
// Wall time, and CPU time of this process (user + system: the kernel builds dump parts inside
// our recvmsg calls), which other processes on a busy machine disturb much less.
const cpu = [];
const ms = async (fn, cpuOut) => {
  const c = process.cpuUsage();
  const t = process.hrtime.bigint();
  await fn();
  const wall = Number(process.hrtime.bigint() - t) / 1e6;
  const used = process.cpuUsage(c);
  cpuOut?.push((used.user + used.system) / 1000);
  return wall;
};
let count = 0;
let typed = 0;
const rawDump = async () => { count = (await conn.dump(request)).length; };
const typedList = async () => { typed = (await routes.list({ table: 'main', family: 'inet' })).length; };
for (let i = 0; i < 5; i++) { await rawDump(); await typedList(); } // warm up (JIT)
const RUNS = Number(process.env.RUNS ?? 31);
const raw = [], decoded = [], ipRuns = [], rawCpu = [], decodedCpu = [];
// One series after the other (each run's garbage is collected during the following runs of
// the same kind), the heap collected before each series when node runs with --expose-gc.
globalThis.gc?.();
for (let i = 0; i < RUNS; i++) raw.push(await ms(rawDump, rawCpu));
globalThis.gc?.();
for (let i = 0; i < RUNS; i++) decoded.push(await ms(typedList, decodedCpu));
for (let i = 0; i < 7; i++) ipRuns.push(await ms(async () => execFileSync('ip', ['-4', '-j', 'route', 'show'], { maxBuffer: 256 << 20 })));
const r = (x) => +x.toFixed(2);
console.log(JSON.stringify({
  routes: typed, messages: count,
  rawDumpMs: { median: r(median(raw)), min: r(Math.min(...raw)) },
  dumpDecodeTypedMs: { median: r(median(decoded)), min: r(Math.min(...decoded)) },
  ratio: { median: r(median(decoded) / median(raw)), min: r(Math.min(...decoded) / Math.min(...raw)) },
  cpuMs: { raw: r(median(rawCpu)), typed: r(median(decodedCpu)), ratio: r(median(decodedCpu) / median(rawCpu)) },
  ipJsonWallMs: { median: r(median(ipRuns)), min: r(Math.min(...ipRuns)) },
}));
conn.close();
