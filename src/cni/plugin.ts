/**
 * The plugin as a function: environment and stdin in, stdout and exit status out, exactly as
 * a runtime sees it. `main.ts` wires it to the process; tests call it in-process. Each
 * command's code is loaded only when that command runs, so VERSION and bad input answer
 * without loading the netlink stack.
 */
import { decodeConfig, parseConfig } from './config.js';
import { readEnvironment } from './environment.js';
import { CniError, CniErrorCode, errorJson, toCniError } from './errors.js';
import type { PluginExec } from './ipam.js';
import type { Invocation } from './invocation.js';
import { resultJson } from './result.js';
import { checkCommandInVersion, isSupportedVersion, LATEST_VERSION, versionInfo } from './versions.js';

export interface PluginInput {
  /** The process environment (CNI_* and everything else, passed on to IPAM). */
  env: Record<string, string | undefined>;
  /** stdin, or the error reading it (answered as CNI error 5). */
  stdin: string | Error;
  /** How delegated plugins run; real processes by default. */
  exec?: PluginExec;
}

export interface PluginOutput {
  stdout: string;
  exitCode: number;
}

/** Exit status of a failed command (the error itself is the JSON on stdout). */
const EXIT_FAILURE = 1;

function versionFromStdin(stdin: string): unknown {
  try {
    return (JSON.parse(stdin) as { cniVersion?: unknown }).cniVersion;
  } catch {
    return undefined;
  }
}

async function execute(inv: Invocation): Promise<string> {
  switch (inv.env.command) {
    case 'ADD': {
      const { add } = await import('./commands/add.js');
      return JSON.stringify(resultJson(await add(inv), inv.conf.cniVersion));
    }
    case 'DEL':
      await (await import('./commands/del.js')).del(inv);
      return '';
    case 'CHECK':
      await (await import('./commands/check.js')).check(inv);
      return '';
    case 'GC':
      await (await import('./commands/gc.js')).gc(inv);
      return '';
    case 'STATUS':
      await (await import('./commands/status.js')).status(inv);
      return '';
    case 'VERSION':
      return JSON.stringify(versionInfo(versionFromStdin(inv.stdin)));
  }
}

/** Run one CNI command. Never throws: failures are CNI error objects with a non-zero status. */
export async function runPlugin(input: PluginInput): Promise<PluginOutput> {
  const stdin = typeof input.stdin === 'string' ? input.stdin : '';
  const requested = versionFromStdin(stdin);
  const version = isSupportedVersion(requested) ? requested : LATEST_VERSION;
  try {
    if (input.stdin instanceof Error) throw new CniError(CniErrorCode.IoFailure, 'cannot read the network configuration from stdin', input.stdin.message);
    const env = readEnvironment(input.env);
    if (env.command === 'VERSION') return { stdout: JSON.stringify(versionInfo(requested)), exitCode: 0 };
    const conf = parseConfig(decodeConfig(stdin));
    checkCommandInVersion(env.command, conf.cniVersion);
    const inv: Invocation = { env, conf, stdin, processEnv: input.env, ...(input.exec ? { exec: input.exec } : {}) };
    return { stdout: await execute(inv), exitCode: 0 };
  } catch (err) {
    return { stdout: JSON.stringify(errorJson(toCniError(err), version)), exitCode: EXIT_FAILURE };
  }
}
