/**
 * Real traffic between the test's own namespaces: a TCP server that answers each connection
 * with the address it saw, and clients run inside namespaces. Nothing leaves the sandbox.
 */
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';

const SERVER = `
const net = require('net');
const [port, host] = [Number(process.argv[1]), process.argv[2]];
const s = net.createServer((c) => c.end(c.remoteAddress.replace(/^::ffff:/, '') + '\\n'));
s.listen(port, host, () => process.stdout.write('ready\\n'));
`;

const CLIENT = `
const net = require('net');
const [host, port] = [process.argv[1], Number(process.argv[2])];
const c = net.connect({ host, port, timeout: 2000 }, () => {});
let out = '';
c.on('data', (d) => (out += d));
c.on('end', () => { process.stdout.write(out); process.exit(0); });
c.on('timeout', () => { process.stderr.write('timeout'); process.exit(2); });
c.on('error', (e) => { process.stderr.write(e.code || e.message); process.exit(3); });
`;

export interface Server {
  stop(): Promise<void>;
}

/** Start a "who are you" server in namespace `ns` on `host:port` (`::` for every address). */
export async function startServer(ns: string, port: number, host = '::'): Promise<Server> {
  const child: ChildProcess = spawn('ip', ['netns', 'exec', ns, process.execPath, '-e', SERVER, String(port), host], { stdio: ['ignore', 'pipe', 'inherit'] });
  const [chunk] = (await once(child.stdout!, 'data')) as [Buffer];
  if (!chunk.toString().includes('ready')) throw new Error(`server in ${ns} did not start`);
  return {
    async stop() {
      child.kill('SIGTERM');
      await once(child, 'exit');
    },
  };
}

/** Connect from `ns` (undefined: the sandbox's own namespace) and return the address the server saw, or the error code. */
export function whoAmI(ns: string | undefined, host: string, port: number): string {
  const argv = [process.execPath, '-e', CLIENT, host, String(port)];
  try {
    const out = ns === undefined ? execFileSync(argv[0]!, argv.slice(1), { encoding: 'utf8', timeout: 5000 }) : execFileSync('ip', ['netns', 'exec', ns, ...argv], { encoding: 'utf8', timeout: 5000, stdio: ['ignore', 'pipe', 'pipe'] });
    return out.trim();
  } catch (err) {
    return `error: ${String((err as { stderr?: string }).stderr ?? err).trim()}`;
  }
}

/** One ping from `ns`; true when answered. */
export function ping(ns: string | undefined, address: string): boolean {
  const argv = ['ping', '-c', '1', '-W', '2', address];
  try {
    if (ns === undefined) execFileSync(argv[0]!, argv.slice(1), { stdio: 'ignore' });
    else execFileSync('ip', ['netns', 'exec', ns, ...argv], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}

const UDP_SERVER = `
const dgram = require('dgram');
const s = dgram.createSocket('udp6');
s.on('message', (m, r) => s.send(r.address.replace(/^::ffff:/, ''), r.port, r.address));
s.bind(Number(process.argv[1]), '::', () => process.stdout.write('ready\\n'));
`;

const UDP_CLIENT = `
const dgram = require('dgram');
const s = dgram.createSocket(process.argv[1].includes(':') ? 'udp6' : 'udp4');
const t = setTimeout(() => { process.stdout.write('timeout'); process.exit(2); }, 2000);
s.on('message', (m) => { clearTimeout(t); process.stdout.write(m.toString()); process.exit(0); });
s.send('who', Number(process.argv[2]), process.argv[1]);
`;

/** A UDP "who are you" server in `ns` on `port`. */
export async function startUdpServer(ns: string, port: number): Promise<Server> {
  const child: ChildProcess = spawn('ip', ['netns', 'exec', ns, process.execPath, '-e', UDP_SERVER, String(port)], { stdio: ['ignore', 'pipe', 'inherit'] });
  const [chunk] = (await once(child.stdout!, 'data')) as [Buffer];
  if (!chunk.toString().includes('ready')) throw new Error(`udp server in ${ns} did not start`);
  return {
    async stop() {
      child.kill('SIGTERM');
      await once(child, 'exit');
    },
  };
}

/** Send one datagram from `ns` and return the address the server saw (or `timeout`). */
export function udpWhoAmI(ns: string, host: string, port: number): string {
  try {
    return execFileSync('ip', ['netns', 'exec', ns, process.execPath, '-e', UDP_CLIENT, host, String(port)], { encoding: 'utf8', timeout: 5000 }).trim();
  } catch (err) {
    return `error: ${String((err as { stdout?: string }).stdout ?? err).trim()}`;
  }
}
