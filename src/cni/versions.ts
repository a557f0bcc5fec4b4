/**
 * CNI specification versions this plugin speaks, and what each allows. Results are written
 * in the version of the configuration that asked for them (see result.ts).
 */
import { CniError, CniErrorCode } from './errors.js';

/** Oldest first. 0.1.0/0.2.0 had no rich result (no interfaces) and are not offered. */
export const SUPPORTED_VERSIONS = ['0.3.0', '0.3.1', '0.4.0', '1.0.0', '1.1.0'] as const;
export type CniVersion = (typeof SUPPORTED_VERSIONS)[number];
export const LATEST_VERSION: CniVersion = '1.1.0';

/** The version each command first appeared in. */
const COMMAND_SINCE = { ADD: '0.3.0', DEL: '0.3.0', VERSION: '0.3.0', CHECK: '0.4.0', GC: '1.1.0', STATUS: '1.1.0' } as const;
export type CniCommand = keyof typeof COMMAND_SINCE;
export const COMMANDS = Object.keys(COMMAND_SINCE) as CniCommand[];

const SEMVER = /^(\d+)\.(\d+)\.(\d+)$/;

/** Numeric comparison of two `x.y.z` versions (negative: a is older). */
export function compareVersions(a: string, b: string): number {
  const pa = SEMVER.exec(a);
  const pb = SEMVER.exec(b);
  if (!pa || !pb) throw new CniError(CniErrorCode.IncompatibleVersion, `not a CNI version: ${JSON.stringify(pa ? b : a)}`);
  for (let i = 1; i <= 3; i++) {
    const d = Number(pa[i]) - Number(pb[i]);
    if (d !== 0) return d;
  }
  return 0;
}

export function isSupportedVersion(v: unknown): v is CniVersion {
  return typeof v === 'string' && (SUPPORTED_VERSIONS as readonly string[]).includes(v);
}

/** The configuration's version, checked. @throws CniError 1 (incompatible version) */
export function checkVersion(v: unknown): CniVersion {
  if (isSupportedVersion(v)) return v;
  throw new CniError(CniErrorCode.IncompatibleVersion, `incompatible CNI version ${JSON.stringify(v)}`, `this plugin supports ${SUPPORTED_VERSIONS.join(', ')}`);
}

/** @throws CniError 1 when `command` does not exist in `version` (CHECK before 0.4.0 …). */
export function checkCommandInVersion(command: CniCommand, version: CniVersion): void {
  if (compareVersions(version, COMMAND_SINCE[command]) < 0) {
    throw new CniError(CniErrorCode.IncompatibleVersion, `${command} is not part of CNI ${version}`, `${command} needs cniVersion ${COMMAND_SINCE[command]} or later`);
  }
}

/** The output of VERSION. */
export function versionInfo(requested: unknown): { cniVersion: string; supportedVersions: string[] } {
  return { cniVersion: isSupportedVersion(requested) ? requested : LATEST_VERSION, supportedVersions: [...SUPPORTED_VERSIONS] };
}
