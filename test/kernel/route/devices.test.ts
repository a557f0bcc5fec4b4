/**
 * Device names resolved to ifindexes (devices.ts) against the real kernel: by an ioctl on the
 * connection's own socket, in the connection's namespace; a name it does not find goes to
 * RTM_GETLINK, whose error is the one reported. The oracle is `ip -j link show`; which way a name went is told by
 * the datagrams the connection sent (its trace).
 */
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { Connection } from '../../../src/netlink/connection.js';
import { NetlinkError } from '../../../src/netlink/errors.js';
import { RtmType } from '../../../src/netlink/route/constants.js';
import { createNetns, deleteNetns } from '../../../src/netns/index.js';
import { connectInNetns } from '../../../src/netns/connect.js';
import { Addresses } from '../../../src/route/addresses.js';
import { resolveIfindex } from '../../../src/route/devices.js';
import { describeKernel, guardThreadNetns, randomName, sh } from '../sandbox.js';

const ifindexOf = (netns: string, dev: string): number =>
  (JSON.parse(sh('ip', ['-n', netns, '-j', 'link', 'show', 'dev', dev])) as Array<{ ifindex: number }>)[0]!.ifindex;

/** The nlmsg_type of every message a connection sends, in order. */
function connectTraced(netns: string): { conn: Connection; sent: number[] } {
  const sent: number[] = [];
  const conn = connectInNetns(netns, {
    trace: (direction, data) => {
      if (direction === 'send') sent.push(new DataView(data.buffer, data.byteOffset, data.byteLength).getUint16(4, true));
    },
  });
  return { conn, sent };
}

describeKernel('device names resolved to ifindexes', () => {
  guardThreadNetns();
  const ns = randomName('dv');
  const other = randomName('dv2');
  let conn: Connection;
  let sent: number[];

  beforeAll(() => {
    createNetns(ns);
    createNetns(other);
    // Links whose indexes differ between the two namespaces, so a lookup in the wrong one shows.
    sh('ip', ['-n', ns, 'link', 'add', 'dv-a', 'type', 'veth', 'peer', 'name', 'dv-b']);
    sh('ip', ['-n', other, 'link', 'add', 'only-there', 'type', 'veth', 'peer', 'name', 'dv-a']);
    sh('ip', ['-n', ns, 'link', 'property', 'add', 'dev', 'dv-b', 'altname', 'short-alt']);
    ({ conn, sent } = connectTraced(ns));
  });
  afterAll(() => {
    conn?.close();
    deleteNetns(ns);
    deleteNetns(other);
  });

  it('resolves a primary name without a netlink request, in the connection namespace', async () => {
    sent.length = 0;
    expect(await resolveIfindex(conn, 'dv-a')).toBe(ifindexOf(ns, 'dv-a'));
    expect(await resolveIfindex(conn, 'dv-b')).toBe(ifindexOf(ns, 'dv-b'));
    expect(await resolveIfindex(conn, 'lo')).toBe(1);
    expect(sent).toEqual([]);
    // dv-a exists in both namespaces with different indexes: each connection sees its own.
    expect(ifindexOf(other, 'dv-a')).not.toBe(ifindexOf(ns, 'dv-a'));
    const there = connectInNetns(other);
    try {
      expect(await resolveIfindex(there, 'dv-a')).toBe(ifindexOf(other, 'dv-a'));
    } finally {
      there.close();
    }
  });

  it('resolves an altname too (the kernel looks names up in one table with the altnames)', async () => {
    sent.length = 0;
    expect(await resolveIfindex(conn, 'short-alt')).toBe(ifindexOf(ns, 'dv-b'));
    expect(sent).toEqual([]);
  });

  it('reports a missing name as the kernel does (ENODEV from RTM_GETLINK), also for names of another namespace', async () => {
    sent.length = 0;
    const missing = await resolveIfindex(conn, 'only-there').catch((e: unknown) => e);
    expect(missing).toBeInstanceOf(NetlinkError);
    expect(missing).toMatchObject({ code: 'ENODEV' });
    expect(sent).toEqual([RtmType.RTM_GETLINK]);
  });

  it('a request naming its device sends only itself', async () => {
    sent.length = 0;
    await new Addresses(conn).add({ dev: 'dv-a', address: '10.9.8.7/24' });
    expect(sent).toEqual([RtmType.RTM_NEWADDR]);
    const addrs = JSON.parse(sh('ip', ['-n', ns, '-j', 'addr', 'show', 'dev', 'dv-a'])) as Array<{ addr_info: Array<{ local: string; prefixlen: number }> }>;
    expect(addrs[0]!.addr_info.map((a) => `${a.local}/${a.prefixlen}`)).toContain('10.9.8.7/24');
  });

  it('a closed connection fails as any request on it does', async () => {
    const { conn: closed } = connectTraced(ns);
    closed.close();
    await expect(resolveIfindex(closed, 'dv-a')).rejects.toThrow(/closed/);
  });
});
