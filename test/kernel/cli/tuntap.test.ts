/**
 * `ip tuntap`: the same command lines run by `ip` in one namespace and by `netns-ts` in another
 * leave the same devices (compared with `ip -j tuntap show` and `ip -j -d link show`), and
 * `netns-ts ip tuntap show` prints what `ip tuntap show` prints, as text and as JSON.
 */
import { afterAll, beforeAll, expect, it } from 'vitest';
import { createNetns, deleteNetns } from '../../../src/netns/index.js';
import { describeKernel, randomName } from '../sandbox.js';
import { cli, cliOk, ip } from './cli.js';

const LINES = [
  'tuntap add tap0 mode tap',
  'tuntap add dev tun0 mode tun pi vnet_hdr',
  'tuntap add name tapq mode tap multi_queue user 65534 group 0',
  'tap add tap9 mode tap one_queue user nobody',
  'tuntap del tap9 mode tap',
];

interface IpTunLink {
  ifname: string;
  linkinfo?: { info_kind?: string; info_data?: unknown };
}

describeKernel('ip tuntap: netns-ts and ip leave the same devices', () => {
  const theirs = randomName('tti');
  const ours = randomName('tto');

  beforeAll(async () => {
    createNetns(theirs);
    createNetns(ours);
    for (const line of LINES) {
      ip('-n', theirs, ...line.split(' '));
      await cliOk('ip', '-n', ours, ...line.split(' '));
    }
  });
  afterAll(() => {
    deleteNetns(theirs);
    deleteNetns(ours);
  });

  it('same devices, same tun data', () => {
    expect(JSON.parse(ip('-n', ours, '-j', 'tuntap', 'show'))).toEqual(JSON.parse(ip('-n', theirs, '-j', 'tuntap', 'show')));
    const tunData = (ns: string): unknown[] =>
      (JSON.parse(ip('-n', ns, '-j', '-d', 'link', 'show')) as IpTunLink[]).filter((l) => l.linkinfo?.info_kind === 'tun').map((l) => [l.ifname, l.linkinfo?.info_data]);
    expect(tunData(ours)).toEqual(tunData(theirs));
    expect(tunData(ours)).toHaveLength(3);
  });

  it('show prints what ip prints, as text and as JSON', async () => {
    expect(await cliOk('ip', '-n', ours, 'tuntap', 'show')).toBe(ip('-n', theirs, 'tuntap', 'show').trimEnd());
    expect(JSON.parse(await cliOk('ip', '-n', ours, '-j', 'tuntap'))).toEqual(JSON.parse(ip('-n', theirs, '-j', 'tuntap', 'show')));
    expect(await cliOk('ip', '-n', ours, 'tuntap', 'show', 'mode', 'tun')).toBe('tun0: tun pi vnet_hdr persist filter');
    expect(await cliOk('ip', '-n', ours, 'tuntap', 'show', 'dev', 'tap0')).toBe('tap0: tap persist');
  });

  it('ip -d link show prints tun data as ip does, as text and as JSON', async () => {
    const linkinfo = (json: string): unknown[] => (JSON.parse(json) as IpTunLink[]).filter((l) => l.linkinfo?.info_kind === 'tun').map((l) => [l.ifname, l.linkinfo]);
    expect(linkinfo(await cliOk('ip', '-n', ours, '-j', '-d', 'link', 'show'))).toEqual(linkinfo(ip('-n', ours, '-j', '-d', 'link', 'show')));
    for (const dev of ['tap0', 'tun0', 'tapq']) {
      const kindLine = (text: string): string | undefined => text.split('\n').find((l) => l.trimStart().startsWith('tun '));
      expect(kindLine(await cliOk('ip', '-n', ours, '-d', 'link', 'show', dev)), dev).toBe(kindLine(ip('-n', ours, '-d', 'link', 'show', dev))!.trimEnd());
    }
  });

  it('refuses, naming the words at fault, and changes nothing', async () => {
    const before = ip('-n', ours, '-j', 'tuntap', 'show');
    const cases: Array<[string[], string]> = [
      [['tuntap', 'add', 'tap0', 'mode', 'tap'], 'ip tuntap add: tap0: a link of that name already exists (kernel: EBUSY)'],
      [['tuntap', 'add', 'tapz'], 'ip tuntap add: mode tun or mode tap is required'],
      [['tuntap', 'add', 'tapz', 'mode', 'ether'], 'ip tuntap add: mode ether: must be tun or tap'],
      [['tuntap', 'add', 'tapz', 'mode', 'tap', 'user', 'no-such-user-here'], 'ip tuntap add: user no-such-user-here: no such user'],
      [['tuntap', 'del', 'tun0'], 'ip tuntap del: mode tun or mode tap is required'],
      [['tuntap', 'del', 'tun0', 'mode', 'tap'], 'ip tuntap del: mode tap: tun0 is a tun device'],
      [['tuntap', 'del', 'lo', 'mode', 'tun'], 'ip tuntap del: lo: not a tun/tap device'],
      [['tuntap', 'del', 'nope', 'mode', 'tun'], 'ip tuntap del: nope: no such device'],
    ];
    for (const [args, message] of cases) {
      const r = await cli('ip', '-n', ours, ...args);
      expect(r.status, args.join(' ')).not.toBe(0);
      expect(r.err, args.join(' ')).toContain(message);
    }
    expect(ip('-n', ours, '-j', 'tuntap', 'show')).toBe(before);
  });
});
