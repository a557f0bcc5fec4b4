/**
 * Read-ahead (native/read-ahead.c, SocketTransport): a long run of datagrams read on a native
 * thread while the JS thread handles what came. Checked against reading on the JS thread: the
 * same datagrams, whole and in order; the socket polled again afterwards; no thread or fd left;
 * closing the socket meanwhile stops the thread; a batch sent meanwhile still gets its acks.
 */
import { spawnSync } from 'node:child_process';
import { readdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { native, type NativeError, type ReceivedDatagram } from '../../src/native/binding.js';
import { NlmFlags } from '../../src/netlink/constants.js';
import { READ_AHEAD_AFTER_BYTES } from '../../src/netlink/socket-transport.js';
import { Links } from '../../src/route/links.js';
import { connectInNetns } from '../../src/netns/connect.js';
import { createNetns, deleteNetns, openNetns, type NetnsHandle } from '../../src/netns/index.js';
import { addBridges, ipLinkNames, linkMessage, RTM_NEWLINK } from './faults/helpers.js';
import { getLinkDump, linkIndexes, NETLINK_ROUTE, readDump, splitMessages } from './rtnl.js';
import { describeKernel, guardThreadNetns, ipLinks, openFdCount, randomName } from './sandbox.js';

const T = 60_000;
/** A process whose worker is terminated while a dump is read ahead (see the file). */
const WORKER_SCRIPT = fileURLToPath(new URL('./read-ahead-worker.mjs', import.meta.url));
const NLMSG_DONE = 3;
const threadCount = (): number => readdirSync('/proc/self/task').length;

/** Resolves once `predicate` holds (checked every 5 ms), or fails after `ms`. */
async function until(predicate: () => boolean, what: string, ms = 5000): Promise<void> {
  const start = Date.now();
  while (!predicate()) {
    if (Date.now() - start > ms) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 5));
  }
}

