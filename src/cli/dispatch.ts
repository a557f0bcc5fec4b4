/**
 * One command line's words → the command that runs them, in a context built from the session
 * and the options given before the command. Shared by the one-shot binary, batch mode and the
 * REPL, so a line behaves the same in all three. Bare ip objects (`link show`) are ip commands.
 */
import type { CliContext } from './context.js';
import { decodeCommand } from './decode.js';
import { loadDemo } from './external.js';
import { HELP } from './help-text.js';
import { contextWithOptions, runIp } from './ip/index.js';
import { defaultIpOptions, type IpOptions } from './ip/options.js';
import { runIptables } from './iptables/index.js';
import { runNft } from './nft/index.js';
import type { CliSession } from './session.js';

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
      return runNft(rest, ctx);
    case 'iptables':
      return runIptables(rest, ctx);
    case 'demo':
      return (await loadDemo())(rest, ctx);
    case 'decode':
      return decodeCommand(rest, ctx.out);
    case 'help':
    case '--help':
      ctx.out(HELP);
      return 0;
    default:
      return runIp(words, ctx);
  }
}
