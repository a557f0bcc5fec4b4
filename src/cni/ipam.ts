/**
 * IPAM delegation, as the spec prescribes: run the plugin named in `ipam.type`, found in
 * CNI_PATH, with this invocation's stdin and environment, and read its result or error.
 *
 * Compatibility: an IPAM plugin older than the configuration (Debian's host-local speaks CNI
 * up to 1.0.0, runtimes send 1.1.0) answers error 1. The plugin then asks it for VERSION and
 * repeats the call in the newest version both support, whose result has the same shape.
 */
import { spawn } from 'node:child_process';
import { accessSync, constants, statSync } from 'node:fs';
import { join } from 'node:path';
import { CniError, CniErrorCode } from './errors.js';
import { parseResult, type CniResult } from './result.js';
import { compareVersions, SUPPORTED_VERSIONS, type CniCommand } from './versions.js';

export interface PluginRun {
  exitCode: number;
  stdout: string;
  stderr: string;
}

/** How a plugin is executed: real processes, or a fake in unit tests. */
export type PluginExec = (path: string, stdin: string, env: Record<string, string | undefined>) => Promise<PluginRun>;

/** A delegated plugin that stalls longer than this is stopped (the runtime would time out anyway). */
const EXEC_TIMEOUT_MS = 60_000;

/** Run an executable with `stdin`, collecting its output. */
export const execPlugin: PluginExec = (path, stdin, env) =>
  new Promise((resolve, reject) => {
    const child = spawn(path, [], { env, stdio: ['pipe', 'pipe', 'pipe'], timeout: EXEC_TIMEOUT_MS });
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    child.stdout.on('data', (b: Buffer) => out.push(b));
    child.stderr.on('data', (b: Buffer) => err.push(b));
    child.on('error', reject);
    child.on('close', (code, signal) => {
      resolve({ exitCode: code ?? (signal ? 128 : 1), stdout: Buffer.concat(out).toString('utf8'), stderr: Buffer.concat(err).toString('utf8') });
    });
    child.stdin.on('error', () => {
      /* the plugin may exit without reading stdin (VERSION); its exit status tells */
    });
    child.stdin.end(stdin);
  });

/** The first executable file named `type` in CNI_PATH. @throws CniError 4 (empty CNI_PATH) or 7 (not found) */
export function findPlugin(type: string, cniPath: readonly string[]): string {
  if (cniPath.length === 0) throw new CniError(CniErrorCode.InvalidEnvironment, `CNI_PATH is empty: cannot find the IPAM plugin "${type}"`, 'CNI_PATH');
  for (const dir of cniPath) {
    const path = join(dir, type);
    try {
      if (statSync(path).isFile()) {
        accessSync(path, constants.X_OK);
        return path;
      }
    } catch {
      /* not here */
    }
  }
  throw new CniError(CniErrorCode.InvalidNetworkConfig, `IPAM plugin "${type}" not found in CNI_PATH`, cniPath.join(':'));
}

export interface Delegation {
  type: string;
  cniPath: readonly string[];
  /** The configuration exactly as this plugin received it. */
  stdin: string;
  env: Record<string, string | undefined>;
  exec?: PluginExec;
}

function pluginError(type: string, run: PluginRun): CniError {
  try {
    const e = JSON.parse(run.stdout) as { code?: unknown; msg?: unknown; details?: unknown };
    if (typeof e.code === 'number' && typeof e.msg === 'string') {
      return new CniError(e.code, `IPAM plugin ${type}: ${e.msg}`, typeof e.details === 'string' ? e.details : '');
    }
  } catch {
    /* not a CNI error object */
  }
  const text = (run.stdout.trim() || run.stderr.trim()).slice(0, 500);
  return new CniError(CniErrorCode.OperationFailed, `IPAM plugin ${type} failed (exit status ${run.exitCode})`, text);
}

/** Newest version we both speak, from the plugin's VERSION answer. */
async function commonVersion(d: Delegation, path: string, exec: PluginExec, below: string): Promise<string | undefined> {
  const run = await exec(path, JSON.stringify({ cniVersion: below }), { ...d.env, CNI_COMMAND: 'VERSION' });
  if (run.exitCode !== 0) return undefined;
  let theirs: unknown;
  try {
    theirs = (JSON.parse(run.stdout) as { supportedVersions?: unknown }).supportedVersions;
  } catch {
    return undefined;
  }
  if (!Array.isArray(theirs)) return undefined;
  const common = SUPPORTED_VERSIONS.filter((v) => theirs.includes(v) && compareVersions(v, below) < 0);
  return common[common.length - 1];
}

/** Versions an IPAM plugin supports (its VERSION answer), or undefined if it does not say. */
export async function pluginVersions(d: Delegation): Promise<string[] | undefined> {
  const exec = d.exec ?? execPlugin;
  const path = findPlugin(d.type, d.cniPath);
  const run = await exec(path, JSON.stringify({ cniVersion: SUPPORTED_VERSIONS[SUPPORTED_VERSIONS.length - 1] }), { ...d.env, CNI_COMMAND: 'VERSION' });
  if (run.exitCode !== 0) return undefined;
  try {
    const v = (JSON.parse(run.stdout) as { supportedVersions?: unknown }).supportedVersions;
    return Array.isArray(v) ? v.filter((x): x is string => typeof x === 'string') : undefined;
  } catch {
    return undefined;
  }
}

/**
 * Run the IPAM plugin for `command`. ADD returns its result; the others return undefined.
 * @throws CniError: the plugin's own error (code and message kept), 6 for undecodable output
 */
export async function delegate(d: Delegation, command: CniCommand): Promise<CniResult | undefined> {
  const exec = d.exec ?? execPlugin;
  const path = findPlugin(d.type, d.cniPath);
  const env = { ...d.env, CNI_COMMAND: command };
  let stdin = d.stdin;
  let run = await exec(path, stdin, env);
  if (run.exitCode !== 0 && pluginError(d.type, run).code === CniErrorCode.IncompatibleVersion) {
    const conf = JSON.parse(d.stdin) as Record<string, unknown>;
    const fallback = typeof conf.cniVersion === 'string' ? await commonVersion(d, path, exec, conf.cniVersion) : undefined;
    if (fallback !== undefined) {
      stdin = JSON.stringify({ ...conf, cniVersion: fallback, ...(isObject(conf.prevResult) ? { prevResult: { ...conf.prevResult, cniVersion: fallback } } : {}) });
      run = await exec(path, stdin, env);
    }
  }
  if (run.exitCode !== 0) throw pluginError(d.type, run);
  if (command !== 'ADD') return undefined;
  let parsed: unknown;
  try {
    parsed = JSON.parse(run.stdout);
  } catch {
    throw new CniError(CniErrorCode.DecodingFailure, `IPAM plugin ${d.type} printed something that is not JSON`, run.stdout.slice(0, 500));
  }
  const result = parseResult(parsed, `IPAM plugin ${d.type} result`);
  if (!result.ips || result.ips.length === 0) throw new CniError(CniErrorCode.OperationFailed, `IPAM plugin ${d.type} returned no IP addresses`);
  return result;
}

function isObject(v: unknown): v is Record<string, unknown> {
  return v !== null && typeof v === 'object' && !Array.isArray(v);
}
