import { closeSync, existsSync, openSync, readdirSync, writeFileSync, unlinkSync } from 'node:fs';
import { expect, it } from 'vitest';
import { ValidationError } from '../../src/netlink/errors.js';
import { NETNS_RUN_DIR, createNetns, deleteNetns, listNetns, openNetns } from '../../src/netns/index.js';
import {
  describeKernel,
  guardThreadNetns,
  ipLinks,
  ipNetnsList,
  randomName,
  scratchNetnsNames,
  sh,
  status,
  threadNetnsSnapshot,
} from './sandbox.js';

const T = 20_000;

describeKernel('named network namespaces', () => {
  guardThreadNetns();
  const fresh = scratchNetnsNames();

  it('createNetns is seen by ip netns and ip -n; deleteNetns removes it from both', () => {
    const name = fresh();
    const threads = threadNetnsSnapshot();
    createNetns(name);
    expect(threadNetnsSnapshot()).toEqual(threads);
    expect(ipNetnsList()).toContain(name);
    expect(listNetns()).toContain(name);
    const links = ipLinks(name);
    expect(links.map((l) => l.ifname)).toEqual(['lo']);
    // A new namespace, not ours: its lo is a different device from the sandbox's.
    using ns = openNetns(name);
    using own = openNetns({ pid: process.pid });
    expect(ns.inode).not.toBe(own.inode);

    deleteNetns(name);
    expect(threadNetnsSnapshot()).toEqual(threads);
    expect(ipNetnsList()).not.toContain(name);
    expect(listNetns()).not.toContain(name);
    expect(status('ip', ['-n', name, 'link'])).not.toBe(0);
  }, T);

  it('opens a namespace made by `ip netns add`, with the same inode as stat -L', () => {
    const name = fresh();
    sh('ip', ['netns', 'add', name]);
    const expected = Number(sh('stat', ['-L', '-c', '%i', `${NETNS_RUN_DIR}/${name}`]).trim());
    const ns = openNetns(name);
    try {
      expect(ns.name).toBe(name);
      expect(ns.path).toBe(`${NETNS_RUN_DIR}/${name}`);
      expect(ns.inode).toBe(expected);
      using byName = openNetns({ name });
      using byPath = openNetns({ path: `${NETNS_RUN_DIR}/${name}` });
      expect(byName.inode).toBe(expected);
      expect(byPath.inode).toBe(expected);
      expect(byPath.name).toBeUndefined();
    } finally {
      ns.close();
      ns.close(); // idempotent
    }
    deleteNetns(name); // ours deletes theirs
    expect(ipNetnsList()).not.toContain(name);
  }, T);

  it('opens by pid and by borrowed fd; a borrowed fd stays open after close()', () => {
    const own = Number(sh('stat', ['-L', '-c', '%i', '/proc/self/ns/net']).trim());
    // `stat` ran in the same namespace as this process.
    const byPid = openNetns({ pid: process.pid });
    expect(byPid.inode).toBe(own);
    byPid.close();

    const fd = openSync('/proc/self/ns/net', 'r');
    try {
      const borrowed = openNetns({ fd });
      expect(borrowed.borrowed).toBe(true);
      expect(borrowed.fd).toBe(fd);
      expect(borrowed.inode).toBe(own);
      borrowed[Symbol.dispose]();
      expect(readdirSync('/proc/self/fd')).toContain(String(fd));
    } finally {
      closeSync(fd);
    }
  }, T);

  it('a missing name is ENOENT naming the namespace; a taken name is EEXIST', () => {
    const missing = randomName();
    expect(() => openNetns(missing)).toThrowError(expect.objectContaining({ code: 'ENOENT', message: expect.stringContaining(`"${missing}"`) }));
    expect(() => deleteNetns(missing)).toThrowError(expect.objectContaining({ code: 'ENOENT', errno: 2 }));

    const name = fresh();
    createNetns(name);
    expect(() => createNetns(name)).toThrowError(expect.objectContaining({ code: 'EEXIST', errno: 17 }));
    // The failed second create must not have damaged the first.
    expect(ipLinks(name).map((l) => l.ifname)).toEqual(['lo']);
  }, T);

  it('a file in /run/netns that is not a namespace is refused clearly', () => {
    const name = fresh();
    const path = `${NETNS_RUN_DIR}/${name}`;
    writeFileSync(path, '');
    try {
      expect(() => openNetns(name)).toThrowError(ValidationError);
      expect(() => openNetns(name)).toThrowError(/not a network namespace/);
      expect(() => openNetns({ path: '/proc/self/ns/mnt' })).toThrowError(/is a mount namespace/);
      expect(() => openNetns({ path: '/dev/null' })).toThrowError(/not a namespace file/);
    } finally {
      unlinkSync(path);
    }
  }, T);

  it('rejects bad names with ValidationError and creates nothing', () => {
    const bad = ['a/b', '..', '.', '', 'x\0y', 'z'.repeat(300), 'tab\there', 'nl\n', '\u0085', 'é'.repeat(128)];
    const before = new Set(listNetns());
    for (const name of bad) {
      expect(() => createNetns(name), JSON.stringify(name)).toThrowError(ValidationError);
      expect(() => deleteNetns(name)).toThrowError(ValidationError);
      expect(() => openNetns(name)).toThrowError(ValidationError);
    }
    // Other test files may add namespaces concurrently: look only for traces of ours.
    const added = listNetns().filter((n) => !before.has(n));
    for (const name of [...bad, 'a', 'b', 'x', 'y', 'z'.repeat(255), 'tab', 'nl']) {
      expect(added).not.toContain(name);
      const harmless = name === '' || name === '.' || name === '..' || name.includes('\0');
      if (!harmless) expect(existsSync(`${NETNS_RUN_DIR}/${name}`), name).toBe(false);
    }
    // 255 bytes is the limit, and it is a usable name.
    const longest = fresh(`nts-${'l'.repeat(251)}`);
    createNetns(longest);
    expect(ipNetnsList()).toContain(longest);
  }, T);

  it('namespaces survive the deletion of their name while in use, and vanish from listings', () => {
    const name = fresh();
    createNetns(name);
    const ns = openNetns(name);
    try {
      deleteNetns(name);
      expect(existsSync(`${NETNS_RUN_DIR}/${name}`)).toBe(false);
      // Still usable through the open fd.
      expect(sh('stat', ['-L', '-c', '%i', `/proc/${process.pid}/fd/${ns.fd}`]).trim()).toBe(String(ns.inode));
    } finally {
      ns.close();
    }
  }, T);
});
