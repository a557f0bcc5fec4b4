/**
 * Running programs inside a network namespace.
 *
 * The Node process never enters the namespace: the child is the `netns-exec` helper, which
 * joins the namespace and then execs the program in place (same pid, stdio and signals). The
 * namespace is opened here first and handed to the child as an inherited fd, so a missing
 * namespace is a clear synchronous error and a name cannot be swapped in between.
 */
import { spawn, type ChildProcess, type SpawnOptions, type StdioOptions } from 'node:child_process';
import { netnsExecPath } from '../native/binding.js';
import { ValidationError } from '../netlink/errors.js';
import { openNetns, type NetnsRef } from './handle.js';

export interface ExecInNetnsOptions extends SpawnOptions {
  /**
   * For named namespaces, do what `ip netns exec` does besides joining the namespace: a private
   * mount namespace with /sys remounted for the namespace and /etc/netns/NAME/* bound over
   * /etc. Default true; ignored for path, fd and pid refs (they have no name).
   */
  etcNetns?: boolean;
}

type StdioEntry = Exclude<StdioOptions, string>[number];

/** Throws {@link ValidationError} unless argv is a non-empty array of strings without NUL. */
function validateArgv(argv: readonly string[]): void {
  if (!Array.isArray(argv) || argv.length === 0) {
    throw new ValidationError('argv', 'must be a non-empty array of strings', argv);
  }
  argv.forEach((arg, i) => {
    if (typeof arg !== 'string') throw new ValidationError(`argv[${i}]`, 'must be a string', arg);
    if (arg.includes('\0')) throw new ValidationError(`argv[${i}]`, 'must not contain NUL', arg);
  });
  if (argv[0] === '') throw new ValidationError('argv[0]', 'must name a program', argv[0]);
}

/** The caller's stdio as an explicit array of at least three entries (Node's defaults). */
function stdioArray(stdio: StdioOptions | undefined): StdioEntry[] {
  const entries: StdioEntry[] =
    stdio === undefined ? [] : typeof stdio === 'string' ? [stdio, stdio, stdio] : [...stdio];
  while (entries.length < 3) entries.push(undefined); // undefined is 'pipe' for 0..2
  return entries;
}

/**
 * Spawns `argv` inside the namespace `ref` and returns the ChildProcess (as `spawn` would).
 * Named namespaces behave like `ip netns exec NAME` (see {@link ExecInNetnsOptions.etcNetns}).
 * The exit code is the program's; 125 means the helper could not set up the namespace
 * (message on stderr), 126 the program is not executable, 127 it was not found.
 * @throws ValidationError for bad argv or options; an error with `code` `ENOENT` if the
 *   namespace does not exist.
 */
export function execInNetns(ref: NetnsRef, argv: readonly string[], options: ExecInNetnsOptions = {}): ChildProcess {
  validateArgv(argv);
  if (options.shell) {
    throw new ValidationError('options.shell', 'is not supported: pass ["sh", "-c", script] as argv', options.shell);
  }
  const { etcNetns = true, stdio, ...spawnOptions } = options;
  const handle = openNetns(ref);
  try {
    const entries = stdioArray(stdio);
    // The child gets the namespace fd at this index; netns-exec closes it before exec.
    const index = entries.length;
    entries.push(handle.fd);
    const nameArgs = handle.name !== undefined && etcNetns ? ['--name', handle.name] : [];
    const args = [...nameArgs, '--fd', String(index), '--', ...argv];
    return spawn(netnsExecPath, args, { ...spawnOptions, stdio: entries, shell: false });
  } finally {
    // spawn() returns after the child has its own copy (or failed): ours can go.
    handle.close();
  }
}

export interface RunInNetnsOptions {
  /** Written to the program's stdin, which is then closed (default: empty stdin). */
  input?: string | Uint8Array;
  /** Kill the program with SIGKILL after this many milliseconds. */
  timeoutMs?: number;
  env?: NodeJS.ProcessEnv;
  cwd?: string;
  /** See {@link ExecInNetnsOptions.etcNetns}. */
  etcNetns?: boolean;
}

export interface RunResult {
  /** Exit code, or null when killed by a signal. */
  code: number | null;
  /** The signal that killed it, or null. */
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
  /** True when `timeoutMs` elapsed and the program was killed. */
  timedOut: boolean;
}

/**
 * Runs `argv` inside namespace `ref` to completion and collects its output (UTF-8).
 * Resolves whatever the exit status; rejects only when the process could not be started.
 */
export function runInNetns(ref: NetnsRef, argv: readonly string[], options: RunInNetnsOptions = {}): Promise<RunResult> {
  const { input, timeoutMs, env, cwd, etcNetns } = options;
  if (timeoutMs !== undefined && !(Number.isFinite(timeoutMs) && timeoutMs > 0)) {
    return Promise.reject(new ValidationError('timeoutMs', 'must be a positive number', timeoutMs));
  }
  let child: ChildProcess;
  try {
    const spawnOptions: ExecInNetnsOptions = { stdio: ['pipe', 'pipe', 'pipe'] };
    if (env !== undefined) spawnOptions.env = env;
    if (cwd !== undefined) spawnOptions.cwd = cwd;
    if (etcNetns !== undefined) spawnOptions.etcNetns = etcNetns;
    child = execInNetns(ref, argv, spawnOptions);
  } catch (err) {
    return Promise.reject(err);
  }
  return new Promise<RunResult>((resolve, reject) => {
    const stdout: Buffer[] = [];
    const stderr: Buffer[] = [];
    let timedOut = false;
    const timer =
      timeoutMs === undefined
        ? undefined
        : setTimeout(() => {
            timedOut = true;
            child.kill('SIGKILL');
            // A grandchild may still hold the pipes open: stop waiting for them.
            child.stdout?.destroy();
            child.stderr?.destroy();
          }, timeoutMs);
    child.stdout?.on('data', (chunk: Buffer) => stdout.push(chunk));
    child.stderr?.on('data', (chunk: Buffer) => stderr.push(chunk));
    // The program may exit without reading its input (EPIPE): that is its business.
    child.stdin?.on('error', () => {});
    child.stdin?.end(input);
    child.once('error', (err) => {
      if (timer) clearTimeout(timer);
      reject(err);
    });
    child.once('close', (code: number | null, signal: NodeJS.Signals | null) => {
      if (timer) clearTimeout(timer);
      resolve({
        code,
        signal,
        stdout: Buffer.concat(stdout).toString('utf8'),
        stderr: Buffer.concat(stderr).toString('utf8'),
        timedOut,
      });
    });
  });
}
