/**
 * A prepared rule's guarantee, for any values: the rule it adds encodes byte for byte as the
 * same rule built as objects with those values (the natMatches port forward and masquerade
 * shapes, IPv4 and IPv6), alone or many in one batch; and it decodes back to those values.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { dnatTo, matchAddress, matchFamily, matchPort, matchProtocol, masquerade } from '../../../src/api/nat/matches.js';
import { formatIp } from '../../../src/netlink/addresses.js';
import { encodeBatch } from '../../../src/nft/batch.js';
import type { NftCommand } from '../../../src/nft/command.js';
import { prepareRule } from '../../../src/nft/prepared-rule.js';
import { addRule } from '../../../src/nft/rule-commands.js';
import { RUNS } from '../../helpers/arbitrary.js';

const where = { family: 'inet', table: 'nat', chain: 'pre' } as const;
const port = fc.integer({ min: 0, max: 0xffff });
const v4 = fc.uint8Array({ minLength: 4, maxLength: 4 });
const v6 = fc.uint8Array({ minLength: 16, maxLength: 16 });

function bodies(commands: NftCommand[]): string[] {
  return encodeBatch({ commands }).messages.slice(1, -1).map((m) => Buffer.from(m.payload).toString('hex'));
}

const forward4 = prepareRule(where, { port: 'port', to: 'ipv4', toPort: 'port', dst: 'ipv4' }, (s) => [
  ...matchFamily(4),
  ...matchAddress('daddr', { family: 4, bytes: s.dst, prefixLength: 32 }),
  ...matchProtocol('tcp'),
  ...matchPort('dport', [s.port, s.port]),
  ...dnatTo(4, s.to, [s.toPort, s.toPort]),
]);
const built4 = (p: number, to: Uint8Array, toPort: number, dst: Uint8Array) =>
  addRule({ ...where, expressions: [...matchFamily(4), ...matchAddress('daddr', { family: 4, bytes: dst, prefixLength: 32 }), ...matchProtocol('tcp'), ...matchPort('dport', [p, p]), ...dnatTo(4, to, [toPort, toPort])] });

const range6 = prepareRule(where, { low: 'port', high: 'port', to: 'ipv6' }, (s) => [...matchFamily(6), ...matchProtocol('udp'), ...matchPort('dport', [s.low, s.high]), ...dnatTo(6, s.to)]);
const built6 = (low: number, high: number, to: Uint8Array) => addRule({ ...where, expressions: [...matchFamily(6), ...matchProtocol('udp'), ...matchPort('dport', [low, high]), ...dnatTo(6, to)] });

const masq = prepareRule(where, { src: 'ipv4' }, (s) => [...matchFamily(4), ...matchAddress('saddr', { family: 4, bytes: s.src, prefixLength: 32 }), ...masquerade()]);
const builtMasq = (src: Uint8Array) => addRule({ ...where, expressions: [...matchFamily(4), ...matchAddress('saddr', { family: 4, bytes: src, prefixLength: 32 }), ...masquerade()] });

describe('a prepared rule encodes as the rule built with its values', () => {
  it('IPv4 port forwards (values as bytes or text), many in one batch', () => {
    fc.assert(
      fc.property(fc.array(fc.tuple(port, v4, port, v4), { minLength: 1, maxLength: 20 }), (rows) => {
        const prepared = rows.map(([p, to, toPort, dst], i) => forward4.add({ port: p, to: i % 2 ? to : formatIp(to), toPort, dst }));
        expect(bodies(prepared)).toEqual(bodies(rows.map(([p, to, toPort, dst]) => built4(p, to, toPort, dst))));
      }),
      { numRuns: RUNS },
    );
  });

  it('IPv6 port ranges (two port slots) and masquerade', () => {
    fc.assert(
      fc.property(port, port, v6, v4, (low, high, to, src) => {
        // A range of one port is a single cmp built as objects: only distinct ports compare as a range.
        fc.pre(low !== high);
        expect(bodies([range6.add({ low, high, to }), masq.add({ src })])).toEqual(bodies([built6(low, high, to), builtMasq(src)]));
      }),
      { numRuns: RUNS },
    );
  });

  it('decodes back to its values', () => {
    fc.assert(
      fc.property(port, v4, port, v4, (p, to, toPort, dst) => {
        const values = forward4
          .add({ port: p, to, toPort, dst })
          .attributes.expressions!.flatMap((e) => {
            const data = 'data' in e ? (e.data as { value?: Uint8Array } | undefined) : undefined;
            return data?.value ? [[...data.value]] : [];
          });
        expect(values).toEqual([[2], [...dst], [6], [p >> 8, p & 0xff], [...to], [toPort >> 8, toPort & 0xff]]);
      }),
      { numRuns: RUNS },
    );
  });
});
