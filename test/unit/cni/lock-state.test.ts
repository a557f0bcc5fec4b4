import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { CniError } from '../../../src/cni/errors.js';
import { withLock } from '../../../src/cni/lock.js';
import { listStates, lockPath, readState, removeState, statePath, writeState, type AttachmentState } from '../../../src/cni/state.js';

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'netns-ts-cni-unit-'));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

/** The start time of this process as /proc reports it (field 22). */
function ownStart(): string {
  const stat = readFileSync('/proc/self/stat', 'utf8');
  return stat.slice(stat.lastIndexOf(')') + 2).split(' ')[19]!;
}

describe('the lock', () => {
  it('lets one holder in at a time and cleans up after itself', async () => {
    const path = lockPath(dir);
    let inside = 0;
    let most = 0;
    await Promise.all(
      Array.from({ length: 8 }, () =>
        withLock(path, async () => {
          inside++;
          most = Math.max(most, inside);
          await sleep(3);
          inside--;
        }),
      ),
    );
    expect(most).toBe(1);
    expect(readdirSync(dir)).toEqual([]);
  });

  it('breaks a lock left by a process that is gone', async () => {
    const path = lockPath(dir);
    // pid 2^22 - 1 is above the default pid_max's range on these machines: nobody.
    writeFileSync(path, '4194303 12345\n');
    expect(await withLock(path, async () => 'got it', { timeoutMs: 1000 })).toBe('got it');
    expect(readdirSync(dir)).toEqual([]);
  });

  it('breaks a lock whose pid now belongs to a different process (start time differs)', async () => {
    const path = lockPath(dir);
    writeFileSync(path, `${process.pid} 1\n`);
    expect(await withLock(path, async () => 'got it', { timeoutMs: 1000 })).toBe('got it');
  });

  it('waits for a live holder, then says "try again later" (error 11)', async () => {
    const path = lockPath(dir);
    writeFileSync(path, `${process.pid} ${ownStart()}\n`);
    const err = await withLock(path, async () => 'never', { timeoutMs: 50 }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(CniError);
    expect((err as CniError).code).toBe(11);
    expect((err as CniError).details).toContain(`held by ${process.pid}`);
  });

  it('is released when the work throws', async () => {
    const path = lockPath(dir);
    await expect(withLock(path, async () => Promise.reject(new Error('boom')))).rejects.toThrow('boom');
    expect(await withLock(path, async () => 1, { timeoutMs: 100 })).toBe(1);
  });
});

describe('attachment state files', () => {
  const state: AttachmentState = {
    network: 'kubenet', containerId: 'abc', ifname: 'eth0', id: '0123456789abcdef', netns: '/run/netns/p', bridge: 'cni0',
    hostVeth: 'veth0123456789a', addresses: ['10.22.0.5/16'], portMappings: [{ hostPort: 80, containerPort: 80, protocol: 'tcp' }], complete: true,
  };

  it('are written atomically, read, listed per network and removed (idempotently)', () => {
    writeState(dir, state);
    writeState(dir, { ...state, id: 'fedcba9876543210', containerId: 'def' });
    writeState(dir, { ...state, network: 'othernet' });
    expect(readState(dir, 'kubenet', state.id)).toEqual(state);
    expect(listStates(dir, 'kubenet').map((s) => s.containerId).sort()).toEqual(['abc', 'def']);
    expect(readdirSync(join(dir, 'kubenet')).sort()).toEqual(['0123456789abcdef.json', 'fedcba9876543210.json']);
    removeState(dir, 'kubenet', state.id);
    removeState(dir, 'kubenet', state.id);
    expect(readState(dir, 'kubenet', state.id)).toBeUndefined();
    expect(listStates(dir, 'nonet')).toEqual([]);
  });

  it('treats an unreadable file as no state (DEL and GC then work from derived names)', () => {
    writeState(dir, state);
    writeFileSync(statePath(dir, 'kubenet', state.id), '{ half a fi');
    expect(readState(dir, 'kubenet', state.id)).toBeUndefined();
    expect(listStates(dir, 'kubenet')).toEqual([]);
  });
});
