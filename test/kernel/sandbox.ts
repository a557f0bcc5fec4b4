/**
 * Kernel tests run only inside the throwaway sandbox that `npm test` (scripts/test.mjs) sets
 * up as root: new network and mount namespaces, a tmpfs on /run and a fresh sysfs. Anywhere
 * else they are skipped, with the reason printed once.
 */
import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { readdirSync, readFileSync, readlinkSync } from 'node:fs';
import { afterEach, beforeEach, describe, expect } from 'vitest';

function readlinkOrNull(path: string): string | null {
  try {
    return readlinkSync(path);
  } catch {
    return null;
  }
}

function detect(): { available: boolean; reason: string } {
  if (process.env.NETNS_TS_SANDBOX !== '1') {
    return { available: false, reason: 'kernel tests run only inside the sandbox of `npm test` (NETNS_TS_SANDBOX=1 is not set)' };
  }
  if (process.getuid?.() !== 0) return { available: false, reason: 'kernel tests need root' };
  // Belt and braces: never touch the host even if the variable leaked into a host shell. The
  // sandbox mounts a tmpfs named `netns-ts-run` on /run in its private mount namespace.
  const sandboxRun = readFileSync('/proc/self/mountinfo', 'utf8')
    .split('\n')
    .some((line) => / \/run .* - tmpfs netns-ts-run /.test(line));
  if (!sandboxRun) return { available: false, reason: 'no `netns-ts-run` tmpfs on /run: not in the sandbox, refusing to touch the host' };
  return { available: true, reason: '' };
}

/** Whether kernel tests can run here, and why not. */
export const kernel: { available: boolean; reason: string } = detect();

let warned = false;

/** `describe` that is skipped (with the reason printed once) outside the sandbox. */
export function describeKernel(name: string, fn: () => void): void {
  if (!kernel.available && !warned) {
    warned = true;
    console.warn(`[netns-ts] kernel tests skipped: ${kernel.reason}`);
  }
  describe.skipIf(!kernel.available)(name, fn);
}

/** A fresh name such as `nts-1a2b3c4d`, unique across parallel test files. */
export function randomName(prefix = 'nts'): string {
  return `${prefix}-${randomBytes(4).toString('hex')}`;
}

/** Sorted distinct network namespaces of every thread of this process. */
export function threadNetnsSnapshot(): string[] {
  const seen = new Set<string>();
  for (const tid of readdirSync('/proc/self/task')) {
    // Threads come and go (thread pool, GC helpers): a vanished one is simply skipped.
    const link = readlinkOrNull(`/proc/self/task/${tid}/ns/net`);
    if (link !== null) seen.add(link);
  }
  return [...seen].sort();
}

/** Runs a command synchronously and returns its stdout (throws on non-zero exit). */
export function sh(command: string, args: readonly string[]): string {
  return execFileSync(command, args, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
}

/** Runs a command and returns its exit status instead of throwing. */
export function status(command: string, args: readonly string[]): number {
  try {
    execFileSync(command, args, { stdio: 'ignore' });
    return 0;
  } catch (err) {
    return (err as { status?: number }).status ?? -1;
  }
}

interface IpLink {
  ifindex: number;
  ifname: string;
}

/** `ip [-n NS] -j link` as data. */
export function ipLinks(netns?: string): IpLink[] {
  const args = netns === undefined ? ['-j', 'link'] : ['-n', netns, '-j', 'link'];
  return JSON.parse(sh('ip', args)) as IpLink[];
}

/** `ip netns list` names (it prints `NAME` or `NAME (id: N)`). */
export function ipNetnsList(): string[] {
  return sh('ip', ['netns', 'list'])
    .split('\n')
    .filter((line) => line.trim() !== '')
    .map((line) => line.split(' ')[0] ?? '');
}

/** Removes a namespace made with `ip netns add`, ignoring "not there". */
export function ipNetnsDelete(name: string): void {
  status('ip', ['netns', 'delete', name]);
}

/**
 * A maker of fresh namespace names (or of the name given) for the tests of the enclosing
 * describe: whatever exists under a name it gave is deleted after each test (the name itself
 * is not created).
 */
export function scratchNetnsNames(): (name?: string) => string {
  const given: string[] = [];
  afterEach(() => {
    for (const name of given.splice(0)) ipNetnsDelete(name);
  });
  return (name = randomName()) => {
    given.push(name);
    return name;
  };
}

/** Number of open fds of this process. */
export function openFdCount(): number {
  return readdirSync('/proc/self/fd').length;
}

/**
 * Registers before/after hooks asserting that no thread of this process changed network
 * namespace during a test (the binding must only ever use short-lived helper threads).
 */
export function guardThreadNetns(): void {
  let before: string[] = [];
  beforeEach(() => {
    before = threadNetnsSnapshot();
    expect(before).toEqual([readlinkSync('/proc/self/ns/net')]);
  });
  afterEach(() => {
    expect(threadNetnsSnapshot()).toEqual(before);
  });
}
