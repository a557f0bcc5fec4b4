/**
 * connectInNetns(name, { create: true }): the namespace made as createNetns makes it, and a
 * connection inside it whose socket the creating thread opened. All or nothing: a namespace
 * whose connection cannot be set up is deleted again, with nothing mounted left behind.
 * connectInNetnsAsync does the same on a pool thread and settles a promise: the same outcomes,
 * several at once.
 */
import { readFileSync } from 'node:fs';
import { afterEach, expect, it, vi } from 'vitest';
import type { Connection } from '../../src/netlink/connection.js';
import { ValidationError } from '../../src/netlink/errors.js';
import { native } from '../../src/native/binding.js';
import { connectInNetns, connectInNetnsAsync } from '../../src/netns/connect.js';
import { createNetns, NETNS_RUN_DIR } from '../../src/netns/index.js';
import { Links } from '../../src/route/links.js';
import { describeKernel, guardThreadNetns, ipLinks, ipNetnsList, openFdCount, scratchNetnsNames, threadNetnsSnapshot } from './sandbox.js';

const T = 20_000;
/** Mounts on /run/netns/NAME (the bind mount that keeps a named namespace). */
const mountsOf = (name: string): number => readFileSync('/proc/self/mountinfo', 'utf8').split('\n').filter((l) => l.split(' ')[4] === `${NETNS_RUN_DIR}/${name}`).length;

/** `name` is a named namespace as ip netns sees it, and `conn` works inside it: what it creates is there, as ip -n shows it. */
async function expectNamedAndWorking(name: string, conn: Connection): Promise<void> {
  expect(ipNetnsList()).toContain(name);
  expect(mountsOf(name)).toBe(1);
  const links = new Links(conn);
  expect((await links.list()).map((l) => l.name)).toEqual(['lo']);
  await links.createVeth({ name: 'a0', peer: { name: 'b0' } });
  expect(ipLinks(name).map((l) => l.ifname).sort()).toEqual(['a0', 'b0', 'lo']);
}

/** A creation that failed left no name, no mount and no fd (`fds`: the count before it). */
function expectNothingLeft(name: string, fds: number): void {
  expect(ipNetnsList()).not.toContain(name);
  expect(mountsOf(name)).toBe(0);
  expect(openFdCount()).toBe(fds);
}

describeKernel('a namespace created with its connection', () => {
  guardThreadNetns();
  const fresh = scratchNetnsNames();

  it('is a named namespace as ip netns sees it, and the connection works inside it', async () => {
    const name = fresh();
    const threads = threadNetnsSnapshot();
    const conn = connectInNetns(name, { create: true });
    try {
      expect(threadNetnsSnapshot()).toEqual(threads);
      await expectNamedAndWorking(name, conn);
    } finally {
      conn.close();
    }
  }, T);

  it('a taken name fails with EEXIST and leaves that namespace as it was', () => {
    const name = fresh();
    createNetns(name);
    const fds = openFdCount();
    let err: unknown;
    try {
      connectInNetns(name, { create: true }).close();
    } catch (e) {
      err = e;
    }
    expect(err).toMatchObject({ code: 'EEXIST' });
    expect(ipNetnsList()).toContain(name);
    expect(mountsOf(name)).toBe(1);
    expect(ipLinks(name).map((l) => l.ifname)).toEqual(['lo']);
    expect(openFdCount()).toBe(fds);
  }, T);

  it('bad input is refused before anything is created', () => {
    // Other test files make namespaces meanwhile: only the names tried here must not appear.
    const names = [fresh(), fresh(), fresh()] as const;
    expect(() => connectInNetns('a/b', { create: true })).toThrow(ValidationError);
    expect(() => connectInNetns(undefined, { create: true })).toThrow(ValidationError);
    expect(() => connectInNetns({ pid: process.pid }, { create: true })).toThrow(ValidationError);
    expect(() => connectInNetns(names[0], { create: 'yes' as never })).toThrow(ValidationError);
    expect(() => connectInNetns(names[1], null as never)).toThrow(ValidationError);
    expect(() => connectInNetns(names[2], { create: true, timeoutMs: Infinity })).toThrow(ValidationError);
    expect(ipNetnsList().filter((n) => names.includes(n))).toEqual([]);
  }, T);

  it('a socket the kernel refuses: no namespace, no mount, no fd left', () => {
    const name = fresh();
    const fds = openFdCount();
    // No such netlink protocol: the creating thread's socket() fails after the mount.
    expect(() => connectInNetns(name, { create: true, protocol: 31 })).toThrow(expect.objectContaining({ code: 'EPROTONOSUPPORT' }));
    expectNothingLeft(name, fds);
  }, T);

  it('a socket that cannot be set up as asked: the namespace is deleted again', () => {
    const name = fresh();
    const fds = openFdCount();
    // NETLINK_ROUTE has no multicast group 1000: joining it fails once the socket exists.
    expect(() => connectInNetns(name, { create: true, groups: [1000] })).toThrow(expect.objectContaining({ code: 'EINVAL' }));
    expectNothingLeft(name, fds);
  }, T);
});

