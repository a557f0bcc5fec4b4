import { execFileSync } from 'node:child_process';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { natTableCommands, natTableRemoval } from '../../../src/api/nat/table.js';
import { validateTopology } from '../../../src/api/topology/validate.js';
import { NetlinkProtocol } from '../../../src/netlink/constants.js';
import { NftClient } from '../../../src/nft/client.js';
import { createNetns, deleteNetns } from '../../../src/netns/index.js';
import { connectInNetns } from '../../../src/netns/connect.js';
import { describeKernel, randomName } from '../sandbox.js';

const nft = (ns: string, ...args: string[]) => execFileSync('ip', ['netns', 'exec', ns, 'nft', ...args], { encoding: 'utf8' });

describeKernel('the NAT table of a topology', () => {
  const ns = randomName('nat');
  beforeAll(() => createNetns(ns));
  afterAll(() => deleteNetns(ns));

  it('lists in nft as the rules a person would write, and is replaced and removed atomically', async () => {
    const t = validateTopology({
      name: 'tut',
      bridges: [{ name: 'v-net-0', addresses: ['192.168.15.5/24', 'fd15::5/64'] }],
      nat: {
        masquerade: [{ source: '192.168.15.0/24' }],
        forwards: [
          { protocol: 'tcp', port: 8080, to: '192.168.15.2:80' },
          { protocol: 'udp', port: '5000-5010', to: '192.168.15.3', from: ['10.0.0.0/8'] },
          { protocol: 'tcp', port: 8443, to: '[fd15::2]:443', hostAddress: 'fd00::1' },
        ],
      },
    });
    const spec = { table: 'netns-ts-tut', masquerade: t.masquerade, forwards: t.forwards, hairpinSubnets: t.bridges[0]!.addresses };
    const conn = connectInNetns(ns, { protocol: NetlinkProtocol.NETLINK_NETFILTER });
    const client = new NftClient(conn);
    try {
      await client.apply(natTableCommands(spec));
      const text = nft(ns, 'list', 'table', 'inet', 'netns-ts-tut');
      expect(text).toContain('type nat hook prerouting priority dstnat; policy accept;');
      expect(text).toContain('type nat hook postrouting priority srcnat; policy accept;');
      expect(text).toContain('meta nfproto ipv4 fib daddr type local tcp dport 8080 counter packets 0 bytes 0 dnat ip to 192.168.15.2:80');
      expect(text).toContain('ip saddr 10.0.0.0/8 fib daddr type local udp dport 5000-5010 counter packets 0 bytes 0 dnat ip to 192.168.15.3:5000-5010');
      expect(text).toContain('ip6 daddr fd00::1 tcp dport 8443 counter packets 0 bytes 0 dnat ip6 to [fd15::2]:443');
      expect(text).toContain('ip saddr 192.168.15.0/24 ip daddr != 192.168.15.0/24 counter packets 0 bytes 0 masquerade');
      expect(text).toContain('ct status dnat ip saddr 192.168.15.0/24 ip daddr 192.168.15.0/24 counter packets 0 bytes 0 masquerade');
      expect(text).toMatch(/comment "netns-ts nat [0-9a-f]{16}"/);
      // Applying again replaces, never duplicates.
      await client.apply(natTableCommands(spec));
      expect(nft(ns, 'list', 'table', 'inet', 'netns-ts-tut').match(/dport 8080/g)).toHaveLength(2); // prerouting + output
      await client.apply(natTableRemoval('netns-ts-tut'));
      expect(nft(ns, 'list', 'tables')).not.toContain('netns-ts-tut');
      await client.apply(natTableRemoval('netns-ts-tut')); // idempotent
    } finally {
      client.close();
    }
  });
});
