#!/usr/bin/env node
// What loading 10,000 DNAT rules costs in Node.js at the least, beside netns-ts and the C floor,
// in one process and one run (not a test). Interleaved, medians of REPS (default 9):
//
// - C floor: bench/floor (libnftnl), its own time, process start excluded;
// - JS bytes floor: the same batch written byte by byte by hand (libnftnl's attribute order),
//   sent through the binding, BATCH_END's ack awaited — what any Node program must pay at least;
// - JS objects: only building the 10,000 rules as plain expression objects (no library at all),
//   kept alive as a batch keeps them — what any API taking rules as objects makes its caller pay;
// - netns-ts: building the rules with its helpers, encoding the batch (encodeBatch) and
//   NftClient.apply (encode, send, kernel, replies), each timed.
//
//   npx tsc -p tsconfig.build.json; make -C bench/floor
//   unshare --net --mount --propagation private -- sh -c 'mount -t tmpfs netns-ts-run /run && \
//     mount -t sysfs netns-ts-sys /sys && ip link set lo up && NETNS_TS_SANDBOX=1 node bench/scripts/nft-load-floors.mjs'
import { execFileSync, spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

if (process.env.NETNS_TS_SANDBOX !== '1' || !/ \/run .* - tmpfs netns-ts-run /.test(readFileSync('/proc/self/mountinfo', 'utf8'))) {
  console.error('nft-load-floors: run me inside the sandbox (see the comment at the top)');
  process.exit(1);
}
const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const nt = await import(join(root, 'dist', 'index.js'));
const { native } = await import(join(root, 'dist', 'native', 'binding.js'));
const N = 10_000;
const REPS = Number(process.env.REPS ?? 9);
const TABLE = 'benchnat';
const floor = join(root, 'bench', 'floor', 'floor');
const clean = () => spawnSync('nft', ['delete', 'table', 'ip', TABLE]);

// uapi: <linux/netlink.h>, <linux/netfilter/nfnetlink.h>, <linux/netfilter/nf_tables.h>
const NETLINK_NETFILTER = 12;
const NLM_F_ACK = 0x4;
const NLM_F_CREATE = 0x400;
const NLM_F_APPEND = 0x800;
const NLMSG_ERROR = 2;
const NFNL_MSG_BATCH_BEGIN = 0x10;
const NFNL_MSG_BATCH_END = 0x11;
const NFNL_SUBSYS_NFTABLES = 10;
const msgType = (m) => (NFNL_SUBSYS_NFTABLES << 8) | m;
const NFT_MSG_NEWTABLE = 0;
const NFT_MSG_NEWCHAIN = 3;
const NFT_MSG_NEWRULE = 6;
const NFPROTO_IPV4 = 2;
const NLA_F_NESTED = 0x8000;
const SOL_SOCKET = 1;
const SO_SNDBUFFORCE = 32;
const SO_RCVBUFFORCE = 33;

/** The batch the C floor sends, written by hand into one buffer. */
function handWrittenBatch() {
  const buf = new Uint8Array(N * 400 + 4096);
  const dv = new DataView(buf.buffer);
  const text = new TextEncoder();
  let at = 0;
  let seq = 1;
  const header = (type, flags) => {
    const start = at;
    dv.setUint16(at + 4, type, true);
    dv.setUint16(at + 6, flags | 1, true);
    dv.setUint32(at + 8, seq++, true);
    at += 16;
    return start;
  };
  const endMessage = (start) => dv.setUint32(start, at - start, true);
  const nfgenmsg = (family, resId = 0) => {
    buf[at] = family;
    dv.setUint16(at + 2, resId, false);
    at += 4;
  };
  const begin = (type) => {
    const start = at;
    dv.setUint16(at + 2, type, true);
    at += 4;
    return start;
  };
  const end = (start) => {
    dv.setUint16(start, at - start, true);
    while (at & 3) buf[at++] = 0;
  };
  const string = (type, bytes) => {
    const s = begin(type);
    buf.set(bytes, at);
    at += bytes.length;
    buf[at++] = 0;
    end(s);
  };
  const u32 = (type, v) => {
    const s = begin(type);
    dv.setUint32(at, v, false);
    at += 4;
    end(s);
  };
  const data = (type, ...bytes) => {
    const outer = begin(type | NLA_F_NESTED);
    const value = begin(1);
    for (const b of bytes) buf[at++] = b;
    end(value);
    end(outer);
  };
  const table = text.encode(TABLE);
  const chain = text.encode('pre');
  const names = Object.fromEntries(['meta', 'cmp', 'payload', 'immediate', 'nat'].map((n) => [n, text.encode(n)]));
  const expression = (name, body) => {
    const element = begin(1 | NLA_F_NESTED);
    string(1, names[name]);
    const attributes = begin(2 | NLA_F_NESTED);
    body();
    end(attributes);
    end(element);
  };
  let m = header(NFNL_MSG_BATCH_BEGIN, 0);
  nfgenmsg(0, NFNL_SUBSYS_NFTABLES);
  endMessage(m);
  m = header(msgType(NFT_MSG_NEWTABLE), NLM_F_CREATE);
  nfgenmsg(NFPROTO_IPV4);
  string(1, table);
  endMessage(m);
  m = header(msgType(NFT_MSG_NEWCHAIN), NLM_F_CREATE);
  nfgenmsg(NFPROTO_IPV4);
  string(1, table);
  string(3, chain);
  const hook = begin(4 | NLA_F_NESTED);
  u32(1, 0); // NF_INET_PRE_ROUTING
  u32(2, -100 >>> 0);
  end(hook);
  string(7, text.encode('nat'));
  endMessage(m);
  for (let i = 0; i < N; i++) {
    const port = 1024 + i;
    m = header(msgType(NFT_MSG_NEWRULE), NLM_F_CREATE | NLM_F_APPEND);
    nfgenmsg(NFPROTO_IPV4);
    string(1, table);
    string(2, chain);
    const list = begin(4 | NLA_F_NESTED);
    expression('meta', () => { u32(2, 16); u32(1, 1); }); // l4proto => reg 1
    expression('cmp', () => { u32(1, 1); u32(2, 0); data(3, 6); });
    expression('payload', () => { u32(1, 1); u32(2, 2); u32(3, 2); u32(4, 2); }); // th dport
    expression('cmp', () => { u32(1, 1); u32(2, 0); data(3, port >> 8, port & 0xff); });
    expression('immediate', () => { u32(1, 1); data(2, 10, 201, (i >> 8) & 0xff, i & 0xff); });
    expression('immediate', () => { u32(1, 2); data(2, 0x1f, 0x90); });
    expression('nat', () => { u32(1, 1); u32(2, NFPROTO_IPV4); u32(3, 1); u32(5, 2); u32(7, 2); });
    end(list);
    endMessage(m);
  }
  m = header(NFNL_MSG_BATCH_END, NLM_F_ACK);
  nfgenmsg(0, NFNL_SUBSYS_NFTABLES);
  endMessage(m);
  return buf.subarray(0, at);
}

/** Build, send and await BATCH_END's ack on a socket of our own: the JS bytes floor. */
function bytesFloor() {
  const fd = native.socketOpen(NETLINK_NETFILTER, -1);
  try {
    native.setsockoptInt(fd, SOL_SOCKET, SO_SNDBUFFORCE, 16 << 20);
    native.setsockoptInt(fd, SOL_SOCKET, SO_RCVBUFFORCE, 16 << 20);
    native.socketBind(fd, 0);
    const t0 = performance.now();
    native.socketSend(fd, [handWrittenBatch()]);
    for (;;) {
      const got = native.socketRecv(fd);
      if (!got) continue; // the ack is queued by the time sendmsg returns; a spin at most
      const view = new DataView(got.data.buffer, got.data.byteOffset);
      if (view.getUint16(4, true) !== NLMSG_ERROR) continue;
      const errno = view.getInt32(16, true);
      if (errno !== 0) throw new Error(`batch refused: errno ${-errno}`);
      return performance.now() - t0;
    }
  } finally {
    native.socketClose(fd);
  }
}

/** Only the objects: the rules as plain expression objects, kept alive as a batch keeps them. */
function plainObjects() {
  const rules = [];
  for (let i = 0; i < N; i++) {
    const port = 1024 + i;
    rules.push({
      family: 'ip', table: TABLE, chain: 'pre', expressions: [
        { type: 'meta', key: 'l4proto', dreg: 1 },
        { type: 'cmp', sreg: 1, op: 'eq', data: { value: Uint8Array.of(6) } },
        { type: 'payload', dreg: 1, base: 'transport', offset: 2, len: 2 },
        { type: 'cmp', sreg: 1, op: 'eq', data: { value: Uint8Array.of(port >> 8, port & 0xff) } },
        { type: 'immediate', dreg: 1, data: { value: Uint8Array.of(10, 201, (i >> 8) & 0xff, i & 0xff) } },
        { type: 'immediate', dreg: 2, data: { value: Uint8Array.of(0x1f, 0x90) } },
        { type: 'nat', natType: 'dnat', family: 'ip', addrMin: 1, protoMin: 2, flags: ['proto-specified'] },
      ],
    });
  }
  return rules;
}

/** The rules as the bench contender builds them, with the library's match helpers. */
function libraryCommands() {
  const m = nt.natMatches;
  const cmds = [
    nt.addTable({ family: 'ip', name: TABLE }),
    nt.addChain({ family: 'ip', table: TABLE, name: 'pre', type: 'nat', hook: 'prerouting', priority: -100, policy: 'accept' }),
  ];
  for (let i = 0; i < N; i++) {
    const address = nt.parseIp(`10.201.${(i >> 8) & 255}.${i & 255}`).bytes;
    const expressions = [...m.matchProtocol('tcp'), ...m.matchPort('dport', [1024 + i, 1024 + i]), ...m.dnatTo(4, address, [8080, 8080])];
    cmds.push(nt.addRule({ family: 'ip', table: TABLE, chain: 'pre', expressions }));
  }
  return cmds;
}

/** The same commands from a prepared rule (prepareRule): the rule encoded once, each port and address written in. */
function preparedCommands() {
  const m = nt.natMatches;
  const forward = nt.prepareRule({ family: 'ip', table: TABLE, chain: 'pre' }, { port: 'port', address: 'ipv4' }, (s) => [
    ...m.matchProtocol('tcp'),
    ...m.matchPort('dport', [s.port, s.port]),
    ...m.dnatTo(4, s.address, [8080, 8080]),
  ]);
  const cmds = [
    nt.addTable({ family: 'ip', name: TABLE }),
    nt.addChain({ family: 'ip', table: TABLE, name: 'pre', type: 'nat', hook: 'prerouting', priority: -100, policy: 'accept' }),
  ];
  for (let i = 0; i < N; i++) cmds.push(forward.add({ port: 1024 + i, address: `10.201.${(i >> 8) & 255}.${i & 255}` }));
  return cmds;
}

const time = (fn) => {
  const t0 = performance.now();
  const out = fn();
  return [performance.now() - t0, out];
};
const samples = { c: [], bytes: [], objects: [], build: [], encode: [], apply: [], prepared: [], preparedApply: [] };
let kept;
clean();
for (let rep = 0; rep < REPS + 2; rep++) {
  const c = JSON.parse(execFileSync(floor, ['nft-load', String(N)])).ms;
  clean();
  const bytes = bytesFloor();
  clean();
  const [objects, plain] = time(plainObjects);
  // (Dropped before the library's turn: kept alive, they were copied by every scavenge of it.)
  kept = plain.length;
  const [build, cmds] = time(libraryCommands);
  const [encode] = time(() => nt.encodeBatch({ commands: cmds }));
  const client = new nt.NftClient(nt.connect({ protocol: NETLINK_NETFILTER }));
  const t0 = performance.now();
  await client.apply(cmds);
  const apply = performance.now() - t0;
  clean();
  const [prepared, preparedCmds] = time(preparedCommands);
  const t1 = performance.now();
  await client.apply(preparedCmds);
  const preparedApply = performance.now() - t1;
  client.close();
  clean();
  if (rep < 2) continue; // JIT warm-up
  for (const [k, v] of Object.entries({ c, bytes, objects, build, encode, apply, prepared, preparedApply })) samples[k].push(v);
}
void kept;
const median = (xs) => [...xs].sort((a, b) => a - b)[xs.length >> 1];
const m = Object.fromEntries(Object.entries(samples).map(([k, v]) => [k, median(v)]));
const f = (x) => `${x.toFixed(1)} ms`;
console.log(`${N} DNAT rules, medians of ${REPS} (warm process):`);
console.log(`  C floor (libnftnl)                      ${f(m.c)}`);
console.log(`  JS bytes floor (hand-written batch)     ${f(m.bytes)}  (${(m.bytes / m.c).toFixed(2)}x the C floor)`);
console.log(`  JS objects only (no library)            ${f(m.objects)}  (${((m.objects / m.c) * 100).toFixed(0)}% of the C floor)`);
console.log(`  netns-ts: build with helpers            ${f(m.build)}`);
console.log(`  netns-ts: encodeBatch                   ${f(m.encode)}`);
console.log(`  netns-ts: NftClient.apply (enc+kernel)  ${f(m.apply)}`);
console.log(`  netns-ts: build + apply                 ${f(m.build + m.apply)}  (${((m.build + m.apply) / m.c).toFixed(2)}x the C floor)`);
console.log(`  netns-ts: prepareRule + 10,000 add      ${f(m.prepared)}`);
console.log(`  netns-ts: NftClient.apply of those      ${f(m.preparedApply)}`);
console.log(`  netns-ts: prepared, in all              ${f(m.prepared + m.preparedApply)}  (${((m.prepared + m.preparedApply) / m.c).toFixed(2)}x the C floor)`);
