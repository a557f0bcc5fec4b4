/**
 * The resident netns-ts-cni daemon: it runs the plugin (runPlugin, the same code as
 * `node dist/cni/main.js`) for calls the native client (native/cni-client.c) forwards over a
 * unix socket, so a runtime's ADD or DEL does not pay Node's start-up (~0.1 s) each time.
 *
 * Only root may call it: the socket is created mode 0600 (umask while binding, chmod after),
 * in a directory created mode 0700 when missing. Calls run concurrently, as separate plugin
 * processes would; the plugin's own lock file serializes its shared state, also within one
 * process (its owner check is by pid, which stays alive).
 */
import { chmodSync, mkdirSync, unlinkSync } from 'node:fs';
import { connect, createServer, type Server, type Socket } from 'node:net';
import { dirname } from 'node:path';
import { encodeResponse, MAX_REQUEST_BYTES, parseRequest } from './daemon-protocol.js';
import { runPlugin, type PluginInput, type PluginOutput } from './plugin.js';

export const DEFAULT_SOCKET = '/run/netns-ts/cni.sock';

export interface DaemonOptions {
  socketPath?: string;
  /** One line per call (command, container, exit status, time); none by default. */
  log?: (line: string) => void;
  /** The plugin to run (tests may wrap it); runPlugin by default. */
  run?: (input: PluginInput) => Promise<PluginOutput>;
}

export interface Daemon {
  socketPath: string;
  /** Stop accepting calls, let running ones finish, remove the socket. */
  close(): Promise<void>;
}

/** Whether something listens on `path` (a live daemon) — false for a stale socket file. */
function listening(path: string): Promise<boolean> {
  return new Promise((resolve) => {
    const probe = connect(path);
    probe.once('connect', () => {
      probe.destroy();
      resolve(true);
    });
    probe.once('error', () => resolve(false));
  });
}

function serveCall(conn: Socket, run: (input: PluginInput) => Promise<PluginOutput>, log?: (line: string) => void): void {
  const chunks: Buffer[] = [];
  let size = 0;
  let started = false;
  conn.on('error', () => conn.destroy());
  conn.on('data', (chunk: Buffer) => {
    if (started) return;
    chunks.push(chunk);
    size += chunk.length;
    if (size > MAX_REQUEST_BYTES) return void conn.destroy();
    let request;
    try {
      request = parseRequest(chunks.length === 1 ? chunks[0]! : Buffer.concat(chunks, size));
    } catch {
      return void conn.destroy();
    }
    if (request === undefined) return;
    started = true;
    const t0 = performance.now();
    void run({ env: request.env, stdin: request.stdin }).then((out) => {
      log?.(`${request.env.CNI_COMMAND ?? '?'} ${request.env.CNI_CONTAINERID ?? '-'} ${request.env.CNI_IFNAME ?? '-'}: exit ${out.exitCode} in ${(performance.now() - t0).toFixed(1)} ms`);
      // As main.ts prints it: the result and a newline, nothing for an empty result.
      conn.end(encodeResponse(out.exitCode, out.stdout === '' ? '' : `${out.stdout}\n`));
    }, () => conn.destroy());
  });
}

/** Listen on the socket (default /run/netns-ts/cni.sock) and serve calls until closed. */
export async function startDaemon(options: DaemonOptions = {}): Promise<Daemon> {
  const socketPath = options.socketPath ?? DEFAULT_SOCKET;
  const run = options.run ?? runPlugin;
  mkdirSync(dirname(socketPath), { recursive: true, mode: 0o700 });
  if (await listening(socketPath)) throw new Error(`a netns-ts-cni daemon already listens on ${socketPath}`);
  try {
    unlinkSync(socketPath); // a stale socket left by a daemon that was killed
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err;
  }
  // Load the commands' code now, not on the first call (the plugin imports it per command).
  await Promise.all([import('./commands/add.js'), import('./commands/del.js'), import('./commands/check.js')]);
  // Half-open: the client shuts down its side once the request is sent, and still reads.
  const server: Server = createServer({ allowHalfOpen: true }, (conn) => serveCall(conn, run, options.log));
  const umask = process.umask(0o177);
  try {
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(socketPath, () => resolve());
    });
  } finally {
    process.umask(umask);
  }
  chmodSync(socketPath, 0o600);
  return {
    socketPath,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        try {
          unlinkSync(socketPath);
        } catch {
          /* already gone */
        }
      }),
  };
}
