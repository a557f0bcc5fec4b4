import { execFileSync } from 'node:child_process';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { NlmFlags } from '../../../src/netlink/constants.js';
import { createNetns, deleteNetns } from '../../../src/netns/index.js';
import { connectInNetns } from '../../../src/netns/connect.js';
import { recordFigure } from '../../helpers/figures.js';
import { describeKernel, randomName } from '../sandbox.js';
import { addBridges, decodeLinks, ipLinkNames, RTM_GETLINK } from './helpers.js';

// Another local process forges answers to our pending dump: an error, a fake link and a DONE,
// each carrying our port and the dump's sequence number. Only the kernel (port 0) may answer.
const FORGER = `
import socket, struct, sys
port, seq = int(sys.argv[1]), int(sys.argv[2])
s = socket.socket(socket.AF_NETLINK, socket.SOCK_RAW, 0)
s.bind((0, 0))
def msg(t, flags, body):
    return struct.pack('=IHHII', 16 + len(body), t, flags, seq, port) + body
err = msg(2, 0, struct.pack('=i', -1) + struct.pack('=IHHII', 32, 18, 0x301, seq, port))
fake = msg(16, 2, bytes(16) + struct.pack('=HH', 12, 3) + b'forged\\0\\0')
done = msg(3, 2, struct.pack('=i', 0))
for d in (err, fake + done):
    s.sendto(d, (port, 0))
`;

describeKernel('fault: forged replies from another local socket', () => {
  const ns = randomName('forge');
  beforeAll(() => {
    createNetns(ns);
    addBridges(ns, 'f', 300); // a dump spanning several datagrams
  });
  afterAll(() => deleteNetns(ns));

  it('are dropped and counted while a dump is pending; the dump is exactly the kernel\'s', async () => {
    let forged = false;
    const conn = connectInNetns(ns, {
      trace: (dir, data) => {
        // Right after our dump request leaves (the kernel has queued only its first part),
        // a forger in the same namespace sends its datagrams to our port.
        const flags = data[6]! | (data[7]! << 8);
        if (dir !== 'send' || (flags & NlmFlags.NLM_F_DUMP) !== NlmFlags.NLM_F_DUMP || forged) return;
        forged = true;
        const seq = Buffer.from(data).readUInt32LE(8);
        execFileSync('ip', ['netns', 'exec', ns, 'python3', '-c', FORGER, String(conn.port), String(seq)]);
      },
    });
    try {
      const links = decodeLinks(await conn.dump({ type: RTM_GETLINK, payload: new Uint8Array(16) }));
      expect(forged).toBe(true);
      expect(links.map((l) => l.name).sort()).toEqual(ipLinkNames(ns));
      expect(links.map((l) => l.name)).not.toContain('forged');
      expect(conn.stats.foreignDropped).toBe(2);
      recordFigure('faults injected', 2);
      recordFigure('faults survived', 2);
    } finally {
      conn.close();
    }
  });

});