describeKernel('a namespace created with its connection, off the JS thread (connectInNetnsAsync)', () => {
  guardThreadNetns();
  const fresh = scratchNetnsNames();
  afterEach(() => {
    vi.restoreAllMocks();
  });

  it('is made by the binding\'s asynchronous call, as a named namespace, and the connection works inside it', async () => {
    const name = fresh();
    const threads = threadNetnsSnapshot();
    const blocking = vi.spyOn(native, 'netnsCreateConnected');
    const offThread = vi.spyOn(native, 'netnsCreateConnectedAsync');
    const conn = await connectInNetnsAsync(name, { create: true });
    try {
      expect(blocking).not.toHaveBeenCalled();
      expect(offThread).toHaveBeenCalledTimes(1);
      expect(threadNetnsSnapshot()).toEqual(threads);
      await expectNamedAndWorking(name, conn);
    } finally {
      conn.close();
    }
  }, T);

  it('more at once than the pool has threads: each its own namespace, each connection in its own', async () => {
    const names = Array.from({ length: 9 }, () => fresh());
    const fds = openFdCount();
    const conns = await Promise.all(names.map((name) => connectInNetnsAsync(name, { create: true })));
    try {
      expect(ipNetnsList()).toEqual(expect.arrayContaining(names));
      // A veth made over each connection shows up in that namespace only.
      await Promise.all(conns.map((conn, i) => new Links(conn).createVeth({ name: `x${i}`, peer: { name: `y${i}` } })));
      names.forEach((name, i) => expect(ipLinks(name).map((l) => l.ifname).sort()).toEqual(['lo', `x${i}`, `y${i}`]));
    } finally {
      for (const conn of conns) conn.close();
    }
    expect(openFdCount()).toBe(fds);
  }, T);

  it('a taken name rejects with EEXIST and leaves that namespace as it was; the others made with it are made', async () => {
    const [taken, other] = [fresh(), fresh()];
    createNetns(taken);
    const fds = openFdCount();
    const [a, b] = await Promise.allSettled([connectInNetnsAsync(taken, { create: true }), connectInNetnsAsync(other, { create: true })]);
    expect(a).toMatchObject({ status: 'rejected', reason: { code: 'EEXIST' } });
    expect(b.status).toBe('fulfilled');
    if (b.status === 'fulfilled') b.value.close();
    expect(mountsOf(taken)).toBe(1);
    expect(ipLinks(taken).map((l) => l.ifname)).toEqual(['lo']);
    expect(ipNetnsList()).toContain(other);
    expect(openFdCount()).toBe(fds);
  }, T);

  it('bad input rejects before anything is created', async () => {
    const names = [fresh(), fresh(), fresh()] as const;
    const offThread = vi.spyOn(native, 'netnsCreateConnectedAsync');
    await expect(connectInNetnsAsync('a/b', { create: true })).rejects.toThrow(ValidationError);
    await expect(connectInNetnsAsync(undefined, { create: true })).rejects.toThrow(ValidationError);
    await expect(connectInNetnsAsync({ pid: process.pid }, { create: true })).rejects.toThrow(ValidationError);
    await expect(connectInNetnsAsync(names[0], { create: 'yes' as never })).rejects.toThrow(ValidationError);
    await expect(connectInNetnsAsync(names[1], { create: true, protocol: -1 })).rejects.toThrow(ValidationError);
    await expect(connectInNetnsAsync(names[2], null as never)).rejects.toThrow(ValidationError);
    expect(offThread).not.toHaveBeenCalled();
    expect(ipNetnsList().filter((n) => names.includes(n))).toEqual([]);
  }, T);

  it('a socket the kernel refuses: a rejection, and no namespace, no mount, no fd left', async () => {
    const name = fresh();
    const fds = openFdCount();
    await expect(connectInNetnsAsync(name, { create: true, protocol: 31 })).rejects.toMatchObject({ code: 'EPROTONOSUPPORT' });
    expectNothingLeft(name, fds);
  }, T);

  it('a socket that cannot be set up as asked: the namespace is deleted again', async () => {
    const name = fresh();
    const fds = openFdCount();
    await expect(connectInNetnsAsync(name, { create: true, groups: [1000] })).rejects.toMatchObject({ code: 'EINVAL' });
    expectNothingLeft(name, fds);
  }, T);

  it('without create, the connection connectInNetns opens', async () => {
    const name = fresh();
    createNetns(name);
    const conn = await connectInNetnsAsync(name);
    try {
      await new Links(conn).createVeth({ name: 'c0', peer: { name: 'd0' } });
      expect(ipLinks(name).map((l) => l.ifname).sort()).toEqual(['c0', 'd0', 'lo']);
    } finally {
      conn.close();
    }
  }, T);
});
