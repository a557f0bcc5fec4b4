#!/usr/bin/env node
/**
 * Entry point of the `netns-ts` binary. With no arguments on a terminal it starts the REPL;
 * with no arguments and a pipe or file on stdin it runs stdin as a batch; otherwise it runs the
 * one command given. Ctrl-C stops a running `ip monitor` cleanly.
 */
import { readFileSync } from 'node:fs';
import { run } from './run.js';

async function main(): Promise<void> {
  const argv = process.argv.slice(2);
  const controller = new AbortController();
  const onInterrupt = (): void => {
    if (controller.signal.aborted) process.exit(130);
    controller.abort();
    // A command that does not watch the signal (a request in flight) ends the process shortly.
    setTimeout(() => process.exit(130), 500).unref();
  };
  if (argv.length === 0 && process.stdin.isTTY) {
    const { startRepl } = await import('./repl.js');
    process.exitCode = await startRepl();
    return;
  }
  process.on('SIGINT', onInterrupt);
  const stdinText = process.stdin.isTTY ? undefined : (): string => readFileSync(0, 'utf8');
  process.exitCode = await run(argv, undefined, { signal: controller.signal, ...(stdinText ? { stdinText } : {}) });
  process.off('SIGINT', onInterrupt);
}

await main();
