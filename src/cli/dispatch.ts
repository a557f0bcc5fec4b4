/**
 * One command line's words → the command that runs them, in a context built from the session
 * and the options given before the command. Shared by the one-shot binary, batch mode and the
 * REPL, so a line behaves the same in all three. Bare ip objects (`link show`) are ip commands.
 */
import type { CliContext } from './context.js';
import { HELP } from './help-text.js';
import { contextWithOptions, runIp } from './ip/index.js';
import { defaultIpOptions, type IpOptions } from './ip/options.js';
import type { CliSession } from './session.js';

// The nft language (its compiler, renderer and the nf_tables layer), `decode` and `demo` are
// loaded when a command needs them: a one-shot `ip …` then starts without ~500 KB of modules it
// never runs (measured: about a third of its start-up).

/** Run one command; returns its exit status, throws its failure. */
export async function dispatch(words: readonly string[], session: CliSession, options: IpOptions = defaultIpOptions(), signal?: AbortSignal): Promise<number> {
  const ctx: CliContext = contextWithOptions(session.context(), options);
  if (signal !== undefined) ctx.signal = signal;
  const [command, ...rest] = words;
  switch (command) {
    case undefined:
      return 0;
    case 'ip':
      return runIp(rest, ctx);
    case 'nft':
      return (await import('./nft/index.js')).runNft(rest, ctx);
    case 'iptables':
      return (await import('./iptables/index.js')).runIptables(rest, ctx);
    case 'demo':
      return (await import('../api/demo.js')).runDemo(rest, (line) => ctx.out(line));
    case 'decode':
      return (await import('./decode.js')).decodeCommand(rest, ctx.out);
    case 'help':
    case '--help':
      ctx.out(HELP);
      return 0;
    default:
      return runIp(words, ctx);
  }
}
