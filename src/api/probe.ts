/**
 * Traffic probes for the demo: a tiny TCP server, run inside a namespace as a child process,
 * that answers each connection with the address it saw; a client run inside another
 * namespace connects and reports what the server saw. This proves NAT with real packets.
 */
import type { ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { execInNetns, runInNetns } from '../netns/exec.js';

const SERVER = `
const net = require('net');
const port = Number(process.argv[1]);
net.createServer((c) => c.end(c.remoteAddress.replace(/^::ffff:/, '') + '\\n')).listen(port, '::', () => process.stdout.write('ready\\n'));
`;

const CLIENT = `
const net = require('net');
const c = net.connect({ host: process.argv[1], port: Number(process.argv[2]), timeout: 3000 });
let out = '';
c.on('data', (d) => (out += d));
c.on('end', () => process.stdout.write(out.trim()));
c.on('timeout', () => { process.stdout.write('timeout'); process.exit(2); });
c.on('error', (e) => { process.stdout.write(e.code || e.message); process.exit(3); });
`;

export interface ProbeServer {
  stop(): Promise<void>;
}

export async function startProbeServer(netns: string, port: number): Promise<ProbeServer> {
  const child: ChildProcess = execInNetns(netns, [process.execPath, '-e', SERVER, String(port)], { stdio: ['ignore', 'pipe', 'inherit'] });
  const [chunk] = (await once(child.stdout!, 'data')) as [Buffer];
  if (!chunk.toString().includes('ready')) throw new Error(`probe server in ${netns} did not start`);
  return {
    async stop() {
      if (child.exitCode !== null) return;
      child.kill('SIGTERM');
      await once(child, 'exit');
    },
  };
}

/** Connect from `from` to host:port; ok when the server (in `serverNs`) saw `expectSource`. */
export async function probeTcp(serverNs: string, from: string, host: string, port: number, expectSource: string): Promise<{ ok: boolean; detail: string }> {
  const r = await runInNetns(from, [process.execPath, '-e', CLIENT, host, String(port)], { timeoutMs: 5000 });
  const saw = r.stdout.trim();
  return { ok: r.code === 0 && saw === expectSource, detail: r.code === 0 ? `${serverNs} saw the connection come from ${saw}` : `failed: ${saw || r.stderr.trim()}` };
}
