/**
 * `netns-ts nft [-j] [-a] [-s] [-c] [--debug=netlink] [-f FILE | COMMAND…]`: nft's language,
 * compiled by netns-ts itself into nf_tables batches (see src/nft/parse), and listings printed
 * as nft prints them. Every write of one invocation (a command line, or a whole file) is one
 * atomic batch. Errors are thrown: ParseError (nothing sent) and KernelRejectedError (the
 * batch was refused, nothing applied) carry `sourceLine` and `caretLine` for nft's carets.
 */
import { readFileSync } from 'node:fs';
import { parseCommandLine, parseNftFile } from '../../nft/parse/parse-commands.js';
import type { CliContext } from '../context.js';
import { UsageError } from '../usage-error.js';
import { execute, type ExecuteOptions } from './execute.js';
import { monitorNft } from './monitor.js';

export { KernelRejectedError, NotFoundError } from './errors.js';
export { ParseError } from '../../nft/parse/errors.js';

const USAGE = `usage: nft [-j] [-a] [-s] [-c] [--debug=netlink] [-f FILE] [COMMAND…]
  add|create|delete|destroy|flush|list table|chain|set|map …, add|insert|replace|delete rule …,
  add|delete element …, list ruleset|tables|chains|sets|maps, flush ruleset, monitor`;

interface NftOptions extends ExecuteOptions {
  file?: string;
  words: string[];
}

function parseOptions(args: readonly string[], ctx: CliContext): NftOptions {
  const o: NftOptions = { handles: false, stateless: false, debugNetlink: false, check: false, json: ctx.json, words: [] };
  for (let i = 0; i < args.length; i++) {
    const a = args[i]!;
    if (o.words.length > 0 || !a.startsWith('-') || a === '-') {
      o.words.push(a);
      continue;
    }
    if (a === '-j' || a === '--json') o.json = true;
    else if (a === '-a' || a === '--handle') o.handles = true;
    else if (a === '-s' || a === '--stateless') o.stateless = true;
    else if (a === '-c' || a === '--check') o.check = true;
    else if (a === '-n' || a === '--numeric' || a === '-N' || a === '-t' || a === '--terse') continue;
    else if (a === '-f' || a === '--file') {
      const file = args[++i];
      if (file === undefined) throw new UsageError('nft: -f needs a file name (or - for stdin)');
      o.file = file;
    } else if (a.startsWith('--debug=') || a === '-d' || a === '--debug') {
      const level = a.startsWith('--debug=') ? a.slice('--debug='.length) : args[++i];
      const levels = (level ?? '').split(',');
      if (!levels.every((l) => ['netlink', 'mnl', 'all'].includes(l))) throw new UsageError(`nft: --debug supports netlink (got '${level ?? ''}')`);
      o.debugNetlink = true;
    } else if (a === '-h' || a === '--help') {
      throw new UsageError(USAGE);
    } else {
      throw new UsageError(`nft: unknown option ${a}\n${USAGE}`);
    }
  }
  return o;
}

/** Stop on Ctrl-C (monitor runs until then), when the CLI gives no signal of its own. */
function interruptSignal(): AbortSignal {
  const controller = new AbortController();
  const stop = (): void => controller.abort();
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
  controller.signal.addEventListener('abort', () => {
    process.off('SIGINT', stop);
    process.off('SIGTERM', stop);
  });
  return controller.signal;
}

/**
 * Run one `nft` invocation. Returns the exit status.
 * @throws ParseError, KernelRejectedError, UsageError, ValidationError, NetlinkError
 */
export async function runNft(args: string[], ctx: CliContext): Promise<number> {
  const o = parseOptions(args, ctx);
  let parsed;
  if (o.file !== undefined) {
    if (o.words.length > 0) throw new UsageError('nft: give either -f FILE or a command, not both');
    const text = readFileSync(o.file === '-' ? 0 : o.file, 'utf8');
    parsed = parseNftFile(text, o.file === '-' ? '/dev/stdin' : o.file);
  } else {
    if (o.words.length === 0) throw new UsageError(USAGE);
    parsed = parseCommandLine(o.words.join(' '));
  }
  const monitor = parsed.commands.find((c) => c.verb === 'monitor');
  if (monitor && monitor.verb === 'monitor') {
    if (parsed.commands.length > 1) throw new UsageError('nft: monitor runs alone');
    await monitorNft(ctx, { ...(monitor.event ? { event: monitor.event } : {}), ...(monitor.what ? { what: monitor.what } : {}), handles: o.handles, json: o.json, signal: ctx.signal ?? interruptSignal() });
    return 0;
  }
  await execute(ctx, parsed.commands, parsed.source, o);
  return 0;
}
