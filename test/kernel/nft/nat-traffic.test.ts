/**
 * The tutorial's NAT, installed through netns-ts, carrying real traffic between namespaces:
 *
 *   client 10.0.1.2 ── veth ── 10.0.1.1 router 10.0.2.1 ── veth ── 10.0.2.2 server
 *
 * The server has no route back to 10.0.1.0/24, so a connection from the client only works
 * when the router masquerades it (the server then sees the router's address). DNAT sends the
 * router's port 8080 to the server's port 80. Deleting a rule makes new connections fail.
 * Traffic only ever goes to addresses of the namespaces this test creates.
 */
import type { ChildProcess } from 'node:child_process';
import { afterEach, expect, it } from 'vitest';
import { createNetns, execInNetns, runInNetns, sysctlWrite } from '../../../src/netns/index.js';
import type { Expression } from '../../../src/nft/expression-codecs.js';
import { describeKernel, guardThreadNetns, ipNetnsDelete, randomName, sh } from '../sandbox.js';
import { nftScratch } from './nft-sandbox.js';

const T = 60_000;

/** `ip saddr 10.0.1.0/24 counter masquerade`, as nft generates it. */
const masqueradeLan: Expression[] = [
  { type: 'payload', dreg: 1, base: 'network', offset: 12, len: 3 },
  { type: 'cmp', sreg: 1, op: 'eq', data: { value: Uint8Array.of(10, 0, 1) } },
  { type: 'counter' },
  { type: 'masq' },
] as Expression[];

/** `tcp dport 8080 counter dnat to 10.0.2.2:80`, as nft generates it. */
const dnat8080: Expression[] = [
  { type: 'meta', key: 'l4proto', dreg: 1 },
  { type: 'cmp', sreg: 1, op: 'eq', data: { value: Uint8Array.of(6) } },
  { type: 'payload', dreg: 1, base: 'transport', offset: 2, len: 2 },
  { type: 'cmp', sreg: 1, op: 'eq', data: { value: Uint8Array.of(0x1f, 0x90) } },
  { type: 'counter' },
  { type: 'immediate', dreg: 1, data: { value: Uint8Array.of(10, 0, 2, 2) } },
  { type: 'immediate', dreg: 2, data: { value: Uint8Array.of(0, 80) } },
  { type: 'nat', natType: 'dnat', family: 'ip', addrMin: 1, protoMin: 2, flags: ['proto-specified'] },
] as Expression[];

/** A TCP server answering every connection with the peer address it sees. */
const SERVER = "require('net').createServer((s)=>s.end(s.remoteAddress)).listen(80,'10.0.2.2',()=>console.log('ready'))";
/** Connect, print what the server said, or the error code; give up after 2 s. */
const CLIENT = (host: string, port: number) =>
  `const s=require('net').connect(${port},'${host}');let d='';s.setTimeout(2000,()=>{console.log('TIMEOUT');process.exit(0)});` +
  `s.on('data',(x)=>d+=x);s.on('end',()=>{console.log('OK '+d);process.exit(0)});s.on('error',(e)=>{console.log(e.code);process.exit(0)})`;

