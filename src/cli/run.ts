/**
 * `netns-ts ARGS…` in-process: the binary's whole behaviour except the choice of the REPL
 * (main.ts makes it on a terminal). Prints through `io` and returns the exit status; failures
 * are printed as one line, never thrown.
 *
 *   netns-ts [--trace[=hex]] [ip options] [-b FILE [-force]] [COMMAND ARGS…]
 */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { readBatch, runBatch } from './batch.js';
import type { TraceOptions } from './context.js';
import { dispatch } from './dispatch.js';
import { HELP } from './help-text.js';
import { parseIpOptions } from './ip/options.js';
import { loadProtocols } from './protocols.js';
import { reportFailure } from './report.js';
import { CliSession, stdio, type CliIO, type Connector } from './session.js';
import { UsageError } from './usage-error.js';

export function version(): string {
  const pkg = JSON.parse(readFileSync(fileURLToPath(new URL('../../package.json', import.meta.url)), 'utf8')) as { version: string };
  return pkg.version;
}

export interface RunOptions {
  /** Stops long-running commands (`ip monitor`). */
  signal?: AbortSignal;
  /** With no command: read commands from this text (stdin for the binary) as a batch. */
  stdinText?: () => string;
  /** How connections are opened (tests: over a FakeKernel). */
  connector?: Connector;
}

/** Leading `--trace[=hex]`, `--help`, `--version`; the rest is for ip options and the command. */
function globalOptions(argv: readonly string[], io: CliIO): { trace?: TraceOptions; rest: string[]; answer?: string } {
  let trace: TraceOptions | undefined;
  let i = 0;
  for (; i < argv.length; i++) {
    const a = argv[i]!;
    if (a === '--trace' || a === '--trace=on') trace = { hex: false, write: io.err };
    else if (a === '--trace=hex') trace = { hex: true, write: io.err };
    else if (a.startsWith('--trace=')) throw new UsageError(`${a}: use --trace or --trace=hex`);
    else if (a === '--help' || a === '-h' || a === 'help') return { rest: [], answer: HELP };
    else if (a === '--version' || a === '-V') return { rest: [], answer: version() };
    else break;
  }
  return { ...(trace ? { trace } : {}), rest: argv.slice(i) };
}

/** Run the CLI with `argv` (without the program name). */
export async function run(argv: readonly string[], io: Partial<CliIO> | ((line: string) => void) = stdio, options: RunOptions = {}): Promise<number> {
  const out: CliIO = typeof io === 'function' ? { out: io, err: stdio.err } : { out: io.out ?? stdio.out, err: io.err ?? stdio.err };
  let session: CliSession | undefined;
  try {
    const g = globalOptions(argv, out);
    if (g.answer !== undefined) {
      out.out(g.answer);
      return 0;
    }
    if (g.trace !== undefined) await loadProtocols();
    session = new CliSession(out, { ...(g.trace ? { trace: g.trace } : {}), ...(options.connector ? { connector: options.connector } : {}) });
    const { options: ipOptions, rest } = parseIpOptions(g.rest);
    const batchOptions = { force: ipOptions.force, ipOptions: { ...ipOptions, batch: undefined, force: false }, ...(options.signal ? { signal: options.signal } : {}) };
    if (ipOptions.batch !== undefined) {
      if (rest.length > 0) throw new UsageError(`-batch ${ipOptions.batch}: unexpected "${rest.join(' ')}" after it`);
      return await runBatch(readBatch(ipOptions.batch), session, batchOptions);
    }
    if (rest.length === 0) {
      // No command: commands come from stdin when it is not a terminal (main.ts decides).
      if (ipOptions.help || options.stdinText === undefined) {
        out.out(HELP);
        return 0;
      }
      return await runBatch(options.stdinText(), session, batchOptions);
    }
    return await dispatch(rest, session, { ...ipOptions }, options.signal);
  } catch (err) {
    return reportFailure(err, out.err);
  } finally {
    session?.close();
  }
}
