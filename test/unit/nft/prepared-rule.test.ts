/**
 * Prepared rules: a rule added from a prepared rule encodes byte for byte as the same rule
 * built with its values; bad values are ValidationErrors naming the slot before anything is
 * encoded; and a slot that does not reach the rule as raw bytes (unused, copied, transformed,
 * read while building) is refused when the rule is prepared, not written wrong later.
 */
import { describe, expect, it } from 'vitest';
import { counter, dnatTo, masquerade, matchAddress, matchPort, matchProtocol } from '../../../src/api/nat/matches.js';
import { parseIp } from '../../../src/netlink/addresses.js';
import { NlmFlags } from '../../../src/netlink/constants.js';
import { ValidationError } from '../../../src/netlink/errors.js';
import { Connection } from '../../../src/netlink/connection.js';
import { applyBatch } from '../../../src/nft/apply.js';
import { NftBatchError } from '../../../src/nft/batch-errors.js';
import { encodeBatch } from '../../../src/nft/batch.js';
import { addChain } from '../../../src/nft/chain-commands.js';
import type { NftCommand } from '../../../src/nft/command.js';
import { prepareRule, type SlotKind } from '../../../src/nft/prepared-rule.js';
import { addRule } from '../../../src/nft/rule-commands.js';
import { addTable } from '../../../src/nft/table-commands.js';
import { FakeNftables } from './fake-nftables.js';

const where = { family: 'ip', table: 'nat', chain: 'pre' } as const;

const forward = prepareRule(where, { port: 'port', to: 'ipv4', toPort: 'port' }, (s) => [
  ...matchProtocol('tcp'),
  ...matchPort('dport', [s.port, s.port]),
  ...dnatTo(4, s.to, [s.toPort, s.toPort]),
]);

/** The same rule built as objects, with its values. */
function built(port: number, to: string, toPort: number): NftCommand {
  return addRule({ ...where, expressions: [...matchProtocol('tcp'), ...matchPort('dport', [port, port]), ...dnatTo(4, parseIp(to).bytes, [toPort, toPort])] });
}

/** The body bytes of every command of a batch (BATCH_BEGIN and END left out). */
function bodies(commands: NftCommand[]): string[] {
  return encodeBatch({ commands }).messages.slice(1, -1).map((m) => Buffer.from(m.payload).toString('hex'));
}

function thrown(fn: () => unknown): ValidationError {
  try {
    fn();
  } catch (err) {
    expect(err).toBeInstanceOf(ValidationError);
    return err as ValidationError;
  }
  throw new Error('expected a ValidationError');
}

