/**
 * What the outbox (src/netlink/outbox.ts) counts on from the kernel: the messages of one
 * datagram are handled one after another as if each came alone — each answered, an error in
 * one not stopping the next, a later one seeing what an earlier one did.
 */
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { Connection } from '../../src/netlink/connection.js';
import { NetlinkError } from '../../src/netlink/errors.js';
import type { SocketTransport } from '../../src/netlink/socket-transport.js';
import { connectInNetns } from '../../src/netns/connect.js';
import { createNetns, deleteNetns } from '../../src/netns/netns.js';
import { Addresses } from '../../src/route/addresses.js';
import { createLinkRequest, setLinkRequest, toOutgoing } from '../../src/route/link-requests.js';
import { Links } from '../../src/route/links.js';
import { describeKernel, guardThreadNetns, ipLinks, randomName, sh } from './sandbox.js';

const EEXIST = 17;

/** The connection, and how many datagrams (sendmsg calls) it has sent. */
function counted(conn: Connection): { sends: () => number } {
  const transport = conn.transport as SocketTransport;
  const send = transport.send.bind(transport);
  let sends = 0;
  transport.send = (parts) => {
    sends++;
    send(parts);
  };
  return { sends: () => sends };
}

describeKernel('requests that leave in one datagram', () => {
  guardThreadNetns();
  const netns = randomName('outbox');
  let conn: Connection;

  beforeAll(() => {
    createNetns(netns);
    conn = connectInNetns(netns);
  });
  afterAll(() => {
    conn.close();
    deleteNetns(netns);
  });

  it('are each answered: one refused (EEXIST) does not stop the ones after it', async () => {
    const { sends } = counted(conn);
    await conn.request(toOutgoing(createLinkRequest('br-taken', 'bridge', undefined, {})));
    const before = sends();
    const results = await Promise.allSettled(['br-one', 'br-taken', 'br-two'].map((name) => conn.request(toOutgoing(createLinkRequest(name, 'bridge', undefined, {})))));
    expect(sends() - before).toBe(1);
    expect(results.map((r) => r.status)).toEqual(['fulfilled', 'rejected', 'fulfilled']);
    const refused = (results[1] as PromiseRejectedResult).reason as NetlinkError;
    expect(refused).toBeInstanceOf(NetlinkError);
    expect(refused.errno).toBe(EEXIST);
    const names = ipLinks(netns).map((l) => l.ifname);
    expect(names).toEqual(expect.arrayContaining(['br-one', 'br-taken', 'br-two']));
  });

  it('are handled in the order they were made: a change to a link created just before it applies', async () => {
    const { sends } = counted(conn);
    const before = sends();
    await Promise.all([
      conn.request(toOutgoing(createLinkRequest('br-ordered', 'bridge', undefined, {}))),
      conn.request(toOutgoing(setLinkRequest({ name: 'br-ordered' }, { mtu: 1280, up: true }))),
    ]);
    expect(sends() - before).toBe(1);
    const [link] = JSON.parse(sh('ip', ['-n', netns, '-j', 'link', 'show', 'br-ordered'])) as Array<{ mtu: number; flags: string[] }>;
    expect(link?.mtu).toBe(1280);
    expect(link?.flags).toContain('UP');
  });

  it('the typed clients send what is started together in one datagram: lo up and an address on it', async () => {
    const { sends } = counted(conn);
    const before = sends();
    await Promise.all([new Links(conn).set('lo', { up: true }), new Addresses(conn).add({ dev: 'lo', address: '10.77.0.1/32' })]);
    expect(sends() - before).toBe(1);
    expect(sh('ip', ['-n', netns, '-o', '-4', 'addr', 'show', 'dev', 'lo'])).toContain('10.77.0.1/32');
  });
});
