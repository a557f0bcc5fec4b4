#!/usr/bin/env node
/**
 * netns-ts-cni-daemon [--socket PATH]: the resident daemon the native plugin client forwards
 * calls to (see daemon.ts and docs/cni.md). Runs until SIGTERM or SIGINT, then removes its
 * socket. Logs one line per call on stderr.
 */
import { DEFAULT_SOCKET, startDaemon } from './daemon.js';

function socketFromArgs(argv: readonly string[]): string {
  if (argv.length === 0) return process.env.NETNS_TS_CNI_SOCKET || DEFAULT_SOCKET;
  if (argv.length === 2 && argv[0] === '--socket' && argv[1]) return argv[1];
  process.stderr.write('usage: netns-ts-cni-daemon [--socket PATH]\n');
  process.exit(2);
}

const daemon = await startDaemon({ socketPath: socketFromArgs(process.argv.slice(2)), log: (line) => process.stderr.write(`netns-ts-cni-daemon: ${line}\n`) });
process.stderr.write(`netns-ts-cni-daemon: listening on ${daemon.socketPath}\n`);
const stop = (): void => {
  void daemon.close().then(() => process.exit(0));
};
process.once('SIGTERM', stop);
process.once('SIGINT', stop);
