import { describe, expect, it } from 'vitest';
import { parseAddressCommand } from '../../../src/cli/ip/addr-parse.js';
import { parseNeighCommand } from '../../../src/cli/ip/neigh-parse.js';
import { parseRouteCommand } from '../../../src/cli/ip/route-parse.js';
import { UsageError } from '../../../src/cli/usage-error.js';

const w = (s: string) => s.split(' ');

describe('ip address', () => {
  it('add with broadcast +, label, scope, lifetimes and flags', () => {
    const { command, tokens } = parseAddressCommand('add', w('10.0.0.1/24 b + label veth0:1 scope link valid_lft 100 preferred_lft forever nodad noprefixroute me 5 dev veth0'));
    expect(command).toEqual({
      verb: 'add',
      input: { address: '10.0.0.1/24', broadcast: '+', label: 'veth0:1', scope: 'link', validLifetime: 100, preferredLifetime: 'forever', flags: ['nodad', 'noprefixroute'], metric: 5, dev: 'veth0' },
    });
    expect(tokens.subject).toBe('10.0.0.1/24 dev veth0');
    expect(tokens.find('rtPriority')).toBe('me 5');
  });

  it('local and peer', () => {
    expect(parseAddressCommand('add', w('local 10.0.0.1 peer 10.0.0.2/32 dev ptp0')).command).toMatchObject({ input: { address: '10.0.0.1', peer: '10.0.0.2/32', dev: 'ptp0' } });
  });

  it('keywords ip wants in full: dev, label, scope, peer', () => {
    for (const line of ['10.0.0.1/24 de veth0', '10.0.0.1/24 la x dev veth0', '10.0.0.1/24 sc link dev veth0', '10.0.0.1/24 pe 10.0.0.2 dev veth0']) {
      expect(() => parseAddressCommand('add', w(line))).toThrow(UsageError);
    }
  });

  it('delete, flush and show', () => {
    expect(parseAddressCommand('delete', w('10.0.0.1/24 dev veth0')).command).toEqual({ verb: 'delete', input: { dev: 'veth0', address: '10.0.0.1/24' } });
    expect(() => parseAddressCommand('delete', w('10.0.0.1/24 dev veth0 scope link'))).toThrow(/not used when deleting/);
    expect(parseAddressCommand('flush', w('dev veth0 scope global')).command).toEqual({ verb: 'flush', dev: 'veth0', scope: 'global' });
    expect(() => parseAddressCommand('flush', [])).toThrow(/flush needs a filter/);
    expect(parseAddressCommand('show', w('veth0 up')).command).toEqual({ verb: 'show', dev: 'veth0', up: true });
  });
});

describe('ip route', () => {
  it('add with via, dev, table, metric, proto, scope, src, mtu lock, advmss', () => {
    const { command } = parseRouteCommand('add', w('10.1.0.0/16 via 10.0.0.2 dev veth0 ta 100 met 5 pro static scope global src 10.0.0.1 mtu lock 1400 advmss 1300'));
    expect(command).toEqual({
      verb: 'add',
      route: { to: '10.1.0.0/16', via: '10.0.0.2', dev: 'veth0', table: 100, metric: 5, protocol: 'static', scope: 'global', src: '10.0.0.1', metrics: { mtu: 1400, lock: ['mtu'], advmss: 1300 } },
    });
  });

  it('a type before the destination, default, nexthops', () => {
    expect(parseRouteCommand('add', w('blackhole 10.26.0.0/16')).command).toEqual({ verb: 'add', route: { type: 'blackhole', to: '10.26.0.0/16' } });
    expect(parseRouteCommand('add', w('default via 10.0.0.1')).command).toEqual({ verb: 'add', route: { to: 'default', via: '10.0.0.1' } });
    expect(parseRouteCommand('add', w('10.2.0.0/16 nexthop via 10.0.0.2 weight 1 nexthop via 10.0.0.3 dev veth0 weight 2')).command).toEqual({
      verb: 'add',
      route: { to: '10.2.0.0/16', nexthops: [{ via: '10.0.0.2', weight: 1 }, { via: '10.0.0.3', dev: 'veth0', weight: 2 }] },
    });
  });

  it('keywords ip wants in full: v for via, s for src, d for dev, type before a prefix', () => {
    for (const line of ['10.1.0.0/16 v 10.0.0.2', '10.1.0.0/16 via 10.0.0.2 s 10.0.0.1', '10.1.0.0/16 via 10.0.0.2 d veth0', 'type blackhole 10.0.0.0/8']) {
      expect(() => parseRouteCommand('add', w(line))).toThrow(UsageError);
    }
  });

  it('show filters and get', () => {
    expect(parseRouteCommand('show', w('table all dev veth0 proto kernel root 10.0.0.0/8')).command).toEqual({ verb: 'show', table: 'all', dev: 'veth0', protocol: 'kernel', to: { how: 'root', prefix: '10.0.0.0/8' } });
    expect(parseRouteCommand('get', w('10.1.2.3 from 10.0.0.1 oif veth0 mark 7')).command).toEqual({ verb: 'get', address: '10.1.2.3', lookup: { from: '10.0.0.1', oif: 'veth0', mark: 7 } });
  });
});

describe('ip neigh', () => {
  it('add with ll, nud abbreviation, router; proxy entries', () => {
    expect(parseNeighCommand('add', w('10.0.0.5 ll 02:00:00:00:00:05 nud reach router dev veth0')).command).toEqual({
      verb: 'add', input: { address: '10.0.0.5', lladdr: '02:00:00:00:00:05', state: 'reachable', router: true, dev: 'veth0' },
    });
    expect(parseNeighCommand('add', w('pr 10.0.0.55 dev veth0')).command).toEqual({ verb: 'add', input: { proxy: true, address: '10.0.0.55', dev: 'veth0' } });
  });

  it('nu and ro are refused, as by ip', () => {
    expect(() => parseNeighCommand('add', w('10.0.0.5 lladdr 02:00:00:00:00:05 nu reachable dev veth0'))).toThrow(UsageError);
    expect(() => parseNeighCommand('add', w('10.0.0.5 lladdr 02:00:00:00:00:05 dev veth0 ro'))).toThrow(UsageError);
  });

  it('show and flush filters', () => {
    expect(parseNeighCommand('show', w('dev veth0 proxy')).command).toEqual({ verb: 'show', dev: 'veth0', proxy: true });
    expect(parseNeighCommand('show', w('nud all')).command).toEqual({ verb: 'show', proxy: false, all: true });
    expect(parseNeighCommand('flush', w('dev veth0 nud stale')).command).toEqual({ verb: 'flush', dev: 'veth0', proxy: false, states: ['stale'] });
    expect(() => parseNeighCommand('flush', [])).toThrow(/flush needs a filter/);
  });
});
