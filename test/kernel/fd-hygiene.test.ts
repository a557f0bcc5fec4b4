import { execFileSync } from 'node:child_process';
import { readlinkSync } from 'node:fs';
import { afterEach, expect, it } from 'vitest';
import { native } from '../../src/native/binding.js';
import { createNetns, openNetns, sysctlRead } from '../../src/netns/index.js';
import { NETLINK_ROUTE } from './rtnl.js';
import { describeKernel, guardThreadNetns, ipNetnsDelete, openFdCount, randomName, threadNetnsSnapshot } from './sandbox.js';

const T = 60_000;

describeKernel('fd hygiene', () => {
  guardThreadNetns();
  const names: string[] = [];
  afterEach(() => {
    for (const n of names.splice(0)) ipNetnsDelete(n);
  });

  it('200 open/close cycles of sockets and namespace handles leak no fd and move no thread', () => {
    const name = randomName();
    names.push(name);
    createNetns(name);
    const threads = threadNetnsSnapshot();
    const baseline = openFdCount();
    for (let i = 0; i < 200; i++) {
      const ns = openNetns(name);
      const fd = native.socketOpen(NETLINK_ROUTE, ns.fd);
      native.socketBind(fd, 0);
      native.pollStart(fd, () => {});
      native.socketClose(fd);
      const plain = native.socketOpen(NETLINK_ROUTE, -1);
      native.socketClose(plain);
      const borrowed = openNetns({ fd: ns.fd });
      borrowed.close();
      expect(sysctlRead({ fd: ns.fd }, 'net.ipv4.ip_forward')).toBe('0');
      ns.close();
      const byPid = openNetns({ pid: process.pid });
      byPid[Symbol.dispose]();
      // Failed opens must not leak either.
      expect(() => openNetns(randomName())).toThrowError();
      expect(() => openNetns({ path: '/dev/null' })).toThrowError();
      expect(() => openNetns({ path: '/proc/self/ns/mnt' })).toThrowError(/is a mount namespace/);
    }
    expect(openFdCount()).toBe(baseline);
    expect(threadNetnsSnapshot()).toEqual(threads);
  }, T);

  it('a child spawned while a socket and a namespace are open inherits neither', () => {
    const name = randomName();
    names.push(name);
    createNetns(name);
    const ns = openNetns(name);
    const fd = native.socketOpen(NETLINK_ROUTE, ns.fd);
    try {
      native.socketBind(fd, 0);
      const socketLink = readlinkSync(`/proc/self/fd/${fd}`);
      const nsLink = readlinkSync(`/proc/self/fd/${ns.fd}`);
      expect(socketLink).toMatch(/^socket:\[\d+\]$/);
      expect(nsLink).toBe(`/run/netns/${name}`);
      const listing = execFileSync('sh', ['-c', 'ls -l /proc/self/fd/'], { encoding: 'utf8' });
      expect(listing).toContain(' 0 -> '); // the listing is real
      expect(listing).not.toContain(socketLink);
      expect(listing).not.toContain(nsLink);
      expect(listing).not.toMatch(/net:\[/);
    } finally {
      native.socketClose(fd);
      ns.close();
    }
  }, T);
});
