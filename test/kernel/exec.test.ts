import { execFileSync } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, expect, it } from 'vitest';
import { netnsExecPath } from '../../src/native/binding.js';
import { ValidationError } from '../../src/netlink/errors.js';
import { createNetns, execInNetns, openNetns, runInNetns } from '../../src/netns/index.js';
import { describeKernel, guardThreadNetns, ipLinks, ipNetnsDelete, randomName, sh, status } from './sandbox.js';

const T = 30_000;

function sortedIndexes(text: string): number[] {
  return text
    .split(/\s+/)
    .filter((s) => s !== '')
    .map(Number)
    .sort((a, b) => a - b);
}

/**
 * Makes /etc writable for this sandbox only: an overlay whose upper layer is on the sandbox's
 * tmpfs, in the sandbox's private mount namespace, so the host's /etc is never written. (If
 * /etc/netns exists, a tmpfs on it is enough.) Returns the undo, or null if not possible.
 */
function scratchEtc(): (() => void) | null {
  if (existsSync('/etc/netns')) {
    if (status('mount', ['-t', 'tmpfs', 'netns-ts-etc', '/etc/netns']) !== 0) return null;
    return () => status('umount', ['-l', '/etc/netns']);
  }
  const dir = mkdtempSync('/run/netns-ts-etc-');
  mkdirSync(join(dir, 'upper'));
  mkdirSync(join(dir, 'work'));
  const opts = `lowerdir=/etc,upperdir=${dir}/upper,workdir=${dir}/work`;
  if (status('mount', ['-t', 'overlay', 'netns-ts-etc', '-o', opts, '/etc']) !== 0) {
    rmSync(dir, { recursive: true, force: true });
    return null;
  }
  return () => {
    status('umount', ['-l', '/etc']);
    rmSync(dir, { recursive: true, force: true });
  };
}

