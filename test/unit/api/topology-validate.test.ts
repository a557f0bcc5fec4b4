import { describe, expect, it } from 'vitest';
import { ValidationError } from '../../../src/netlink/errors.js';
import { derivePeerName, validateTopology } from '../../../src/api/topology/validate.js';
import type { Topology } from '../../../src/api/topology/schema.js';

const tutorial = (): Topology => ({
  name: 'tutorial',
  bridges: [{ name: 'v-net-0', addresses: ['192.168.15.5/24'] }],
  namespaces: [
    { name: 'red', interfaces: [{ name: 'veth-red', bridge: 'v-net-0', addresses: ['192.168.15.1/24'] }], gateway: '192.168.15.5' },
    { name: 'blue', interfaces: [{ name: 'veth-blue', bridge: 'v-net-0', addresses: ['192.168.15.2/24'] }], gateway: '192.168.15.5' },
  ],
  nat: { masquerade: [{ source: '192.168.15.0/24' }], forwards: [{ protocol: 'tcp', port: 80, to: '192.168.15.2:80' }] },
});

function fieldOf(fn: () => unknown): string {
  try {
    fn();
  } catch (err) {
    expect(err).toBeInstanceOf(ValidationError);
    return (err as ValidationError).field;
  }
  throw new Error('expected a ValidationError');
}

describe('topology validation', () => {
  it('resolves the tutorial: peer names, parsed addresses, default routes, forwards', () => {
    const r = validateTopology(tutorial());
    expect(r.namespaces.map((n) => n.interfaces[0]!.peer)).toEqual(['veth-red-br', 'veth-blue-br']);
    expect(r.namespaces[0]!.routes).toEqual([{ family: 4, to: undefined, via: '192.168.15.5' }]);
    expect(r.forwards[0]).toMatchObject({ protocol: 'tcp', ports: [80, 80], toAddress: '192.168.15.2', toPorts: [80, 80], family: 4 });
    expect(r.masquerade[0]!.source).toMatchObject({ address: '192.168.15.0', prefixLength: 24 });
    expect(r.forwarding).toBe('per-device');
  });

  it('derives short, unique peer names', () => {
    expect(derivePeerName('veth-red')).toBe('veth-red-br');
    const long = derivePeerName('a-very-long-nm');
    expect(Buffer.byteLength(long)).toBeLessThanOrEqual(15);
    expect(long).not.toBe(derivePeerName('a-very-long-nx'));
  });

  const bad: Array<[string, (t: Topology) => void, string]> = [
    ['topology name with a slash', (t) => (t.name = 'a/b'), 'name'],
    ['interface name of 16 bytes', (t) => (t.namespaces![0]!.interfaces![0]!.name = 'x'.repeat(16)), 'namespaces[0].interfaces[0].name'],
    ['interface name of multibyte characters over 15 bytes', (t) => (t.namespaces![0]!.interfaces![0]!.name = 'ééééééééé'), 'namespaces[0].interfaces[0].name'],
    ['namespace name ../x', (t) => (t.namespaces![0]!.name = '../x'), 'namespaces[0].name'],
    ['address 1.2.3', (t) => (t.namespaces![0]!.interfaces![0]!.addresses = ['1.2.3/24']), 'namespaces[0].interfaces[0].addresses[0]'],
    ['address 01.2.3.4', (t) => (t.bridges![0]!.addresses = ['01.2.3.4/24']), 'bridges[0].addresses[0]'],
    ['prefix /33', (t) => (t.bridges![0]!.addresses = ['192.168.15.5/33']), 'bridges[0].addresses[0]'],
    ['address outside its bridge subnet', (t) => (t.namespaces![0]!.interfaces![0]!.addresses = ['10.0.0.1/24']), 'namespaces[0].interfaces[0].addresses[0]'],
    ['gateway off every subnet', (t) => (t.namespaces![0]!.gateway = '10.9.9.9'), 'namespaces[0].gateway'],
    ['unknown bridge', (t) => (t.namespaces![0]!.interfaces![0]!.bridge = 'nope'), 'namespaces[0].interfaces[0].bridge'],
    ['duplicate namespace', (t) => (t.namespaces![1]!.name = 'red'), 'namespaces[1].name'],
    ['duplicate address', (t) => (t.namespaces![1]!.interfaces![0]!.addresses = ['192.168.15.1/24']), 'namespaces[1].interfaces[0].addresses[0]'],
    ['overlapping bridge subnets', (t) => t.bridges!.push({ name: 'v-net-1', addresses: ['192.168.0.1/16'] }), 'bridges[1].addresses[0]'],
    ['port 0', (t) => (t.nat!.forwards![0]!.port = 0), 'nat.forwards[0].port'],
    ['port 65536', (t) => (t.nat!.forwards![0]!.port = 65536), 'nat.forwards[0].port'],
    ['inverted range', (t) => (t.nat!.forwards![0]!.port = '90-80'), 'nat.forwards[0].port'],
    ['forward outside every subnet', (t) => (t.nat!.forwards![0]!.to = '10.1.1.1:80'), 'nat.forwards[0].to'],
    ['family mismatch in from', (t) => (t.nat!.forwards![0]!.from = ['fd00::/64']), 'nat.forwards[0].from[0]'],
    ['unknown protocol', (t) => ((t.nat!.forwards![0] as { protocol: string }).protocol = 'sctp'), 'nat.forwards[0].protocol'],
    ['overlapping forwards', (t) => t.nat!.forwards!.push({ protocol: 'tcp', port: '70-85', to: '192.168.15.1:80' }), 'nat.forwards[1].port'],
    ['target range other than the same ports', (t) => (t.nat!.forwards![0] = { protocol: 'udp', port: '1000-1010', to: '192.168.15.2:2000-2010' }), 'nat.forwards[0].to'],
  ];
  for (const [what, mutate, field] of bad) {
    it(`refuses ${what}, naming ${field}`, () => {
      const t = tutorial();
      mutate(t);
      expect(fieldOf(() => validateTopology(t))).toBe(field);
    });
  }

  it('accepts IPv6 alongside IPv4 and port ranges', () => {
    const t = tutorial();
    t.bridges![0]!.addresses!.push('fd15::5/64');
    t.namespaces![1]!.interfaces![0]!.addresses!.push('fd15::2/64');
    t.nat!.forwards!.push({ protocol: 'udp', port: '5000-5010', to: '[fd15::2]:5000-5010' });
    const r = validateTopology(t);
    expect(r.forwards[1]).toMatchObject({ family: 6, toAddress: 'fd15::2', ports: [5000, 5010], toPorts: [5000, 5010] });
  });
});
