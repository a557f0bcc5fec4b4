/**
 * Driving CNI plugins the way a runtime does, inside the test sandbox: a "node" namespace
 * where the plugin runs (its host), container namespaces, an "outside" namespace standing for
 * another host on the node's network, and HTTP servers and clients (Node's own) in them.
 */
import { type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createNetns, deleteNetns } from '../../../src/netns/netns.js';
import { execInNetns, runInNetns } from '../../../src/netns/exec.js';
import { randomName, sh } from '../sandbox.js';

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..', '..');
/** The plugin as installed: the compiled entry point. */
export const PLUGIN = join(root, 'dist', 'cni', 'main.js');
export const REFERENCE_DIR = '/usr/lib/cni';
/** Debian's containernetworking-plugins: host-local IPAM, and the reference bridge and portmap. */
export const referencePlugins = ['bridge', 'portmap', 'host-local'].every((p) => existsSync(join(REFERENCE_DIR, p)));
const referenceMissing = 'Debian package containernetworking-plugins is not installed (apt-get install -y containernetworking-plugins): CNI kernel tests skipped';

/** Tests needing host-local (and the reference plugins) skip without them: say why, once per file. */
export function warnIfNoReference(): void {
  if (!referencePlugins) console.warn(`[netns-ts] ${referenceMissing}`);
}

/** Build the one-file bundle of the plugin when it is missing or older than the build. */
export async function ensureBundle(): Promise<void> {
  const { buildBundle, bundleIsCurrent } = await import('../../../dist/cni/build-bundle.js' as string);
  if (!bundleIsCurrent(join(root, 'dist', 'cni'))) await buildBundle();
}

export interface CniCall {
  command: 'ADD' | 'DEL' | 'CHECK' | 'GC' | 'STATUS' | 'VERSION';
  containerId?: string;
  /** Container namespace name (in /run/netns) or '' for none. */
  netns?: string;
  ifname?: string;
  conf: Record<string, unknown>;
}

export interface CniOutcome {
  code: number | null;
  stdout: string;
  stderr: string;
  json: any;
  /** Wall time from spawn to exit, in ms (the runtime's view). */
  ms: number;
}

/** Run one plugin executable in namespace `node` with the CNI environment, as a runtime does. */
export async function runPlugin(node: string, argv: readonly string[], call: CniCall, extraEnv: Record<string, string> = {}): Promise<CniOutcome> {
  const env: Record<string, string> = {
    PATH: process.env.PATH ?? '/usr/sbin:/usr/bin:/sbin:/bin',
    CNI_COMMAND: call.command,
    CNI_PATH: REFERENCE_DIR,
    ...extraEnv,
  };
  if (call.containerId !== undefined) env.CNI_CONTAINERID = call.containerId;
  if (call.netns !== undefined) env.CNI_NETNS = call.netns === '' ? '' : `/run/netns/${call.netns}`;
  if (call.ifname !== undefined) env.CNI_IFNAME = call.ifname;
  const start = performance.now();
  const r = await runInNetns(node, argv, { input: JSON.stringify(call.conf), env, etcNetns: false, timeoutMs: 60_000 });
  const ms = performance.now() - start;
  let json: unknown;
  try {
    json = r.stdout.trim() === '' ? undefined : JSON.parse(r.stdout);
  } catch {
    json = undefined;
  }
  return { code: r.code, stdout: r.stdout, stderr: r.stderr, json, ms };
}

/** netns-ts-cni. */
export function ours(node: string, call: CniCall): Promise<CniOutcome> {
  return runPlugin(node, [process.execPath, PLUGIN], call);
}

/** The native client (build/Release/netns-ts-cni), which hands calls to a resident daemon. */
export const NATIVE_CLIENT = join(root, 'build', 'Release', 'netns-ts-cni');
export const DAEMON = join(root, 'dist', 'cni', 'daemon-main.js');

/** netns-ts-cni through its native client and the daemon listening on `socket`. */
export function viaDaemon(node: string, socket: string, call: CniCall): Promise<CniOutcome> {
  return runPlugin(node, [NATIVE_CLIENT], call, { NETNS_TS_CNI_SOCKET: socket });
}

/** Start the daemon inside namespace `node` (where the plugin's bridge lives), listening on `socket`. */
export async function startCniDaemon(node: string, socket: string): Promise<{ log: string[]; stop(): Promise<void> }> {
  const child: ChildProcess = execInNetns(node, [process.execPath, DAEMON, '--socket', socket], { stdio: ['ignore', 'ignore', 'pipe'], etcNetns: false });
  const log: string[] = [];
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`the daemon in ${node} did not start: ${log.join('')}`)), 15_000);
    child.stderr!.on('data', (b: Buffer) => {
      log.push(b.toString());
      if (log.join('').includes('listening on')) {
        clearTimeout(timer);
        resolve();
      }
    });
    child.once('exit', (code) => reject(new Error(`the daemon in ${node} exited (${code}): ${log.join('')}`)));
  });
  return {
    log,
    stop: async () => {
      if (child.exitCode !== null) return;
      const exited = new Promise((r) => child.once('exit', r));
      child.kill('SIGTERM');
      await exited;
    },
  };
}

/** A reference plugin from containernetworking-plugins. */
export function reference(node: string, plugin: string, call: CniCall): Promise<CniOutcome> {
  return runPlugin(node, [join(REFERENCE_DIR, plugin)], call);
}