describeKernel('processes inside a namespace', () => {
  guardThreadNetns();
  const names: string[] = [];
  afterEach(() => {
    for (const n of names.splice(0)) ipNetnsDelete(n);
  });
  function fresh(withVeth = true): string {
    const name = randomName();
    names.push(name);
    createNetns(name);
    if (withVeth) sh('ip', ['-n', name, 'link', 'add', 'veth0', 'type', 'veth', 'peer', 'name', 'veth1']);
    return name;
  }

  it('runs ip inside the namespace and sees its links', async () => {
    const name = fresh();
    const r = await runInNetns(name, ['ip', '-j', 'link']);
    expect(r).toMatchObject({ code: 0, signal: null, stderr: '', timedOut: false });
    const inside = (JSON.parse(r.stdout) as { ifname: string }[]).map((l) => l.ifname).sort();
    expect(inside).toEqual(ipLinks(name).map((l) => l.ifname).sort());
    expect(inside).toEqual(['lo', 'veth0', 'veth1']);
  }, T);

  it('propagates exit codes, signals, stdin and timeouts', async () => {
    const name = fresh(false);
    expect(await runInNetns(name, ['sh', '-c', 'exit 7'])).toMatchObject({ code: 7, signal: null });
    expect(await runInNetns(name, ['sh', '-c', 'kill -TERM $$'])).toMatchObject({ code: null, signal: 'SIGTERM' });
    expect(await runInNetns(name, ['cat'], { input: 'hello\n' })).toMatchObject({ code: 0, stdout: 'hello\n' });
    expect(await runInNetns(name, ['sh', '-c', 'echo oops >&2; exit 3'])).toMatchObject({ code: 3, stderr: 'oops\n' });
    const slow = await runInNetns(name, ['sleep', '30'], { timeoutMs: 200 });
    expect(slow).toMatchObject({ code: null, signal: 'SIGKILL', timedOut: true });
  }, T);

  it('execs in place: the child pid is the program, in the namespace, and signals reach it', async () => {
    const name = fresh(false);
    const child = execInNetns(name, ['sleep', '30'], { stdio: 'ignore' });
    const exited = new Promise<[number | null, NodeJS.Signals | null]>((resolve) => child.on('exit', (c, s) => resolve([c, s])));
    try {
      const pid = child.pid!;
      const ready = async (): Promise<boolean> => {
        for (let i = 0; i < 200; i++) {
          if (readFileSync(`/proc/${pid}/comm`, 'utf8').trim() === 'sleep') return true;
          await new Promise((r) => setTimeout(r, 10));
        }
        return false;
      };
      expect(await ready()).toBe(true);
      using ns = openNetns(name);
      using viaPid = openNetns({ pid });
      expect(viaPid.inode).toBe(ns.inode);
      // A pid ref works for further processes.
      const r = await runInNetns({ pid }, ['ip', '-o', 'link']);
      expect(r.stdout).toContain(': lo:');
      child.kill('SIGINT');
    } finally {
      child.kill('SIGKILL');
    }
    expect(await exited).toEqual([null, 'SIGINT']);
  }, T);

  it('reports 127 for a missing program, 126 for a non-executable one, 125 for setup failures', async () => {
    const name = fresh(false);
    const missing = await runInNetns(name, ['netns-ts-no-such-program']);
    expect(missing.code).toBe(127);
    expect(missing.stderr).toMatch(/netns-exec: netns-ts-no-such-program: No such file or directory/);

    const dir = mkdtempSync(join(tmpdir(), 'netns-ts-exec-'));
    try {
      const file = join(dir, 'not-executable');
      writeFileSync(file, '#!/bin/sh\nexit 0\n');
      chmodSync(file, 0o644);
      const denied = await runInNetns(name, [file]);
      expect(denied.code).toBe(126);
      expect(denied.stderr).toMatch(/Permission denied/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }

    let setup: { status: number | null; stderr: string } = { status: null, stderr: '' };
    try {
      execFileSync(netnsExecPath, ['/netns-ts-no-such-path', '--', 'true'], { stdio: 'pipe' });
    } catch (err) {
      const e = err as { status: number | null; stderr: Buffer };
      setup = { status: e.status, stderr: e.stderr.toString() };
    }
    expect(setup.status).toBe(125);
    expect(setup.stderr).toMatch(/^netns-exec: open \/netns-ts-no-such-path: ENOENT \(No such file or directory\)\n$/);
    // Not a network namespace: setns fails.
    expect(status(netnsExecPath, ['/dev/null', '--', 'true'])).toBe(125);
    expect(status(netnsExecPath, ['--', 'true'])).toBe(125); // usage
    // A missing namespace is a synchronous, named error from the library.
    expect(() => execInNetns(randomName(), ['true'])).toThrowError(expect.objectContaining({ code: 'ENOENT' }));
  }, T);

  it('like ip netns exec: /sys shows the namespace, and nothing leaks back', async () => {
    const name = fresh();
    const ownSys = readdirSync('/sys/class/net').sort();
    const r = await runInNetns(name, ['sh', '-c', 'cat /sys/class/net/*/ifindex']);
    expect(r.code).toBe(0);
    expect(sortedIndexes(r.stdout)).toEqual(ipLinks(name).map((l) => l.ifindex).sort((a, b) => a - b));
    // Same as iproute2's own ip netns exec.
    expect(sortedIndexes(sh('ip', ['netns', 'exec', name, 'sh', '-c', 'cat /sys/class/net/*/ifindex']))).toEqual(sortedIndexes(r.stdout));
    // Our /sys is untouched (the child's remount stayed in its own mount namespace).
    expect(readdirSync('/sys/class/net').sort()).toEqual(ownSys);
    // Path refs have no name: no remount, so /sys is still the caller's view.
    const byPath = await runInNetns({ path: `/run/netns/${name}` }, ['ls', '/sys/class/net']);
    expect(byPath.stdout.split('\n').filter(Boolean).sort()).toEqual(ownSys);
    const noEtc = await runInNetns(name, ['ls', '/sys/class/net'], { etcNetns: false });
    expect(noEtc.stdout.split('\n').filter(Boolean).sort()).toEqual(ownSys);
  }, T);

  it('netns-exec also works as a command: --name NAME NSPATH -- PROGRAM', () => {
    const name = fresh();
    const out = execFileSync(netnsExecPath, ['--name', name, `/run/netns/${name}`, '--', 'sh', '-c', 'cat /sys/class/net/*/ifindex'], {
      encoding: 'utf8',
    });
    expect(sortedIndexes(out)).toEqual(ipLinks(name).map((l) => l.ifindex).sort((a, b) => a - b));
    expect(status(netnsExecPath, ['--name', '../x', `/run/netns/${name}`, '--', 'true'])).toBe(125);
  }, T);

  it('accepts the stdio forms of spawn (string, short array)', async () => {
    const name = fresh(false);
    for (const stdio of ['inherit', 'ignore', ['ignore'], ['ignore', 'ignore', 'ignore', 'ignore']] as const) {
      const child = execInNetns(name, ['sh', '-c', 'exit 4'], { stdio: stdio as never });
      const code = await new Promise<number | null>((resolve) => child.on('exit', (c) => resolve(c)));
      expect(code, JSON.stringify(stdio)).toBe(4);
    }
  }, T);

  it('binds /etc/netns/NAME/* over /etc like ip netns exec', async (ctx) => {
    const name = fresh(false);
    const undo = scratchEtc();
    if (undo === null) {
      console.warn('[netns-ts] skipped: cannot make a sandbox-private /etc (overlay/tmpfs mount failed)');
      ctx.skip();
      return;
    }
    try {
      if (!existsSync('/etc/resolv.conf')) writeFileSync('/etc/resolv.conf', ''); // overlay upper only
      const dir = `/etc/netns/${name}`;
      mkdirSync(dir, { recursive: true });
      const content = `nameserver 192.0.2.53 # netns-ts ${name}\n`;
      writeFileSync(join(dir, 'resolv.conf'), content);
      writeFileSync(join(dir, 'netns-ts-no-such-target'), 'x'); // skipped silently
      const r = await runInNetns(name, ['cat', '/etc/resolv.conf']);
      expect(r).toMatchObject({ code: 0, stdout: content, stderr: '' });
      expect(readFileSync('/etc/resolv.conf', 'utf8')).not.toBe(content);
      expect((await runInNetns(name, ['cat', '/etc/resolv.conf'], { etcNetns: false })).stdout).not.toBe(content);
      expect(sh('ip', ['netns', 'exec', name, 'cat', '/etc/resolv.conf'])).toBe(content);
    } finally {
      undo();
    }
  }, T);

  it('borrowed fd refs work and stay open; the child inherits no namespace fd', async () => {
    const name = fresh(false);
    const ns = openNetns(name);
    try {
      const r = await runInNetns({ fd: ns.fd }, ['sh', '-c', 'ls -l /proc/self/fd/']);
      expect(r.code).toBe(0);
      expect(r.stdout).not.toMatch(/net:\[|\/run\/netns/);
      expect(readdirSync('/proc/self/fd')).toContain(String(ns.fd));
      const links = await runInNetns({ fd: ns.fd }, ['ip', '-o', 'link']);
      expect(links.stdout.trim().split('\n')).toHaveLength(1); // only lo
      const named = await runInNetns(name, ['sh', '-c', 'ls -l /proc/self/fd/']);
      expect(named.stdout).not.toMatch(/net:\[|\/run\/netns/);
    } finally {
      ns.close();
    }
  }, T);

  it('validates argv and options', () => {
    const name = fresh(false);
    expect(() => execInNetns(name, [])).toThrowError(ValidationError);
    expect(() => execInNetns(name, ['ec\0ho'])).toThrowError(ValidationError);
    expect(() => execInNetns(name, ['echo', 'a\0'])).toThrowError(ValidationError);
    expect(() => execInNetns(name, [''])).toThrowError(ValidationError);
    expect(() => execInNetns(name, [42 as unknown as string])).toThrowError(ValidationError);
    expect(() => execInNetns(name, ['true'], { shell: true })).toThrowError(ValidationError);
    expect(() => execInNetns('../x', ['true'])).toThrowError(ValidationError);
  }, T);
});
