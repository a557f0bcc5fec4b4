#!/usr/bin/env node
// Codec throughput, no kernel needed: decode then re-encode 10,000 NFT_MSG_NEWRULE messages
// (`tcp dport P dnat to A:P`, from fixtures/netfilter/expr-dnat-address-port.json) through the
// message registry, the path fixtures, the trace and listRuleset's decoder share. Reports the
// median and minimum of several rounds, in wall and CPU time (process.cpuUsage: less disturbed
// by other processes on a shared machine), with the load average.
//
//   npx tsc -p tsconfig.build.json && node bench/scripts/codec-10k-rules.mjs [ROUNDS]
//   NETNS_TS_DIST=/other/checkout/dist node bench/scripts/codec-10k-rules.mjs   # compare a build
import { readFileSync } from 'node:fs';
import { loadavg } from 'node:os';

const root = new URL('../../', import.meta.url);
const dist = process.env.NETNS_TS_DIST ? `${process.env.NETNS_TS_DIST.replace(/\/$/, '')}/` : new URL('dist/', root).pathname;
const { decodeDatagram, encodeDecodedDatagram, registerProtocol } = await import(`${dist}netlink/registry.js`);
const { parseDatagram } = await import(`${dist}netlink/message.js`);
const { netfilterProtocol } = await import(`${dist}nft/protocol.js`);
registerProtocol(netfilterProtocol);

const NFT_MSG_NEWRULE = 6;
const fixture = JSON.parse(readFileSync(new URL('fixtures/netfilter/expr-dnat-address-port.json', root), 'utf8'));
const request = fixture.datagrams
  .filter((d) => d.direction === 'request')
  .map((d) => Buffer.from(d.hex, 'hex'))
  .sort((a, b) => b.length - a.length)[0];
const rule = parseDatagram(request).find((m) => (m.type & 0xff) === NFT_MSG_NEWRULE);
const one = request.subarray(rule.offset, rule.offset + rule.payload.length + 16);
const N = 10_000;
const big = Buffer.concat(Array.from({ length: N }, () => one));
const ROUNDS = Number(process.argv[2] ?? 15);

/** Wall and CPU milliseconds of `fn`, and its result. */
function measure(fn) {
  const cpu = process.cpuUsage();
  const t = performance.now();
  const value = fn();
  const wall = performance.now() - t;
  const used = process.cpuUsage(cpu);
  return { wall, cpu: (used.user + used.system) / 1000, value };
}

const samples = { decodeWall: [], decodeCpu: [], encodeWall: [], encodeCpu: [] };
for (let round = 0; round < ROUNDS; round++) {
  const d = measure(() => decodeDatagram('netfilter', big));
  const e = measure(() => encodeDecodedDatagram('netfilter', d.value));
  if (Buffer.compare(Buffer.from(e.value), big) !== 0) throw new Error('re-encoded bytes differ');
  if (round < 3) continue; // warm-up (JIT)
  samples.decodeWall.push(d.wall);
  samples.decodeCpu.push(d.cpu);
  samples.encodeWall.push(e.wall);
  samples.encodeCpu.push(e.cpu);
}
const median = (xs) => [...xs].sort((a, b) => a - b)[xs.length >> 1];
const f = (x) => x.toFixed(1).padStart(7);
console.log(`${N} NEWRULE messages (${big.length} bytes), ${ROUNDS - 3} rounds after 3 warm-up; load average ${loadavg().map((x) => x.toFixed(2)).join(' ')}`);
for (const what of ['decode', 'encode']) {
  const wall = samples[`${what}Wall`];
  const cpu = samples[`${what}Cpu`];
  console.log(`${what}: wall median ${f(median(wall))} ms  min ${f(Math.min(...wall))} ms | cpu median ${f(median(cpu))} ms  min ${f(Math.min(...cpu))} ms`);
}
