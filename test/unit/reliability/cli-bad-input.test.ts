import { describe, expect, it } from 'vitest';
import { run } from '../../../src/cli/run.js';
import { Connection } from '../../../src/netlink/connection.js';
import { FakeKernel } from '../../../src/netlink/testing/index.js';
import { recordFigure } from '../../helpers/figures.js';

// Bad input through the command line: one clear line on stderr, a non-zero status, and not one
// datagram sent (every connection the CLI opens goes to a spying fake kernel).
const BAD: string[][] = [
  ['ip', 'link', 'add', 'x'.repeat(16), 'type', 'bridge'],
  ['ip', 'link', 'add', 'ééééééééé', 'type', 'bridge'],
  ['ip', 'link', 'add', 'a/b', 'type', 'bridge'],
  ['ip', 'link', 'add', '$(reboot)', 'type', 'bridge'],
  ['ip', 'link', 'add', 'br0', 'type', 'bridge', 'nosuchoption', '1'],
  ['ip', 'link', 'set', 'eth0', 'mtu', 'big'],
  ['ip', 'addr', 'add', '1.2.3/24', 'dev', 'eth0'],
  ['ip', 'addr', 'add', '01.2.3.4/24', 'dev', 'eth0'],
  ['ip', 'addr', 'add', '1.2.3.4/33', 'dev', 'eth0'],
  ['ip', 'route', 'add', '10.0.0.0/8', 'via', 'fd00::1'],
  ['ip', 'netns', 'add', '../x'],
  ['ip', 'netns', 'add', 'a/b'],
  ['ip', '-n', '../x', 'link', 'show'],
  ['ip', 'link', 'frobnicate'],
  ['nft', 'add', 'rule', 'ip', 't', 'c', 'tcp', 'dport', '65536', 'accept'],
  ['nft', 'add', 'rule', 'ip', 't', 'c', 'tcp', 'dport', '90-80', 'accept'],
  ['nft', 'add', 'rule', 'ip', 't', 'c', 'ip', 'saddr', '1.2.3', 'accept'],
  ['nft', 'add', 'chain', 'ip', 't', 'c', '{', 'type', 'nat', 'hook', 'forward', 'priority', '0', ';', '}'],
  ['iptables', '-t', 'nat', '-A', 'PREROUTING', '--dport', '80', '--to-destination', '192.168.15.2:80', '-j', 'DNAT'],
  ['iptables', '-t', 'nat', '-A', 'POSTROUTING', '-s', '192.168.15.0/33', '-j', 'MASQUERADE'],
  ['iptables', '-t', 'nat', '-A', 'INPUT', '-p', 'tcp', '--dport', '80', '-j', 'DNAT', '--to-destination', '1.2.3.4'],
];

describe('bad input through the CLI: one line, non-zero status, nothing sent', () => {
  for (const argv of BAD) {
    it(argv.join(' '), async () => {
      const kernels: FakeKernel[] = [];
      const err: string[] = [];
      const out: string[] = [];
      recordFigure('bad inputs tried');
      const status = await run(argv, { out: (l) => out.push(l), err: (l) => err.push(l) }, {
        connector: () => {
          const k = new FakeKernel((m, kk) => kk.ack(m));
          kernels.push(k);
          return new Connection(k);
        },
      });
      expect(status).not.toBe(0);
      expect(err.join('\n')).toMatch(/^netns-ts: /);
      expect(err.join('\n').split('\n').filter((l) => l.startsWith('netns-ts: '))).toHaveLength(1);
      expect(kernels.reduce((n, k) => n + k.sent.length, 0)).toBe(0);
      recordFigure('bad inputs refused before sending');
    });
  }

  it('the tutorial\'s broken DNAT line says what is missing', async () => {
    const err: string[] = [];
    await run(['iptables', '-t', 'nat', '-A', 'PREROUTING', '--dport', '80', '--to-destination', '192.168.15.2:80', '-j', 'DNAT'], { out: () => undefined, err: (l) => err.push(l) });
    expect(err.join('\n')).toMatch(/--dport/);
    expect(err.join('\n')).toMatch(/-p tcp|-p udp/);
  });
});