/** A node: its namespace, an "outside" host on its uplink, and data directories. */
export interface TestNode {
  node: string;
  outside: string;
  /** The node's address on the uplink (what other hosts connect to). */
  nodeIp: string;
  outsideIp: string;
  dir: string;
  pods: string[];
}

export const NODE_IP = '10.99.0.1';
export const OUTSIDE_IP = '10.99.0.2';

export function makeNode(prefix = 'cni'): TestNode {
  const node = randomName(`${prefix}n`);
  const outside = randomName(`${prefix}o`);
  createNetns(node);
  createNetns(outside);
  const t: TestNode = { node, outside, nodeIp: NODE_IP, outsideIp: OUTSIDE_IP, dir: mkdtempSync(join(tmpdir(), 'netns-ts-cni-')), pods: [] };
  sh('ip', ['-n', node, 'link', 'set', 'lo', 'up']);
  sh('ip', ['-n', outside, 'link', 'set', 'lo', 'up']);
  sh('ip', ['-n', node, 'link', 'add', 'uplink', 'type', 'veth', 'peer', 'name', 'uplink', 'netns', outside]);
  sh('ip', ['-n', node, 'addr', 'add', `${NODE_IP}/24`, 'dev', 'uplink']);
  sh('ip', ['-n', outside, 'addr', 'add', `${OUTSIDE_IP}/24`, 'dev', 'uplink']);
  sh('ip', ['-n', node, 'link', 'set', 'uplink', 'up']);
  sh('ip', ['-n', outside, 'link', 'set', 'uplink', 'up']);
  return t;
}

/** A container namespace (loopback up, as the runtime's loopback plugin would leave it). */
export function makePod(t: TestNode): string {
  const pod = randomName('cnip');
  createNetns(pod);
  sh('ip', ['-n', pod, 'link', 'set', 'lo', 'up']);
  t.pods.push(pod);
  return pod;
}

export function destroyNode(t: TestNode): void {
  for (const ns of [...t.pods, t.node, t.outside]) {
    try {
      deleteNetns(ns);
    } catch {
      /* already gone */
    }
  }
  rmSync(t.dir, { recursive: true, force: true });
}

/** A bridge network configuration with host-local IPAM, as a conflist entry would give it. */
export function bridgeConf(t: TestNode, extra: Record<string, unknown> = {}, type = 'netns-ts-cni'): Record<string, unknown> {
  return {
    cniVersion: '1.0.0',
    name: 'testnet',
    type,
    bridge: 'cni0',
    isGateway: true,
    isDefaultGateway: true,
    ipMasq: true,
    hairpinMode: true,
    dataDir: join(t.dir, 'plugin'),
    ipam: { type: 'host-local', subnet: '10.244.1.0/24', dataDir: join(t.dir, 'ipam') },
    ...extra,
  };
}

/** `nft list table inet netns-ts-cni` (or the bridge one) in the node, '' when the table does not exist. */
export function nftTable(t: TestNode, family: 'inet' | 'bridge' = 'inet'): string {
  try {
    return sh('ip', ['netns', 'exec', t.node, 'nft', 'list', 'table', family, 'netns-ts-cni']);
  } catch {
    return '';
  }
}

/** Names of the links of a namespace. */
export function linkNames(ns: string): string[] {
  return (JSON.parse(sh('ip', ['-n', ns, '-j', 'link'])) as Array<{ ifname: string }>).map((l) => l.ifname);
}

/** The IPv4 address of `ifname` in `ns`. */
export function addressOf(ns: string, ifname = 'eth0'): string | undefined {
  const out = JSON.parse(sh('ip', ['-n', ns, '-j', '-4', 'addr', 'show', 'dev', ifname])) as Array<{ addr_info: Array<{ local: string }> }>;
  return out[0]?.addr_info[0]?.local;
}

const SERVER = `
const http = require('node:http');
const s = http.createServer((req, res) => res.end(String(req.socket.remoteAddress).replace(/^::ffff:/, '') + ' ' + process.argv[2]));
s.listen(Number(process.argv[1]), '::', () => console.log('ready'));
`;

/** An HTTP server in `ns` answering "<client address> <tag>". */
export async function startServer(ns: string, port: number, tag: string): Promise<{ stop(): void }> {
  const child: ChildProcess = execInNetns(ns, [process.execPath, '-e', SERVER, String(port), tag], { stdio: ['ignore', 'pipe', 'inherit'], etcNetns: false });
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`server in ${ns} did not start`)), 10_000);
    child.stdout!.on('data', (b: Buffer) => {
      if (b.toString().includes('ready')) {
        clearTimeout(timer);
        resolve();
      }
    });
    child.once('exit', () => reject(new Error(`server in ${ns} exited`)));
  });
  return { stop: () => child.kill('SIGKILL') };
}

const CLIENT = `
const http = require('node:http');
const req = http.get({ host: process.argv[1], port: Number(process.argv[2]), timeout: 3000 }, (res) => {
  let body = ''; res.on('data', (d) => (body += d)); res.on('end', () => console.log(body));
});
req.on('timeout', () => { console.log('ERROR timeout'); req.destroy(); });
req.on('error', (e) => console.log('ERROR ' + e.code));
`;

/** GET http://host:port/ from `ns`: the answer ("<seen client> <tag>") or "ERROR …". */
export async function httpGet(ns: string, host: string, port: number): Promise<string> {
  const r = await runInNetns(ns, [process.execPath, '-e', CLIENT, host, String(port)], { etcNetns: false, timeoutMs: 15_000 });
  return r.stdout.trim();
}
