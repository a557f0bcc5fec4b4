/** Child processes for contenders: run a command, fail loudly with its stderr. */
import { spawnSync } from 'node:child_process';

const MAX_OUTPUT = 512 * 1024 * 1024;

/**
 * Runs `cmd args…` to completion and returns its stdout; throws with the command line and
 * stderr when it fails, so a contender that errs is reported as an error, never as a time.
 * @param {string} cmd
 * @param {readonly string[]} args
 * @param {{ input?: string, env?: NodeJS.ProcessEnv, cwd?: string }} [options]
 */
export function run(cmd, args, options = {}) {
  const r = spawnSync(cmd, args, {
    input: options.input,
    env: options.env,
    cwd: options.cwd,
    encoding: 'utf8',
    maxBuffer: MAX_OUTPUT,
    stdio: [options.input === undefined ? 'ignore' : 'pipe', 'pipe', 'pipe'],
  });
  if (r.error) throw new Error(`${cmd} ${args.join(' ')}: ${r.error.message}`);
  if (r.status !== 0) {
    const err = (r.stderr || r.stdout || '').trim().split('\n').slice(-5).join(' | ');
    throw new Error(`${cmd} ${args.slice(0, 6).join(' ')}${args.length > 6 ? ' …' : ''} exited ${r.status ?? r.signal}: ${err}`);
  }
  return r.stdout;
}

/** Runs a command that prints one JSON object on its last line (the floor, pyroute2). */
export function runJson(cmd, args, options = {}) {
  const out = run(cmd, args, options).trim().split('\n');
  const last = out[out.length - 1] ?? '';
  try {
    return JSON.parse(last);
  } catch {
    throw new Error(`${cmd}: expected a JSON line, got ${JSON.stringify(last.slice(0, 200))}`);
  }
}

/** Whether `cmd` can be executed (for availability checks). */
export function hasCommand(cmd, args = ['--version']) {
  const r = spawnSync(cmd, args, { stdio: 'ignore' });
  return !r.error;
}