describe('encoding', () => {
  it('encodes as the same rule built with its values, in a batch with other commands', () => {
    const values: Array<[number, string, number]> = [[8080, '10.0.0.2', 80], [1, '192.168.255.1', 65535], [65535, '0.0.0.0', 0], [443, '172.16.4.9', 8443]];
    const table = addTable({ family: 'ip', name: 'nat' });
    const prepared = [table, ...values.map(([port, to, toPort]) => forward.add({ port, to, toPort }))];
    const objects = [table, ...values.map(([port, to, toPort]) => built(port, to, toPort))];
    expect(bodies(prepared)).toEqual(bodies(objects));
    expect(encodeBatch({ commands: prepared }).descriptions).toEqual(encodeBatch({ commands: objects }).descriptions);
  });

  it('takes addresses as bytes too, and a slot used twice is written in both places', () => {
    const twice = prepareRule(where, { a: 'ipv4' }, (s) => [...matchAddress('daddr', { family: 4, bytes: s.a, prefixLength: 32 }), ...dnatTo(4, s.a)]);
    const a = parseIp('10.1.2.3').bytes;
    const objects = addRule({ ...where, expressions: [...matchAddress('daddr', { family: 4, bytes: a, prefixLength: 32 }), ...dnatTo(4, a)] });
    expect(bodies([twice.add({ a })])).toEqual(bodies([objects]));
    expect(bodies([twice.add({ a: '10.1.2.3' })])).toEqual(bodies([objects]));
  });

  it('writes u8, u32be, ipv6 and raw-byte slots', () => {
    const kinds = { proto: 'u8', mark: 'u32be', six: 'ipv6', raw: { bytes: 3 } } satisfies Record<string, SlotKind>;
    const rule = prepareRule({ family: 'ip6', table: 't', chain: 'c' }, kinds, (s) => [
      { type: 'cmp', sreg: 1, op: 'eq', data: { value: s.proto } },
      { type: 'cmp', sreg: 1, op: 'eq', data: { value: s.mark } },
      { type: 'immediate', dreg: 1, data: { value: s.six } },
      { type: 'cmp', sreg: 1, op: 'neq', data: { value: s.raw } },
    ]);
    const objects = addRule({
      family: 'ip6', table: 't', chain: 'c',
      expressions: [
        { type: 'cmp', sreg: 1, op: 'eq', data: { value: Uint8Array.of(17) } },
        { type: 'cmp', sreg: 1, op: 'eq', data: { value: Uint8Array.of(0xde, 0xad, 0xbe, 0xef) } },
        { type: 'immediate', dreg: 1, data: { value: parseIp('fd00::1').bytes } },
        { type: 'cmp', sreg: 1, op: 'neq', data: { value: Uint8Array.of(1, 2, 3) } },
      ],
    });
    expect(bodies([rule.add({ proto: 17, mark: 0xdeadbeef, six: 'fd00::1', raw: Uint8Array.of(1, 2, 3) })])).toEqual(bodies([objects]));
  });

  it('keeps the rule\'s comment, asks for an echo when told, and reads back its attributes', () => {
    const commented = prepareRule({ ...where, comment: 'forward' }, { port: 'port' }, (s) => [...matchProtocol('udp'), ...matchPort('dport', [s.port, s.port]), ...counter()]);
    const objects = addRule({ ...where, comment: 'forward', expressions: [...matchProtocol('udp'), ...matchPort('dport', [53, 53]), ...counter()] });
    const command = commented.add({ port: 53 }, { echo: true });
    expect(bodies([command])).toEqual(bodies([objects]));
    expect(command.flags).toBe(NlmFlags.NLM_F_CREATE | NlmFlags.NLM_F_APPEND | NlmFlags.NLM_F_ECHO);
    expect(commented.add({ port: 53 }).flags).toBe(NlmFlags.NLM_F_CREATE | NlmFlags.NLM_F_APPEND);
    const cmp = command.attributes.expressions!.find((e) => e.type === 'cmp' && (e as { data: { value: Uint8Array } }).data.value.length === 2) as { data: { value: Uint8Array } };
    expect([...cmp.data.value]).toEqual([0, 53]);
    expect(command.attributes.table).toBe('nat');
  });

  it('leaves each added rule its own values (the template is copied, not shared)', () => {
    const a = forward.add({ port: 1, to: '10.0.0.1', toPort: 2 });
    const b = forward.add({ port: 3, to: '10.0.0.3', toPort: 4 });
    expect(bodies([a, b, a])).toEqual(bodies([built(1, '10.0.0.1', 2), built(3, '10.0.0.3', 4), built(1, '10.0.0.1', 2)]));
  });
});

