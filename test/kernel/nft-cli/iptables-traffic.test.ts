/**
 * The tutorial's two iptables commands, run through `netns-ts iptables`, carrying real traffic:
 *
 *   inside 192.168.15.2 ── veth ── 192.168.15.1 router 10.0.2.1 ── veth ── 10.0.2.2 outside
 *
 *   iptables -t nat -A POSTROUTING -s 192.168.15.0/24 -j MASQUERADE
 *   iptables -t nat -A PREROUTING -p tcp --dport 80 -j DNAT --to-destination 192.168.15.2:80
 *
 * The outside host has no route back to 192.168.15.0/24: a connection from inside only works
 * masqueraded (the outside server then sees the router's address). The router listens on no
 * port: a connection from outside to its port 80 only works through the DNAT. After `-D` new
 * connections fail again. Traffic only goes to addresses of the namespaces this test creates.
 */
import type { ChildProcess } from 'node:child_process';
import { afterEach, expect, it } from 'vitest';
import { runIptables } from '../../../src/cli/iptables/index.js';
import { createNetns, execInNetns, runInNetns, sysctlWrite } from '../../../src/netns/index.js';
import { describeKernel, guardThreadNetns, ipNetnsDelete, randomName, sh } from '../sandbox.js';
import { testContext, type TestContext } from './cli-context.js';

const T = 60_000;
const MASQUERADE = ['-t', 'nat', '-A', 'POSTROUTING', '-s', '192.168.15.0/24', '-j', 'MASQUERADE'];
const DNAT = ['-t', 'nat', '-A', 'PREROUTING', '-p', 'tcp', '--dport', '80', '-j', 'DNAT', '--to-destination', '192.168.15.2:80'];

/** A TCP server answering every connection with the peer address it sees. */
const SERVER = (address: string) => `require('net').createServer((s)=>s.end(s.remoteAddress)).listen(80,'${address}',()=>console.log('ready'))`;
/** Connect, print what the server said, or the error code; give up after 2 s. */
const CLIENT = (host: string, port: number) =>
  `const s=require('net').connect(${port},'${host}');let d='';s.setTimeout(2000,()=>{console.log('TIMEOUT');process.exit(0)});` +
  `s.on('data',(x)=>d+=x);s.on('end',()=>{console.log('OK '+d);process.exit(0)});s.on('error',(e)=>{console.log(e.code);process.exit(0)})`;

describeKernel('the tutorial\'s iptables NAT commands through netns-ts iptables carry traffic', () => {
  guardThreadNetns();
  const namespaces: string[] = [];
  const servers: ChildProcess[] = [];
  const contexts: TestContext[] = [];
  afterEach(() => {
    for (const s of servers.splice(0)) s.kill('SIGKILL');
    for (const c of contexts.splice(0)) c.close();
    for (const n of namespaces.splice(0)) ipNetnsDelete(n);
  });

  async function serve(ns: string, address: string): Promise<void> {
    const server = execInNetns(ns, [process.execPath, '-e', SERVER(address)], { stdio: ['ignore', 'pipe', 'inherit'] });
    servers.push(server);
    await new Promise<void>((resolve, reject) => {
      server.stdout!.once('data', () => resolve());
      server.once('exit', (code) => reject(new Error(`server exited with ${code}`)));
    });
  }

  function topology() {
    const [inside, router, outside] = ['in', 'rtr', 'out'].map((p) => {
      const n = randomName(p);
      namespaces.push(n);
      createNetns(n);
      return n;
    }) as [string, string, string];
    const ip = (ns: string, ...args: string[]) => sh('ip', ['-n', ns, ...args]);
    ip(inside, 'link', 'add', 'i0', 'type', 'veth', 'peer', 'name', 'r0', 'netns', router);
    ip(router, 'link', 'add', 'r1', 'type', 'veth', 'peer', 'name', 'o0', 'netns', outside);
    ip(inside, 'addr', 'add', '192.168.15.2/24', 'dev', 'i0');
    ip(router, 'addr', 'add', '192.168.15.1/24', 'dev', 'r0');
    ip(router, 'addr', 'add', '10.0.2.1/24', 'dev', 'r1');
    ip(outside, 'addr', 'add', '10.0.2.2/24', 'dev', 'o0');
    for (const [ns, dev] of [[inside, 'i0'], [router, 'r0'], [router, 'r1'], [outside, 'o0']] as const) ip(ns, 'link', 'set', dev, 'up');
    for (const ns of [inside, router, outside]) ip(ns, 'link', 'set', 'lo', 'up');
    // Only the inside host routes through the router; the outside host has no way back.
    ip(inside, 'route', 'add', 'default', 'via', '192.168.15.1');
    sysctlWrite(router, 'net.ipv4.ip_forward', 1);
    const ctx = testContext(router);
    contexts.push(ctx);
    const connect = async (from: string, host: string, port: number) => (await runInNetns(from, [process.execPath, '-e', CLIENT(host, port)], { timeoutMs: 10_000 })).stdout.trim();
    return { inside, outside, ctx, connect };
  }

  it('-A POSTROUTING -s 192.168.15.0/24 -j MASQUERADE: the outside server sees the router; after -D it is unreachable', async () => {
    const { inside, outside, ctx, connect } = topology();
    await serve(outside, '10.0.2.2');
    expect(await connect(inside, '10.0.2.2', 80)).toBe('TIMEOUT');
    await runIptables([...MASQUERADE], ctx);
    expect(await connect(inside, '10.0.2.2', 80)).toBe('OK 10.0.2.1');
    ctx.lines.length = 0;
    await runIptables(['-t', 'nat', '-L', 'POSTROUTING', '-n', '-v'], ctx);
    expect(ctx.lines[2]).toMatch(/^\s+[1-9]\d*\s+\d+\s+MASQUERADE\s+0\s+--\s+\*\s+\*\s+192\.168\.15\.0\/24\s+0\.0\.0\.0\/0/);
    await runIptables(['-t', 'nat', '-D', 'POSTROUTING', '-s', '192.168.15.0/24', '-j', 'MASQUERADE'], ctx);
    expect(await connect(inside, '10.0.2.2', 80)).toBe('TIMEOUT');
  }, T);

  it('-A PREROUTING -p tcp --dport 80 -j DNAT --to-destination 192.168.15.2:80: the router\'s port 80 reaches the inside server; after -D it does not', async () => {
    const { inside, outside, ctx, connect } = topology();
    await serve(inside, '192.168.15.2');
    expect(await connect(outside, '10.0.2.1', 80)).toBe('ECONNREFUSED');
    await runIptables([...DNAT], ctx);
    expect(await connect(outside, '10.0.2.1', 80)).toBe('OK 10.0.2.2');
    await runIptables(['-t', 'nat', '-D', 'PREROUTING', '1'], ctx);
    expect(await connect(outside, '10.0.2.1', 80)).toBe('ECONNREFUSED');
  }, T);
});
