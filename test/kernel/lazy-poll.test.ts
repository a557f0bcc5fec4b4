/**
 * When a netlink socket is polled (socket-transport.ts): a libuv watcher is a native call paid
 * on a setup's first use, and a socket whose requests are answered inside sendmsg (read right
 * after the send) never needs one. A socket joined to multicast groups is polled from the
 * start or from when it joins, so events arrive while nobody waits for them.
 */
import { afterAll, afterEach, beforeAll, expect, it, vi } from 'vitest';
import { native } from '../../src/native/binding.js';
import type { Connection } from '../../src/netlink/connection.js';
import { RtnlGroup } from '../../src/netlink/route/constants.js';
import type { SocketTransport } from '../../src/netlink/socket-transport.js';
import { connectInNetns } from '../../src/netns/connect.js';
import { createNetns, deleteNetns } from '../../src/netns/netns.js';
import { Links } from '../../src/route/links.js';
import { describeKernel, guardThreadNetns, randomName } from './sandbox.js';

const RTM_NEWLINK = 16;

/** The fds pollStart was called with from now on. */
function watchPollStarts(): number[] {
  const fds: number[] = [];
  const pollStart = native.pollStart.bind(native);
  vi.spyOn(native, 'pollStart').mockImplementation((fd, onReadable) => {
    fds.push(fd);
    pollStart(fd, onReadable);
  });
  return fds;
}

const fdOf = (conn: Connection): number => (conn.transport as SocketTransport).fd;

/** The next event on `conn` that is an RTM_NEWLINK for `name`, read once it was already queued. */
async function newLinkEvent(conn: Connection, name: string): Promise<boolean> {
  const events = conn.events()[Symbol.asyncIterator]();
  try {
    for (;;) {
      const next = await events.next();
      if (next.done) return false;
      const event = next.value;
      if (event.kind !== 'message' || event.message.type !== RTM_NEWLINK) continue;
      if (Buffer.from(event.message.payload).includes(Buffer.from(`${name}\0`))) return true;
    }
  } finally {
    await events.return?.();
  }
}

describeKernel('polling a netlink socket', () => {
  guardThreadNetns();
  const netns = randomName('poll');
  beforeAll(() => createNetns(netns));
  afterAll(() => deleteNetns(netns));
  afterEach(() => vi.restoreAllMocks());

  it('a connection whose requests are answered as they are sent starts no watcher', async () => {
    const started = watchPollStarts();
    const conn = connectInNetns(netns);
    try {
      const links = new Links(conn);
      await links.createBridge({ name: 'br-quiet', up: true });
      await links.set('lo', { up: true });
      const bridge = await links.get('br-quiet');
      expect(bridge?.name).toBe('br-quiet');
      expect(started).not.toContain(fdOf(conn));
    } finally {
      conn.close();
    }
  });

  it('a connection opened with groups is polled from the start', async () => {
    const started = watchPollStarts();
    const listener = connectInNetns(netns, { groups: [RtnlGroup.RTNLGRP_LINK] });
    const maker = connectInNetns(netns);
    try {
      expect(started).toContain(fdOf(listener));
      await new Links(maker).createBridge({ name: 'br-early' });
      expect(await newLinkEvent(listener, 'br-early')).toBe(true);
    } finally {
      listener.close();
      maker.close();
    }
  });

  it('a connection that joins a group later is polled from then on', async () => {
    const started = watchPollStarts();
    const listener = connectInNetns(netns);
    const maker = connectInNetns(netns);
    try {
      expect(started).not.toContain(fdOf(listener));
      (listener.transport as SocketTransport).addMembership(RtnlGroup.RTNLGRP_LINK);
      expect(started).toContain(fdOf(listener));
      await new Links(maker).createBridge({ name: 'br-late' });
      expect(await newLinkEvent(listener, 'br-late')).toBe(true);
    } finally {
      listener.close();
      maker.close();
    }
  });

  it('a dump that waits on the kernel is polled and completes', async () => {
    const started = watchPollStarts();
    const conn = connectInNetns(netns);
    try {
      const names = (await new Links(conn).list()).map((l) => l.name);
      expect(names).toContain('lo');
      expect(started).toContain(fdOf(conn));
    } finally {
      conn.close();
    }
  });
});
