import { afterAll, beforeAll, expect, it } from 'vitest';
import { SOL_SOCKET, SocketSockopt } from '../../../src/netlink/constants.js';
import type { SocketTransport } from '../../../src/netlink/socket-transport.js';
import { createNetns, deleteNetns } from '../../../src/netns/index.js';
import { connectInNetns } from '../../../src/netns/connect.js';
import { recordFigure } from '../../helpers/figures.js';
import { describeKernel, randomName } from '../sandbox.js';
import { addBridges, decodeLinks, ipLinkNames, RTM_GETLINK } from './helpers.js';

describeKernel('fault: receive buffer forced tiny', () => {
  const ns = randomName('rcv');
  beforeAll(() => {
    createNetns(ns);
    addBridges(ns, 'b', 400);
  });
  afterAll(() => deleteNetns(ns));

  it('a 400-link dump through the smallest receive buffer comes back complete, no datagram truncated', async () => {
    const datagrams: number[] = [];
    const conn = connectInNetns(ns, {
      receiveBuffer: 1, // the kernel rounds this up to its minimum (2304 bytes here)
      trace: (dir, data) => {
        if (dir === 'receive') datagrams.push(data.length);
      },
    });
    try {
      const rcvbuf = (conn.transport as SocketTransport).getOption(SOL_SOCKET, SocketSockopt.SO_RCVBUF);
      expect(rcvbuf).toBeLessThan(8192);
      const links = decodeLinks(await conn.dump({ type: RTM_GETLINK, payload: new Uint8Array(16) }));
      expect(links.map((l) => l.name).sort()).toEqual(ipLinkNames(ns));
      expect(links).toHaveLength(401);
      // Several datagrams were needed, each bigger than the receive buffer: sized, not truncated.
      expect(datagrams.length).toBeGreaterThan(3);
      expect(Math.max(...datagrams)).toBeGreaterThan(rcvbuf);
      expect(conn.stats.malformed).toBe(0);
      recordFigure('faults injected');
      recordFigure('faults survived');
    } finally {
      conn.close();
    }
  });
});
