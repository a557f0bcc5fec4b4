import { spawn } from 'node:child_process';
import { closeSync, fstatSync, openSync } from 'node:fs';
import { afterEach, expect, it } from 'vitest';
import { native, type NativeError, type ReceivedDatagram } from '../../src/native/binding.js';
import { createNetns, deleteNetns, openNetns, type NetnsHandle } from '../../src/netns/index.js';
import {
  NETLINK_ADD_MEMBERSHIP,
  NETLINK_LISTEN_ALL_NSID,
  NETLINK_ROUTE,
  RTM_NEWLINK,
  RTNLGRP_LINK,
  SOL_NETLINK,
  SOL_SOCKET,
  SO_RCVBUF,
  getLinkDump,
  linkIndexes,
  readDump,
  splitMessages,
} from './rtnl.js';
import { describeKernel, guardThreadNetns, ipLinks, ipNetnsDelete, openFdCount, randomName, sh } from './sandbox.js';

const T = 30_000;
const addon = new URL('../../build/Release/netns_native.node', import.meta.url).pathname;

function waitFor(predicate: () => boolean, timeoutMs: number): Promise<boolean> {
  return new Promise((resolve) => {
    const start = Date.now();
    const tick = (): void => {
      if (predicate()) resolve(true);
      else if (Date.now() - start > timeoutMs) resolve(false);
      else setTimeout(tick, 10);
    };
    tick();
  });
}

