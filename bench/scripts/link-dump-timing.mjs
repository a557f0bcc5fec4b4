#!/usr/bin/env node
// Timing of a 1000-link dump, for the benchmark (not a test): raw kernel dump through the
// Connection, the same dump decoded to typed Links, with the heavy parts (statistics, IPv4 and
// IPv6 settings) read too, and `ip -j link`. Runs the compiled library (dist/), inside the
// throwaway sandbox only, since it creates 1000 links:
//
//   npx tsc -p tsconfig.build.json && unshare --net --mount --propagation private -- sh -c \
//     'mount -t tmpfs netns-ts-run /run && mount -t sysfs netns-ts-sys /sys && ip link set lo up && \
//      NETNS_TS_SANDBOX=1 node bench/scripts/link-dump-timing.mjs [PAIRS]'
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';

if (process.env.NETNS_TS_SANDBOX !== '1' || !/ \/run .* - tmpfs netns-ts-run /.test(readFileSync('/proc/self/mountinfo', 'utf8'))) {
  console.error('link-dump-timing: run me inside the sandbox (see the comment at the top)');
  process.exit(1);
}
const dist = new URL('../../dist/', import.meta.url);
const { connect } = await import(new URL('netlink/connect.js', dist).href);
const { Links } = await import(new URL('route/links.js', dist).href);
const { toOutgoing, dumpLinksRequest } = await import(new URL('route/link-requests.js', dist).href);

const pairs = Number(process.argv[2] ?? 500);
execFileSync('ip', ['-batch', '-'], { input: Array.from({ length: pairs }, (_, i) => `link add p${i}a type veth peer name p${i}b`).join('\n') });
const conn = connect({ receiveBuffer: 8 << 20 });
const links = new Links(conn);
const request = toOutgoing(dumpLinksRequest());
const time = async (run) => {
  const start = process.hrtime.bigint();
  await run();
  return Number(process.hrtime.bigint() - start) / 1e6;
};
const raw = () => conn.dump(request);
const typed = () => links.list();
const everything = async () => {
  for (const l of await links.list()) void [l.stats, l.ipv4, l.ipv6];
};
for (let i = 0; i < 10; i++) for (const run of [raw, typed, everything]) await time(run);
const samples = { raw: [], typed: [], everything: [], ip: [] };
for (let i = 0; i < 30; i++) {
  samples.raw.push(await time(raw));
  samples.typed.push(await time(typed));
  samples.everything.push(await time(everything));
}
for (let i = 0; i < 10; i++) samples.ip.push(await time(async () => execFileSync('ip', ['-j', 'link'], { maxBuffer: 1 << 28 })));
const median = (values) => [...values].sort((a, b) => a - b)[values.length >> 1];
const m = Object.fromEntries(Object.entries(samples).map(([k, v]) => [k, median(v)]));
console.log(
  `${pairs * 2 + 1} links (medians): raw dump ${m.raw.toFixed(1)} ms | dump + typed Links ${m.typed.toFixed(1)} ms (${(m.typed / m.raw).toFixed(2)}x) | ` +
    `+ stats/ipv4/ipv6 read ${m.everything.toFixed(1)} ms | ip -j link ${m.ip.toFixed(1)} ms`,
);
conn.close();
