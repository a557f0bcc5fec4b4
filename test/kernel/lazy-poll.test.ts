/**
 * A connection watches its socket only once something may arrive that no read takes at once
 * (SocketTransport.startPolling): a request still unanswered after its send, or a multicast
 * group joined. These tests count the binding's pollStart calls per socket.
 *
 * The read after a send also stops once the event loop's turn has read for 10 ms
 * (read-turn.ts), and then the rest comes through the watch: on a busy machine (the whole
 * suite in parallel) that budget can run out on the clock alone. Here it never does, so what
 * is tested is the watch's start, not the machine's load.
 */
import { afterEach, beforeEach, expect, it, vi } from 'vitest';
import { native } from '../../src/native/binding.js';
import { connect } from '../../src/netlink/connect.js';
import type { Connection } from '../../src/netlink/connection.js';
import { Links } from '../../src/route/links.js';
import { RTNLGRP_LINK } from './rtnl.js';
import { describeKernel } from './sandbox.js';

vi.mock('../../src/netlink/read-turn.js', async (original) => ({ ...(await original<object>()), mayReadThisTurn: () => true }));

describeKernel('socket watch started on demand', () => {
  const originalPollStart = native.pollStart;
  const originalSend = native.socketSend;
  let started: number[];
  const open: Connection[] = [];

  beforeEach(() => {
    started = [];
    native.pollStart = (fd, onReadable) => {
      started.push(fd);
      originalPollStart(fd, onReadable);
    };
  });
  afterEach(() => {
    native.pollStart = originalPollStart;
    native.socketSend = originalSend;
    for (const c of open.splice(0)) c.close();
  });

  const opened = (c: Connection): Connection => {
    open.push(c);
    return c;
  };
  const fdOf = (c: Connection): number => (c.transport as unknown as { fd: number }).fd;

  it('requests answered inside their send never make a watcher', async () => {
    const conn = opened(connect());
    const links = new Links(conn);
    for (let i = 0; i < 3; i++) expect((await links.get('lo'))?.name).toBe('lo');
    const [byName, byIndex] = await Promise.all([links.get('lo'), links.get(1)]);
    expect([byName?.index, byIndex?.name]).toEqual([1, 'lo']);
    expect(started).not.toContain(fdOf(conn));
  });

  it('a dump watches its socket from its start (its later parts may come on later turns)', async () => {
    const conn = opened(connect());
    expect((await new Links(conn).list()).some((l) => l.name === 'lo')).toBe(true);
    expect(started.filter((s) => s === fdOf(conn))).toHaveLength(1);
  });

  it('a request unanswered after its send starts the watch, and its answer arrives through it', async () => {
    const conn = opened(connect({ timeoutMs: 3000 }));
    const fd = fdOf(conn);
    // The request leaves 20 ms late: the read after the send finds nothing, so only the
    // watch can deliver the answer (without it the request times out).
    native.socketSend = (sendFd, parts) => {
      if (sendFd !== fd) return originalSend(sendFd, parts);
      const copies = parts.map((p) => Uint8Array.from(p));
      setTimeout(() => originalSend(sendFd, copies), 20);
      return copies.reduce((n, p) => n + p.length, 0);
    };
    const lo = await new Links(conn).get('lo');
    expect(lo?.name).toBe('lo');
    expect(started.filter((s) => s === fd)).toHaveLength(1);
    // Started once: later requests reuse it.
    await new Links(conn).get('lo');
    expect(started.filter((s) => s === fd)).toHaveLength(1);
  });

  it('joining a multicast group, at open or later, watches the socket at once', () => {
    const atOpen = opened(connect({ groups: [RTNLGRP_LINK] }));
    expect(started).toContain(fdOf(atOpen));
    const later = opened(connect());
    expect(started).not.toContain(fdOf(later));
    later.transport.addMembership(RTNLGRP_LINK);
    expect(started).toContain(fdOf(later));
  });

  it('closing a connection that never watched its socket releases the fd', () => {
    const conn = connect();
    const fd = fdOf(conn);
    conn.close();
    expect(started).not.toContain(fd);
    // The number is free again: the next socket may get it, and polling it works.
    const next = opened(connect({ groups: [RTNLGRP_LINK] }));
    expect(started).toContain(fdOf(next));
  });
});