describeKernel('native netlink sockets', () => {
  guardThreadNetns();
  const names: string[] = [];
  const fds: number[] = [];
  const handles: NetnsHandle[] = [];
  afterEach(() => {
    for (const fd of fds.splice(0)) native.socketClose(fd);
    for (const h of handles.splice(0)) h.close();
    for (const n of names.splice(0)) ipNetnsDelete(n);
  });
  /** A fresh namespace with a veth pair (`pairs` of them) inside, and an open handle to it. */
  function namespaceWithLinks(pairs: number): { name: string; ns: NetnsHandle } {
    const name = randomName();
    names.push(name);
    createNetns(name);
    for (let i = 0; i < pairs; i++) sh('ip', ['-n', name, 'link', 'add', `a${i}`, 'type', 'veth', 'peer', 'name', `b${i}`]);
    const ns = openNetns(name);
    handles.push(ns);
    return { name, ns };
  }
  function openSocket(netnsFd: number, groups = 0): { fd: number; port: number } {
    const fd = native.socketOpen(NETLINK_ROUTE, netnsFd);
    fds.push(fd);
    return { fd, port: native.socketBind(fd, groups) };
  }

  it('a socket opened in a namespace dumps that namespace’s links (as ip -n -j link)', async () => {
    const { name, ns } = namespaceWithLinks(0);
    // Indexes no link of the sandbox's own namespace has (its indexes count up from 1, and tests
    // running beside this one add links there), so the two sets of links cannot look alike.
    const index = 1_000_000 + Math.floor(Math.random() * 1_000_000);
    sh('ip', ['-n', name, 'link', 'add', 'a0', 'index', String(index), 'type', 'veth', 'peer', 'name', 'b0', 'index', String(index + 1)]);
    const { fd, port } = openSocket(ns.fd);
    expect(port).toBeGreaterThan(0);
    const { header, body } = getLinkDump(1);
    // Header and payload as two iovecs: one datagram of 32 bytes.
    expect(native.socketSend(fd, [header, body])).toBe(32);
    const datagrams = await readDump(fd, 1);
    const expected = ipLinks(name).map((l) => l.ifindex).sort((a, b) => a - b);
    expect(expected).toEqual([1, index, index + 1]); // lo, a0, b0
    expect(linkIndexes(datagrams)).toEqual(expected);
    for (const d of datagrams) {
      expect(d.pid).toBe(0); // from the kernel
      expect(d.groups).toBe(0); // unicast
      expect(d.nsid).toBeUndefined();
    }
    // ... and not the sandbox's own links.
    const own = ipLinks().map((l) => l.ifindex).sort((a, b) => a - b);
    expect(linkIndexes(datagrams)).not.toEqual(own);
  }, T);

  it('receives datagrams whole even when they exceed a tiny SO_RCVBUF', async () => {
    const { name, ns } = namespaceWithLinks(12);
    const { fd } = openSocket(ns.fd);
    native.setsockoptInt(fd, SOL_SOCKET, SO_RCVBUF, 1); // the kernel rounds up to its minimum
    const rcvbuf = native.getsockoptInt(fd, SOL_SOCKET, SO_RCVBUF);
    expect(rcvbuf).toBeLessThan(8192);
    // Two dumps: the first teaches the kernel our (large) read size, the second uses it.
    for (const seq of [1, 2]) {
      const { header, body } = getLinkDump(seq);
      native.socketSend(fd, [header, body]);
      const datagrams = await readDump(fd, seq);
      expect(linkIndexes(datagrams)).toEqual(ipLinks(name).map((l) => l.ifindex).sort((a, b) => a - b));
      for (const d of datagrams) {
        // The nlmsg_len values tile each datagram exactly (splitMessages throws otherwise).
        const total = splitMessages(d.data).reduce((sum, m) => sum + ((m.bytes.length + 3) & ~3), 0);
        expect(total).toBe(d.data.length);
      }
      if (seq === 2) {
        const largest = Math.max(...datagrams.map((d) => d.data.length));
        expect(largest).toBeGreaterThan(rcvbuf);
        expect(largest).toBeGreaterThan(8192); // not pinned at one page per datagram
      }
    }
  }, T);

  it('ENOBUFS surfaces as an error and the socket keeps being polled afterwards', async () => {
    const { name, ns } = namespaceWithLinks(0);
    const { fd } = openSocket(ns.fd);
    native.setsockoptInt(fd, SOL_SOCKET, SO_RCVBUF, 1);
    native.setsockoptInt(fd, SOL_NETLINK, NETLINK_ADD_MEMBERSHIP, RTNLGRP_LINK);
    const errors: NativeError[] = [];
    const events: ReceivedDatagram[] = [];
    native.pollStart(fd, () => {
      for (;;) {
        try {
          const got = native.socketRecv(fd);
          if (got === null) return;
          events.push(got);
        } catch (err) {
          errors.push(err as NativeError);
        }
      }
    });
    native.pollRef(fd, true);
    // The event loop is blocked while `ip` runs, so the tiny queue overflows.
    sh('sh', ['-c', `for i in 1 2 3 4 5 6 7 8; do ip -n ${name} link add v$i type veth peer name w$i; done`]);
    expect(await waitFor(() => errors.length > 0, 5000)).toBe(true);
    const first = errors[0]!;
    expect(first.code).toBe('ENOBUFS');
    expect(first.errno).toBe(105);
    expect(first.syscall).toBe('recv');
    expect(first.message).toMatch(/^recv: ENOBUFS \(No buffer space available\)$/);
    // libuv stops a watcher whose fd reports POLLERR; the binding must resume it.
    const seen = events.length;
    sh('ip', ['-n', name, 'link', 'add', 'late', 'type', 'veth', 'peer', 'name', 'late2']);
    expect(await waitFor(() => events.length > seen, 5000)).toBe(true);
    const types = events.slice(seen).flatMap((d) => splitMessages(d.data)).map((m) => m.type);
    expect(types).toContain(RTM_NEWLINK);
    expect(events.every((d) => d.pid === 0 && d.groups === 1 << (RTNLGRP_LINK - 1))).toBe(true);
  }, T);

  it('reports the peer namespace id of events with NETLINK_LISTEN_ALL_NSID', async () => {
    const { name: listener, ns } = namespaceWithLinks(0);
    const peer = randomName();
    names.push(peer);
    createNetns(peer);
    sh('ip', ['-n', listener, 'netns', 'set', peer, '42']);
    const { fd } = openSocket(ns.fd);
    native.setsockoptInt(fd, SOL_NETLINK, NETLINK_LISTEN_ALL_NSID, 1);
    native.setsockoptInt(fd, SOL_NETLINK, NETLINK_ADD_MEMBERSHIP, RTNLGRP_LINK);
    const events: ReceivedDatagram[] = [];
    native.pollStart(fd, () => {
      for (let got = native.socketRecv(fd); got !== null; got = native.socketRecv(fd)) events.push(got);
    });
    native.pollRef(fd, true);
    sh('ip', ['-n', peer, 'link', 'add', 'p0', 'type', 'veth', 'peer', 'name', 'p1']);
    expect(await waitFor(() => events.some((e) => e.nsid === 42), 5000)).toBe(true);
    sh('ip', ['-n', listener, 'link', 'add', 'l0', 'type', 'veth', 'peer', 'name', 'l1']);
    // Events of the listener's own namespace carry no nsid.
    expect(await waitFor(() => events.some((e) => e.nsid === undefined), 5000)).toBe(true);
  }, T);

  it('errors carry code, errno, syscall and a readable message', () => {
    const expectError = (fn: () => unknown, code: string, syscall: string): NativeError => {
      try {
        fn();
      } catch (err) {
        const e = err as NativeError;
        expect(e).toBeInstanceOf(Error);
        expect(e.code).toBe(code);
        expect(e.syscall).toBe(syscall);
        expect(e.errno).toBeGreaterThan(0);
        expect(e.message).toMatch(new RegExp(`^${syscall.replace(/[()]/g, '\\$&')}: ${code} \\(.+\\)$`));
        return e;
      }
      throw new Error(`expected ${code} from ${syscall}`);
    };
    expectError(() => native.socketOpen(99, -1), 'EPROTONOSUPPORT', 'socket');
    const devNull = openSync('/dev/null', 'r');
    try {
      expectError(() => native.socketOpen(NETLINK_ROUTE, devNull), 'EINVAL', 'setns');
      expectError(() => native.nsType(devNull), 'ENOTTY', 'ioctl(NS_GET_NSTYPE)');
    } finally {
      closeSync(devNull);
    }
    expectError(() => native.nsOpen('/run/netns/no-such-namespace'), 'ENOENT', 'open');
    const { fd } = openSocket(-1);
    expectError(() => native.pollRef(fd, true), 'EBADF', 'pollRef');
    native.pollStart(fd, () => {});
    expectError(() => native.pollStart(fd, () => {}), 'EEXIST', 'pollStart');
    native.pollStop(fd);
    native.pollStop(fd); // twice is fine
    expect(native.socketRecv(fd)).toBeNull(); // nothing queued: EAGAIN is null, not an error
    expect(() => native.socketOpen('0' as unknown as number, -1)).toThrowError(TypeError);
    expect(() => native.socketSend(fd, ['x' as unknown as Uint8Array])).toThrowError(TypeError);
    expect(() => native.sysctlRead(-1, '/etc/hostname')).toThrowError(expect.objectContaining({ code: 'EINVAL' }));
  }, T);


  it('nsOpen opens a namespace file and says what it is, as fstat and NS_GET_NSTYPE do', () => {
    const CLONE_NEWNET = 0x40000000;
    const [fd, kind, inode, dev] = native.nsOpen('/proc/self/ns/net');
    try {
      const st = fstatSync(fd);
      expect([kind, inode, dev]).toEqual([CLONE_NEWNET, st.ino, st.dev]);
      expect(native.nsType(fd)).toBe(CLONE_NEWNET);
    } finally {
      closeSync(fd);
    }
    const [mntFd, mntKind] = native.nsOpen('/proc/self/ns/mnt');
    closeSync(mntFd);
    expect(mntKind).toBe(0x00020000); // CLONE_NEWNS
    // Not a namespace at all: kind 0, and the fd is the caller's to close.
    const [nullFd, nullKind] = native.nsOpen('/dev/null');
    expect(nullKind).toBe(0);
    expect(fstatSync(nullFd).isCharacterDevice()).toBe(true);
    closeSync(nullFd);
    expect(() => native.nsOpen('/proc/self/ns/net\0x')).toThrowError(TypeError);
  });
  it('socketClose stops polling and releases the fd', () => {
    const baseline = openFdCount();
    for (let i = 0; i < 50; i++) {
      const fd = native.socketOpen(NETLINK_ROUTE, -1);
      native.socketBind(fd, 0);
      native.pollStart(fd, () => {});
      native.pollRef(fd, i % 2 === 0);
      native.socketClose(fd);
      native.pollStop(fd); // after close: a no-op
    }
    expect(openFdCount()).toBe(baseline);
  }, T);

  it('many watchers at once: each readiness reaches its own callback, and a reused fd number is a new watch', async () => {
    // Past the 64 fds the binding's watcher table starts with, so it has to grow.
    const COUNT = 200;
    const seen = new Map<number, number>();
    const getLo = (seq: number): Uint8Array => {
      const b = Buffer.alloc(32);
      b.writeUInt32LE(32, 0);
      b.writeUInt16LE(18, 4); // RTM_GETLINK
      b.writeUInt16LE(1, 6); // NLM_F_REQUEST
      b.writeUInt32LE(seq, 8);
      b.writeInt32LE(1, 20); // ifi_index: lo
      return b;
    };
    const watch = (fd: number, tag: number): void =>
      native.pollStart(fd, () => {
        while (native.socketRecv(fd) !== null) seen.set(fd, tag);
      });
    const opened: number[] = [];
    for (let i = 0; i < COUNT; i++) {
      const { fd } = openSocket(-1);
      watch(fd, i);
      opened.push(fd);
    }
    expect(Math.max(...opened)).toBeGreaterThan(64);
    expect(() => native.pollStart(opened[0]!, () => {})).toThrowError(expect.objectContaining({ code: 'EEXIST' }));
    for (const fd of opened) native.socketSend(fd, [getLo(fd)]);
    expect(await waitFor(() => seen.size === COUNT, 5000)).toBe(true);
    expect(opened.every((fd, i) => seen.get(fd) === i)).toBe(true);
    // Close one in the middle: the next socket gets its number, and a watch of its own.
    const victim = opened[COUNT >> 1]!;
    native.socketClose(victim);
    fds.splice(fds.indexOf(victim), 1);
    expect(() => native.pollRef(victim, true)).toThrowError(expect.objectContaining({ code: 'EBADF' }));
    const { fd: reused } = openSocket(-1);
    expect(reused).toBe(victim);
    seen.clear();
    watch(reused, -1);
    native.socketSend(reused, [getLo(reused)]);
    expect(await waitFor(() => seen.get(reused) === -1, 5000)).toBe(true);
  }, T);

  it('an idle poller does not keep the process alive; a ref’d one does', async () => {
    const script = (ref: boolean): string =>
      `const m = require(${JSON.stringify(addon)});` +
      `const fd = m.socketOpen(0, -1); m.socketBind(fd, 1); m.pollStart(fd, () => {});` +
      (ref ? 'm.pollRef(fd, true);' : '') +
      `process.stdout.write('polling\\n');`;
    const run = (ref: boolean): Promise<{ exited: boolean; code: number | null }> =>
      new Promise((resolve) => {
        const child = spawn(process.execPath, ['-e', script(ref)], { stdio: ['ignore', 'pipe', 'inherit'] });
        let out = '';
        child.stdout.on('data', (c: Buffer) => (out += c.toString()));
        const timer = setTimeout(() => {
          child.kill('SIGKILL');
        }, 3000);
        child.on('exit', (code, signal) => {
          clearTimeout(timer);
          expect(out).toBe('polling\n');
          resolve({ exited: signal === null, code });
        });
      });
    expect(await run(false)).toEqual({ exited: true, code: 0 });
    expect(await run(true)).toEqual({ exited: false, code: null });
  }, T);

  it('the namespace of a socket is fixed at creation, even after its name is deleted', async () => {
    const { name, ns } = namespaceWithLinks(2);
    const expected = ipLinks(name).map((l) => l.ifindex).sort((a, b) => a - b);
    const { fd } = openSocket(ns.fd);
    deleteNetns(name);
    names.splice(names.indexOf(name), 1);
    const { header, body } = getLinkDump(7);
    native.socketSend(fd, [header, body]);
    expect(linkIndexes(await readDump(fd, 7))).toEqual(expected);
  }, T);
});
