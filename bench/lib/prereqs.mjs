/**
 * What the benchmarks need from the machine, checked before anything runs, so a missing
 * package is named instead of crashing a contender halfway.
 */
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const FLOOR_DIR = join(dirname(fileURLToPath(import.meta.url)), '..', 'floor');

const has = (cmd, args = ['--version']) => !spawnSync(cmd, args, { stdio: 'ignore' }).error;
const pkgInstalled = (pkg) => spawnSync('dpkg-query', ['-W', '-f=${Status}', pkg], { encoding: 'utf8' }).stdout?.includes('install ok installed') ?? false;

/** Debian packages the harness itself cannot run without. */
const REQUIRED = [
  { pkg: 'iproute2', ok: () => has('ip', ['-V']) },
  { pkg: 'nftables', ok: () => has('nft', ['-v']) },
  { pkg: 'util-linux', ok: () => has('unshare') && has('nsenter') },
];

/** Packages only some contenders need: without them those contenders are reported missing. */
const OPTIONAL = [
  { pkg: 'python3-pyroute2', for: 'pyroute2', ok: () => spawnSync('/usr/bin/python3', ['-c', 'import pyroute2'], { stdio: 'ignore' }).status === 0 },
  { pkg: 'libmnl-dev', for: 'floor', ok: () => pkgInstalled('libmnl-dev') },
  { pkg: 'libnftnl-dev', for: 'floor', ok: () => pkgInstalled('libnftnl-dev') },
  { pkg: 'build-essential', for: 'floor', ok: () => has('make') && has('gcc') },
  { pkg: 'pkg-config', for: 'floor', ok: () => has('pkg-config') },
];

/** @returns {{ missingRequired: string[], missingOptional: { pkg: string, for: string }[] }} */
export function checkPackages() {
  return {
    missingRequired: REQUIRED.filter((r) => !r.ok()).map((r) => r.pkg),
    missingOptional: OPTIONAL.filter((o) => !o.ok()).map((o) => ({ pkg: o.pkg, for: o.for })),
  };
}

/** Builds bench/floor/floor with make; returns undefined or the reason it cannot be built. */
export function buildFloor(missingOptional) {
  const missing = missingOptional.filter((m) => m.for === 'floor').map((m) => m.pkg);
  if (missing.length) return `missing Debian packages: ${missing.join(' ')}`;
  const r = spawnSync('make', ['-s', '-C', FLOOR_DIR], { encoding: 'utf8' });
  if (r.status !== 0) return `make -C bench/floor failed: ${(r.stderr || r.stdout).trim().split('\n').slice(-3).join(' | ')}`;
  return existsSync(join(FLOOR_DIR, 'floor')) ? undefined : 'make did not produce bench/floor/floor';
}
