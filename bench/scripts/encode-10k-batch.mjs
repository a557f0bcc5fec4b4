#!/usr/bin/env node
// Encoding cost of the 10,000-DNAT-rule batch of nft-10k.mjs without a kernel: build the
// commands (addRule …), serialize the batch (encodeBatch), and frame it as the connection does
// (nlmsghdr per message, one datagram, through a fake kernel that acks BATCH_END). Median and
// minimum of several rounds, wall and CPU time, with the load average.
//
//   npx tsc -p tsconfig.build.json && node bench/scripts/encode-10k-batch.mjs [ROUNDS]
//   NETNS_TS_DIST=/other/checkout/dist node bench/scripts/encode-10k-batch.mjs
import { loadavg } from 'node:os';
import { dnatRule } from './dnat-rule.mjs';

const dist = process.env.NETNS_TS_DIST ? `${process.env.NETNS_TS_DIST.replace(/\/$/, '')}/` : new URL('../../dist/', import.meta.url).pathname;
const { addRule, addTable, addChain, encodeBatch } = await import(`${dist}nft/index.js`);
const { Connection } = await import(`${dist}netlink/connection.js`);
const { FakeKernel } = await import(`${dist}netlink/testing/fake-kernel.js`);

const N = 10_000;
const TABLE = 'benchnat';
const ROUNDS = Number(process.argv[2] ?? 15);

const dnat = (i) => dnatRule(addRule, TABLE, i);
const commandsFor = () => [
  addTable({ family: 'ip', name: TABLE }),
  addChain({ family: 'ip', table: TABLE, name: 'pre', type: 'nat', hook: 'prerouting', priority: -100 }),
  ...Array.from({ length: N }, (_, i) => dnat(i)),
];

// The kernel's side of a batch in errors-only ack mode: one ack, for BATCH_END.
const NLM_F_ACK = 4;
const kernel = new FakeKernel((msg, k) => (msg.flags & NLM_F_ACK ? k.ack(msg) : undefined));
const conn = new Connection(kernel);

async function measure(fn) {
  const cpu = process.cpuUsage();
  const t = performance.now();
  const value = await fn();
  const wall = performance.now() - t;
  const used = process.cpuUsage(cpu);
  return { wall, cpu: (used.user + used.system) / 1000, value };
}

const phases = ['build', 'encode', 'send'];
const samples = Object.fromEntries(phases.flatMap((p) => [[`${p}Wall`, []], [`${p}Cpu`, []]]));
let bytes = 0;
for (let round = 0; round < ROUNDS; round++) {
  const build = await measure(commandsFor);
  const encode = await measure(() => encodeBatch({ commands: build.value }));
  const send = await measure(() => conn.batch(encode.value.messages));
  if (send.value.at(-1).status !== 'acked') throw new Error('BATCH_END was not acked');
  bytes = encode.value.size;
  kernel.sent.length = 0;
  kernel.received.length = 0;
  if (round < 3) continue; // warm-up (JIT)
  for (const [p, m] of [['build', build], ['encode', encode], ['send', send]]) {
    samples[`${p}Wall`].push(m.wall);
    samples[`${p}Cpu`].push(m.cpu);
  }
}
conn.close();
const median = (xs) => [...xs].sort((a, b) => a - b)[xs.length >> 1];
const f = (x) => x.toFixed(1).padStart(7);
console.log(`${N} DNAT rules (${bytes} bytes), ${ROUNDS - 3} rounds after 3 warm-up; load average ${loadavg().map((x) => x.toFixed(2)).join(' ')}`);
for (const p of phases) {
  const wall = samples[`${p}Wall`];
  const cpu = samples[`${p}Cpu`];
  console.log(`${p.padEnd(6)}: wall median ${f(median(wall))} ms  min ${f(Math.min(...wall))} ms | cpu median ${f(median(cpu))} ms  min ${f(Math.min(...cpu))} ms`);
}
