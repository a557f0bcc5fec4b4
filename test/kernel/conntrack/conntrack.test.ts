import { execFileSync } from 'node:child_process';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { Conntrack } from '../../../src/conntrack/index.js';
import { NetlinkProtocol } from '../../../src/netlink/constants.js';
import { createNetns, deleteNetns } from '../../../src/netns/index.js';
import { connectInNetns } from '../../../src/netns/connect.js';
import { describeKernel, randomName } from '../sandbox.js';

const inNs = (ns: string, ...argv: string[]) => execFileSync('ip', ['netns', 'exec', ns, ...argv], { encoding: 'utf8' });
const udpTo = (ns: string, port: number) =>
  inNs(ns, 'python3', '-c', `import socket; s=socket.socket(socket.AF_INET, socket.SOCK_DGRAM); s.sendto(b"x", ("127.0.0.1", ${port}))`);
/** The kernel's own view (procfs), as the oracle. */
const procEntries = (ns: string) => inNs(ns, 'cat', '/proc/net/nf_conntrack').split('\n').filter((l) => l.includes('udp'));

describeKernel('conntrack over ctnetlink', () => {
  const ns = randomName('ct');
  beforeAll(() => {
    createNetns(ns);
    execFileSync('ip', ['-n', ns, 'link', 'set', 'lo', 'up']);
    // Conntrack runs in a namespace only once something needs it: a ct rule does.
    execFileSync('ip', ['netns', 'exec', ns, 'nft', 'add table inet t; add chain inet t out { type filter hook output priority 0; }; add rule inet t out ct state new accept']);
  });
  afterAll(() => deleteNetns(ns));

  it('lists the entries the kernel tracks and deletes exactly the matching ones', async () => {
    udpTo(ns, 5000);
    udpTo(ns, 6000);
    const conn = connectInNetns(ns, { protocol: NetlinkProtocol.NETLINK_NETFILTER });
    const ct = new Conntrack(conn);
    try {
      const entries = (await ct.list(4)).filter((e) => e.orig.protocol === 'udp');
      expect(entries.map((e) => e.orig.dstPort).sort()).toEqual([5000, 6000]);
      expect(entries.length).toBe(procEntries(ns).length);
      for (const e of entries) {
        expect(e.orig.src).toBe('127.0.0.1');
        expect(e.reply.srcPort).toBe(e.orig.dstPort);
        expect(e.status).toContain('confirmed');
      }
      expect(await ct.flush({ protocol: 'udp', origDstPort: 5000 })).toBe(1);
      const left = procEntries(ns);
      expect(left).toHaveLength(1);
      expect(left[0]).toContain('dport=6000');
      // Deleting what is already gone is not an error.
      expect(await ct.delete(entries.find((e) => e.orig.dstPort === 5000)!)).toBe(false);
    } finally {
      conn.close();
    }
  });
});
