import { describe, expect, it } from 'vitest';
import { parseLinkCommand } from '../../../src/cli/ip/link-parse.js';
import { UsageError } from '../../../src/cli/usage-error.js';

const add = (line: string) => parseLinkCommand('add', line.split(' '));
const set = (line: string) => parseLinkCommand('set', line.split(' '));

describe('ip link add: the words iproute2 6.1 takes, parsed without the kernel', () => {
  it('a veth pair with the peer created in a namespace', () => {
    const { command, tokens } = add('veth-red type veth peer name veth-red-br netns blue');
    expect(command).toEqual({ verb: 'add', name: 'veth-red', kind: 'veth', options: {}, peer: { name: 'veth-red-br', netns: 'blue' } });
    expect(tokens.subject).toBe('veth-red');
    expect(tokens.find('linkinfo.data.peer.ifname')).toBe('peer name veth-red-br');
    expect(tokens.find('peer.netns')).toBe('peer netns blue');
  });

  it('abbreviations ip accepts: ty, txq, a, m (master), al, n for name, peer without name', () => {
    const { command } = add('n v0 txq 50 a 02:00:00:00:00:01 m br0 al hello ty veth peer v1');
    expect(command).toEqual({
      verb: 'add', name: 'v0', kind: 'veth',
      options: { txqueuelen: 50, address: '02:00:00:00:00:01', master: 'br0', alias: 'hello' },
      peer: { name: 'v1' },
    });
  });

  it('options before type and peer options after it, up and group as in the benchmark lines', () => {
    const { command } = add('vh-1 group 7 up master br0 type veth peer name eth0 netns ns1 mtu 1400 up');
    expect(command).toMatchObject({ name: 'vh-1', options: { group: 7, up: true, master: 'br0' }, peer: { name: 'eth0', netns: 'ns1', mtu: 1400, up: true } });
  });

  it('abbreviations ip refuses are refused here too: mt, g, pe, d for dev', () => {
    expect(() => add('v0 mt 1400 type veth')).toThrow(UsageError);
    expect(() => add('v0 g 3 type veth')).toThrow(UsageError);
    expect(() => add('v0 type veth pe name v1')).toThrow(/pe: unknown or unsupported argument/);
  });

  it('bridge, macvlan, vxlan and ifb options', () => {
    expect(add('br0 type bridge st 1 forward_delay 400').command).toMatchObject({ kind: 'bridge', bridge: { stp: true, forwardDelay: 400 } });
    expect(add('mv0 link eth0 type macvlan mo bridge').command).toMatchObject({ kind: 'macvlan', options: { link: 'eth0' }, macvlan: { mode: 'bridge' } });
    expect(add('vx0 type vxlan id 42 rem 10.9.9.9 loc 10.0.0.1 dev br0 dst 4789 srcport 1000 2000 nolearning').command).toMatchObject({
      kind: 'vxlan', vxlan: { vni: 42, remote: '10.9.9.9', local: '10.0.0.1', dev: 'br0', dstport: 4789, srcPortRange: { low: 1000, high: 2000 }, learning: false },
    });
    expect(add('ifb0 type ifb').command).toMatchObject({ kind: 'ifb' });
  });

  it('bad values name the words at fault', () => {
    expect(() => add('v0 mtu abc type veth')).toThrow('ip link add: mtu abc: must be an integer from 0 to 2147483647');
    expect(() => add('v0 type dummy')).toThrow(/type dummy: creating links of this kind is not supported/);
    expect(() => add('v0 type macvlan mode bridge')).toThrow(/needs link DEV/);
    expect(() => add('v0 type vxlan dstport 4789')).toThrow(/id VNI is required/);
    expect(() => add('v0 type macvlan')).toThrow(UsageError);
    expect(() => add('type veth')).toThrow(/a link name is required/);
  });
});

describe('ip link set / delete / show', () => {
  it('set with dev, several changes, nomaster and rename', () => {
    expect(set('dev veth0 up mtu 1400 nomaster name v0').command).toEqual({ verb: 'set', dev: 'veth0', changes: { up: true, mtu: 1400, master: null, name: 'v0' } });
    expect(set('veth0 m br0 netns blue').command).toEqual({ verb: 'set', dev: 'veth0', changes: { master: 'br0', netns: 'blue' } });
  });

  it('netns given as a number is a process id, as in ip', () => {
    expect(set('veth0 netns 1234').command).toMatchObject({ changes: { netns: { pid: 1234 } } });
  });

  it('set refuses what ip refuses: u for up, nothing to change', () => {
    expect(() => set('veth0 u')).toThrow(UsageError);
    expect(() => set('veth0')).toThrow(/nothing to change on veth0/);
  });

  it('delete by name or group, show with filters', () => {
    expect(parseLinkCommand('delete', ['dev', 'veth0']).command).toEqual({ verb: 'delete', dev: 'veth0' });
    expect(parseLinkCommand('delete', ['group', '7']).command).toEqual({ verb: 'delete', group: 7 });
    expect(parseLinkCommand('show', ['master', 'br0', 'type', 'veth', 'up']).command).toEqual({ verb: 'show', master: 'br0', kind: 'veth', up: true });
    expect(parseLinkCommand('show', ['veth0']).command).toEqual({ verb: 'show', dev: 'veth0', up: false });
    expect(() => parseLinkCommand('show', ['ma', 'br0'])).toThrow(UsageError);
  });
});