describeKernel('NAT rules installed by netns-ts carry traffic', () => {
  guardThreadNetns();
  const scratch = nftScratch();
  const extra: string[] = [];
  const servers: ChildProcess[] = [];
  afterEach(() => {
    for (const s of servers.splice(0)) s.kill('SIGKILL');
    for (const n of extra.splice(0)) ipNetnsDelete(n);
  });

  async function topology() {
    const [client, router, server] = ['cli', 'rtr', 'srv'].map((p) => {
      const n = randomName(p);
      extra.push(n);
      createNetns(n);
      return n;
    }) as [string, string, string];
    const ip = (ns: string, ...args: string[]) => sh('ip', ['-n', ns, ...args]);
    ip(client, 'link', 'add', 'c0', 'type', 'veth', 'peer', 'name', 'r0', 'netns', router);
    ip(router, 'link', 'add', 'r1', 'type', 'veth', 'peer', 'name', 's0', 'netns', server);
    ip(client, 'addr', 'add', '10.0.1.2/24', 'dev', 'c0');
    ip(router, 'addr', 'add', '10.0.1.1/24', 'dev', 'r0');
    ip(router, 'addr', 'add', '10.0.2.1/24', 'dev', 'r1');
    ip(server, 'addr', 'add', '10.0.2.2/24', 'dev', 's0');
    for (const [ns, dev] of [[client, 'c0'], [router, 'r0'], [router, 'r1'], [server, 's0']] as const) ip(ns, 'link', 'set', dev, 'up');
    for (const ns of [client, router, server]) ip(ns, 'link', 'set', 'lo', 'up');
    ip(client, 'route', 'add', 'default', 'via', '10.0.1.1');
    sysctlWrite(router, 'net.ipv4.ip_forward', 1);
    // The server listens; it has no route back to the client's network.
    const srv = execInNetns(server, [process.execPath, '-e', SERVER], { stdio: ['ignore', 'pipe', 'inherit'] });
    servers.push(srv);
    await new Promise<void>((resolve, reject) => {
      srv.stdout!.once('data', () => resolve());
      srv.once('exit', (code) => reject(new Error(`server exited with ${code}`)));
    });
    const nat = scratch.client(router);
    await nat.addTable({ family: 'ip', name: 'nat' });
    await nat.addChain({ family: 'ip', table: 'nat', name: 'POSTROUTING', type: 'nat', hook: 'postrouting', priority: 'srcnat', policy: 'accept' });
    await nat.addChain({ family: 'ip', table: 'nat', name: 'PREROUTING', type: 'nat', hook: 'prerouting', priority: 'dstnat', policy: 'accept' });
    const connect = async (host: string, port: number) => (await runInNetns(client, [process.execPath, '-e', CLIENT(host, port)], { timeoutMs: 10_000 })).stdout.trim();
    return { nat, connect };
  }

  it('MASQUERADE: the server sees the router\'s address; without the rule the connection fails', async () => {
    const { nat, connect } = await topology();
    // No NAT yet: the server's answer has no way back.
    expect(await connect('10.0.2.2', 80)).toBe('TIMEOUT');
    const { handle } = await nat.addRule({ family: 'ip', table: 'nat', chain: 'POSTROUTING', expressions: masqueradeLan, comment: 'masquerade lan' });
    expect(await connect('10.0.2.2', 80)).toBe('OK 10.0.2.1');
    await nat.deleteRule({ family: 'ip', table: 'nat', chain: 'POSTROUTING', handle });
    expect(await connect('10.0.2.2', 80)).toBe('TIMEOUT');
  }, T);

  it('DNAT: the router\'s port 8080 reaches the server\'s port 80; after deleting the rule it does not', async () => {
    const { nat, connect } = await topology();
    await nat.addRule({ family: 'ip', table: 'nat', chain: 'POSTROUTING', expressions: masqueradeLan });
    expect(await connect('10.0.1.1', 8080)).toBe('ECONNREFUSED');
    const { handle } = await nat.addRule({ family: 'ip', table: 'nat', chain: 'PREROUTING', expressions: dnat8080, comment: 'forward 8080' });
    expect(await connect('10.0.1.1', 8080)).toBe('OK 10.0.2.1');
    const listed = await nat.listRuleset();
    const counter = listed.rules.find((r) => r.handle === handle)?.expressions?.find((e) => e.type === 'counter') as { packets?: bigint } | undefined;
    expect(counter?.packets).toBeGreaterThan(0n);
    await nat.deleteRule({ family: 'ip', table: 'nat', chain: 'PREROUTING', handle });
    expect(await connect('10.0.1.1', 8080)).toBe('ECONNREFUSED');
  }, T);
});