describeKernel('read-ahead', () => {
  guardThreadNetns();
  const ns = randomName('ra');
  let handle: NetnsHandle;
  beforeAll(() => {
    createNetns(ns);
    // 300 bridges: a link dump of about 800 KB, well past READ_AHEAD_AFTER_BYTES.
    addBridges(ns, 'b', 300);
    handle = openNetns(ns);
  });
  afterAll(() => {
    handle.close();
    deleteNetns(ns);
  });

  /** A socket in the namespace, polled by `onReadable`. */
  function polledSocket(onReadable: (fd: number) => void): number {
    const fd = native.socketOpen(NETLINK_ROUTE, handle.fd);
    native.socketBind(fd, 0);
    native.pollStart(fd, () => onReadable(fd));
    native.pollRef(fd, true);
    return fd;
  }

  it('hands over every datagram of a dump whole and in order, then the end, and the socket is polled again', async () => {
    // The same dump read on this thread, for comparison.
    const plainFd = native.socketOpen(NETLINK_ROUTE, handle.fd);
    native.socketBind(plainFd, 0);
    const { header, body } = getLinkDump(1);
    native.socketSend(plainFd, [header, body]);
    const plain = await readDump(plainFd, 1);
    native.socketClose(plainFd);
    expect(plain.length).toBeGreaterThan(10);

    const threads = threadCount();
    const fds = openFdCount();
    const first: ReceivedDatagram[] = [];
    const ahead: ReceivedDatagram[] = [];
    const errors: NativeError[] = [];
    let started: boolean | undefined;
    let second: boolean | undefined;
    let afterEnd = 0;
    let watcherWhileAhead = 0;
    let ended = false;
    let readableAfterEnd = 0;
    const fd = polledSocket((fd) => {
      if (ended) {
        readableAfterEnd++;
        while (native.socketRecv(fd) !== null);
        return;
      }
      if (started !== undefined) {
        watcherWhileAhead++;
        return;
      }
      // One datagram here, the rest on the thread.
      first.push(native.socketRecv(fd)!);
      started = native.readAhead(fd, (got, error) => {
        if (ended) afterEnd++;
        else if (got !== null) ahead.push(got);
        else if (error !== undefined) errors.push(error);
        else ended = true;
      });
      second = native.readAhead(fd, () => {});
    });
    try {
      const again = getLinkDump(2);
      native.socketSend(fd, [again.header, again.body]);
      await until(() => ended, 'the end of the read-ahead');
      expect(started).toBe(true);
      expect(second).toBe(false); // one reader at a time
      expect(errors).toEqual([]);
      const all = [...first, ...ahead];
      // Whole datagrams (their messages tile them exactly), ending with the dump's end.
      const messages = all.flatMap((d) => splitMessages(d.data));
      expect(messages.at(-1)!.type).toBe(NLMSG_DONE);
      expect(messages.every((m) => m.seq === 2)).toBe(true);
      expect(all.every((d) => d.pid === 0 && d.groups === 0)).toBe(true);
      // The same links, in the same order, as the dump read on this thread.
      expect(linkIndexes(all)).toEqual(linkIndexes(plain));
      expect(messages.filter((m) => m.type === RTM_NEWLINK).map((m) => m.bytes.readInt32LE(20))).toEqual(
        plain.flatMap((d) => splitMessages(d.data)).filter((m) => m.type === RTM_NEWLINK).map((m) => m.bytes.readInt32LE(20)),
      );
      expect(linkIndexes(all)).toEqual(ipLinks(ns).map((l) => l.ifindex).sort((a, b) => a - b));
      // Polled again: the next answer reaches the watcher.
      const third = getLinkDump(3);
      native.socketSend(fd, [third.header, third.body]);
      await until(() => readableAfterEnd > 0, 'the watcher after the end');
      expect(watcherWhileAhead).toBe(0);
      expect(afterEnd).toBe(0);
      // The thread has exited and closed its copy of the fd.
      await until(() => threadCount() <= threads, 'the thread to exit');
      expect(openFdCount()).toBe(fds + 1); // the socket itself
    } finally {
      native.socketClose(fd);
    }
    expect(openFdCount()).toBe(fds);
  }, T);

  it('closing the socket stops the thread; the end still comes, and no fd or thread is left', async () => {
    const threads = threadCount();
    const fds = openFdCount();
    let ended = false;
    let started: boolean | undefined;
    let handedOver = 0;
    const fd = polledSocket((fd) => {
      native.socketRecv(fd);
      started = native.readAhead(fd, (got) => {
        if (got !== null) handedOver++;
        else ended = true;
      });
      native.socketClose(fd);
    });
    const { header, body } = getLinkDump(1);
    native.socketSend(fd, [header, body]);
    await until(() => ended, 'the end after close');
    expect(started).toBe(true);
    await until(() => threadCount() <= threads && openFdCount() === fds, 'the thread and its fd to go');
    // Cancelled: at most the datagram being read when it was closed, not the ~30 of the dump.
    expect(handedOver).toBeLessThanOrEqual(1);
  }, T);

  it('refuses an fd that is not polled, starting nothing', () => {
    const fds = openFdCount();
    const fd = native.socketOpen(NETLINK_ROUTE, handle.fd);
    try {
      expect(native.readAhead(fd, () => {})).toBe(false);
      expect(openFdCount()).toBe(fds + 1);
    } finally {
      native.socketClose(fd);
    }
  });

  it('a connection reads a long dump ahead and lists what it lists reading on this thread', async () => {
    let handOvers = 0;
    const readAhead = native.readAhead;
    native.readAhead = (fd, onDatagram) => {
      handOvers++;
      return readAhead(fd, onDatagram);
    };
    try {
      const ahead = connectInNetns(ns);
      const here = connectInNetns(ns, { readAhead: false });
      try {
        const read = await new Links(ahead).list();
        expect(handOvers).toBe(1);
        const expected = await new Links(here).list();
        expect(handOvers).toBe(1);
        expect(read.map((l) => [l.index, l.name])).toEqual(expected.map((l) => [l.index, l.name]));
        expect(read.map((l) => l.name).sort()).toEqual(ipLinkNames(ns));
        // A short answer is read here: no thread for it.
        await new Links(ahead).get('b1');
        expect(handOvers).toBe(1);
      } finally {
        ahead.close();
        here.close();
      }
    } finally {
      native.readAhead = readAhead;
    }
  }, T);

  it('a batch sent while a dump is read ahead is settled by its acks, not called silent', async () => {
    const conn = connectInNetns(ns);
    const transport = conn.transport as unknown as { readingAhead: boolean };
    let batch: ReturnType<typeof conn.batch> | undefined;
    let sentDuringReadAhead = false;
    let received = 0;
    try {
      await conn.dump(
        { type: 18, payload: new Uint8Array(16) }, // RTM_GETLINK
        {
          onBody(bytes) {
            received += bytes.length;
            if (batch === undefined && transport.readingAhead) {
              sentDuringReadAhead = true;
              const create = NlmFlags.NLM_F_ACK | NlmFlags.NLM_F_CREATE | NlmFlags.NLM_F_EXCL;
              batch = conn.batch([
                { ...linkMessage(RTM_NEWLINK, { ifname: 'late0', linkinfo: { kind: 'bridge' } }), flags: create },
                { ...linkMessage(RTM_NEWLINK, { ifname: 'late1', linkinfo: { kind: 'bridge' } }), flags: create },
              ]);
            }
          },
          // The links made mid-dump may interrupt it (the kernel flags the rest): it is read again.
          onRestart() {
            received = 0;
          },
        },
      );
      expect(received).toBeGreaterThan(READ_AHEAD_AFTER_BYTES);
      expect(sentDuringReadAhead).toBe(true);
      const outcomes = await batch!;
      expect(outcomes.map((o) => o.status)).toEqual(['acked', 'acked']);
      expect(ipLinkNames(ns)).toEqual(expect.arrayContaining(['late0', 'late1']));
    } finally {
      conn.close();
    }
  }, T);

  it('is off with readAhead: false: every datagram is read on this thread', async () => {
    const conn = connectInNetns(ns, { readAhead: false });
    const transport = conn.transport as unknown as { readingAhead: boolean };
    let seenAhead = false;
    try {
      await conn.dump({ type: 18, payload: new Uint8Array(16) }, { onBody: () => void (seenAhead ||= transport.readingAhead) });
      expect(seenAhead).toBe(false);
    } finally {
      conn.close();
    }
  }, T);

  it('a worker terminated while its dump is read ahead ends cleanly (the thread is stopped first)', () => {
    // Node finalizes a terminated worker's thread-safe functions at once; a thread still
    // calling one aborted the process (a use after free) in 6 of 9 tries before the binding
    // joined the thread in the finalizer.
    for (let i = 0; i < 4; i++) {
      const run = spawnSync(process.execPath, [WORKER_SCRIPT, ns], { encoding: 'utf8', timeout: 20_000 });
      expect({ status: run.status, signal: run.signal, stdout: run.stdout.trim() }).toEqual({ status: 0, signal: null, stdout: 'terminated' });
    }
  }, T);
});
