#!/usr/bin/env node
/**
 * Entry point of the `netns-ts` binary. With no arguments on a terminal it starts the REPL;
 * with no arguments and a pipe or file on stdin it runs stdin as a batch; otherwise it runs the
 * one command given. Ctrl-C stops a running `ip monitor` cleanly.
 *
 * The program comes from the CLI's bundle with V8's code cache when the bundle is current
 * (build-bundle.ts, ../bundle/load.ts), else from its modules: the same code either way.
 */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { loadCurrentBundle } from '../bundle/load.js';

type Program = typeof import('./program.js');

const here = (name: string): string => fileURLToPath(new URL(name, import.meta.url));

/** The code cache to use: one per kind of run (`ip`, `nft`, a batch, the REPL …), each compiles different functions. */
function cacheKey(argv: readonly string[]): string {
  const first = argv[0];
  if (first === undefined) return process.stdin.isTTY ? 'repl' : 'batch';
  if (first === '-b' || first === '-batch') return 'batch';
  return /^[a-z]{1,12}$/.test(first) ? first : 'other';
}

async function main(): Promise<void> {
  const argv = process.argv.slice(2);
  // The reader went away (`netns-ts ip link show | head -1`): stop quietly, as ip does when
  // SIGPIPE ends it, instead of a stack trace for the unhandled EPIPE.
  process.stdout.on('error', (err: NodeJS.ErrnoException) => {
    if (err.code !== 'EPIPE') throw err;
    process.exit(process.exitCode ?? 0);
  });
  const bundled = loadCurrentBundle<Program>(here('./netns-ts.bundle.cjs'), here('./program.js'), cacheKey(argv));
  const { run, startRepl } = bundled?.exports ?? (await import('./program.js'));
  try {
    await runProgram(argv, run, startRepl);
  } finally {
    bundled?.saveCache();
  }
}

async function runProgram(argv: string[], run: Program['run'], startRepl: Program['startRepl']): Promise<void> {
  const controller = new AbortController();
  const onInterrupt = (): void => {
    if (controller.signal.aborted) process.exit(130);
    controller.abort();
    // A command that does not watch the signal (a request in flight) ends the process shortly.
    setTimeout(() => process.exit(130), 500).unref();
  };
  if (argv.length === 0 && process.stdin.isTTY) {
    process.exitCode = await startRepl();
    return;
  }
  process.on('SIGINT', onInterrupt);
  const stdinText = process.stdin.isTTY ? undefined : (): string => readFileSync(0, 'utf8');
  process.exitCode = await run(argv, undefined, { signal: controller.signal, ...(stdinText ? { stdinText } : {}) });
  process.off('SIGINT', onInterrupt);
}

await main();