describe('values', () => {
  it('refuses a bad value, naming its slot, before anything is encoded', () => {
    const ok = { port: 80, to: '10.0.0.2', toPort: 80 };
    expect(thrown(() => forward.add({ ...ok, port: 65536 })).field).toBe('values.port');
    expect(thrown(() => forward.add({ ...ok, port: 1.5 })).field).toBe('values.port');
    expect(thrown(() => forward.add({ ...ok, port: '80' as unknown as number })).field).toBe('values.port');
    expect(thrown(() => forward.add({ ...ok, to: '10.0.0' })).field).toBe('values.to');
    expect(thrown(() => forward.add({ ...ok, to: 'fd00::1' })).field).toBe('values.to');
    expect(thrown(() => forward.add({ ...ok, to: Uint8Array.of(10, 0, 0) })).field).toBe('values.to');
    expect(thrown(() => forward.add({ port: 80, to: '10.0.0.2' } as typeof ok)).message).toMatch(/values.toPort: is missing/);
    expect(thrown(() => forward.add({ ...ok, toport: 1 } as typeof ok)).message).toMatch(/values.toport: is not a slot of this rule \(slots: port, to, toPort\)/);
    expect(thrown(() => forward.add(null as unknown as typeof ok)).field).toBe('values');
  });

  it('keeps its own copy of byte values (changing the caller\'s array later changes nothing)', () => {
    const to = parseIp('10.0.0.9').bytes;
    const command = forward.add({ port: 1, to, toPort: 2 });
    to.fill(0);
    expect(bodies([command])).toEqual(bodies([built(1, '10.0.0.9', 2)]));
  });
});

describe('preparing', () => {
  const prepareError = (slots: Record<string, SlotKind>, build: Parameters<typeof prepareRule>[2]) => thrown(() => prepareRule(where, slots, build));

  it('refuses a slot the rule does not carry as raw bytes', () => {
    // unused
    expect(prepareError({ a: 'ipv4', b: 'port' }, (s) => dnatTo(4, s.a!)).message).toMatch(/^slots.b: is not in the rule/);
    // copied by a helper (a /24 prefix is masked into a new array)
    expect(prepareError({ a: 'ipv4' }, (s) => matchAddress('daddr', { family: 4, bytes: s.a!, prefixLength: 24 })).field).toBe('slots.a');
    // used once as itself and once copied: the copy would keep the zeros of the template
    expect(prepareError({ a: 'ipv4' }, (s) => [...dnatTo(4, s.a!), { type: 'cmp', sreg: 1, op: 'eq', data: { value: s.a!.slice() } }]).message).toMatch(/^slots.a: is copied or read while the rule is built/);
    // read while building: the rule's shape would depend on the value
    expect(prepareError({ a: 'ipv4' }, (s) => [...dnatTo(4, s.a!), ...(s.a![0]! > 0 ? masquerade() : [])]).message).toMatch(/^slots.a: is copied or read/);
    // an address slot where a port goes
    expect(prepareError({ a: 'ipv4' }, (s) => matchPort('dport', [s.a!, s.a!])).message).toMatch(/^slots.a: is used as a port/);
  });

  it('refuses unknown slot kinds, no slots, and a rule that does not encode', () => {
    expect(prepareError({ a: { bytes: 65 } }, () => []).field).toBe('slots.a');
    expect(prepareError({ a: 'mac' as SlotKind }, () => []).field).toBe('slots.a');
    expect(prepareError({}, () => []).field).toBe('slots');
    expect(thrown(() => prepareRule({ ...where, table: '' }, { a: 'u8' }, (s) => [{ type: 'cmp', sreg: 1, op: 'eq', data: { value: s.a } }])).field).toBe('table');
    expect(thrown(() => prepareRule(where, { a: 'u8' }, (s) => [{ type: 'cmp', sreg: 1, op: 'bogus' as 'eq', data: { value: s.a } }])).field).toMatch(/^expressions/);
  });
});

describe('in a batch the kernel refuses', () => {
  it('names the prepared rule that failed and the attribute, as for any rule', async () => {
    const nft = new FakeNftables();
    const conn = new Connection(nft.kernel);
    // The fake kernel, as the real one, refuses a rule for a chain that does not exist.
    const err = await applyBatch(conn, {
      commands: [addTable({ family: 'ip', name: 'nat' }), addChain({ family: 'ip', table: 'nat', name: 'post', type: 'nat', hook: 'postrouting', priority: 'srcnat' }), forward.add({ port: 80, to: '10.0.0.2', toPort: 80 })],
    }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(NftBatchError);
    const failure = (err as NftBatchError).firstFailure!;
    expect(failure.index).toBe(2);
    expect(failure.description).toBe('add rule ip nat pre');
    expect(failure.error.code).toBe('ENOENT');
    conn.close();
  });
});
