/**
 * `demo` (src/api, the lead's), loaded when first used: a build without it says so clearly
 * instead of failing to start. (`nft` and `iptables` are imported statically by dispatch.ts.)
 */
import type { CliContext } from './context.js';
import { UsageError } from './usage-error.js';

export type CommandRunner = (args: string[], ctx: CliContext) => Promise<number>;

// Specifiers in variables: a module missing from this build must not break type checking or
// loading of the rest of the CLI.
const DEMO_MODULE = '../api/demo.js';

function isMissingModule(err: unknown): boolean {
  const code = (err as { code?: string }).code;
  const message = String((err as { message?: string }).message ?? '');
  return code === 'ERR_MODULE_NOT_FOUND' || /Cannot find module|Failed to load url|Failed to resolve import|Does the file exist/.test(message);
}

async function load(specifier: string, names: readonly string[], what: string): Promise<CommandRunner> {
  let mod: Record<string, unknown>;
  try {
    mod = (await import(specifier)) as Record<string, unknown>;
  } catch (err) {
    if (isMissingModule(err)) throw new UsageError(`${what} is not available in this build`);
    throw err;
  }
  for (const name of names) if (typeof mod[name] === 'function') return mod[name] as CommandRunner;
  throw new UsageError(`${what} is not available in this build (the module has no ${names.join(' or ')})`);
}

const cache = new Map<string, Promise<CommandRunner>>();

function cached(specifier: string, names: readonly string[], what: string): Promise<CommandRunner> {
  let p = cache.get(specifier);
  if (p === undefined) {
    p = load(specifier, names, what);
    // A failed load is not cached, so a later build or retry can succeed.
    p.catch(() => cache.delete(specifier));
    cache.set(specifier, p);
  }
  return p;
}

/**
 * `demo`: runDemo from src/api/demo. It is called as `runDemo(args, ctx)` where `ctx` is the
 * command context and can also be called as `out(line)`, so both `(args, out)` and
 * `(args, ctx)` signatures work.
 */
export async function loadDemo(): Promise<CommandRunner> {
  const runDemo = await cached(DEMO_MODULE, ['runDemo', 'demo', 'default'], 'demo');
  return (args, ctx) => runDemo(args, Object.assign((line: string) => ctx.out(line), ctx));
}
