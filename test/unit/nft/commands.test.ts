/**
 * The command builders write exactly what `nft` writes for the same command (the batches in
 * fixtures/netfilter/, captured from nft 1.0.6), flags included, and refuse bad input with a
 * ValidationError before anything is encoded.
 */
import { describe, expect, it } from 'vitest';
import { NlmFlags } from '../../../src/netlink/constants.js';
import { ValidationError } from '../../../src/netlink/errors.js';
import { encodeBatch } from '../../../src/nft/batch.js';
import { addChain, deleteChain, flushChain } from '../../../src/nft/chain-commands.js';
import { describeCommand, type NftCommand } from '../../../src/nft/command.js';
import { addObject } from '../../../src/nft/object-commands.js';
import { addRule, deleteRule, insertRule, replaceRule } from '../../../src/nft/rule-commands.js';
import { addElements, addSet, deleteElements, flushSet } from '../../../src/nft/set-commands.js';
import { addTable, deleteTable, flushTable } from '../../../src/nft/table-commands.js';
import { rows } from '../../helpers/hex.js';
import { NftMsg } from '../../../src/nft/constants.js';
import { nftMessageCodecs } from '../../../src/nft/protocol.js';
import { setElementAttributes } from '../../../src/nft/set-element.js';
import { Writer } from '../../../src/netlink/writer.js';

function encodeElements(elements: unknown[]): Uint8Array {
  const w = new Writer();
  for (const e of elements) setElementAttributes.encode(w, { ...(e as object) }, '');
  return w.finish();
}
import { batchCommands } from './nft-fixtures.js';

/** Our command as sent: flags without the ack we ask for, and the body. */
function ours(command: NftCommand) {
  const m = encodeBatch({ commands: [command] }, { ack: 'errors' }).messages[1]!;
  return { type: m.type, flags: m.flags ?? 0, payload: rows(m.payload) };
}

function nfts(fixture: string, index = 0) {
  const m = batchCommands(fixture)[index]!;
  return { type: m.type, flags: m.flags & ~NlmFlags.NLM_F_REQUEST, payload: rows(m.payload) };
}

const masqueradeExpressions = [
  { type: 'payload', dreg: 1, base: 'network', offset: 12, len: 3 },
  { type: 'cmp', sreg: 1, op: 'eq', data: { value: Uint8Array.of(10, 0, 0) } },
  { type: 'counter' },
  { type: 'masq' },
] as const;

describe('builders write what nft writes', () => {
  it('add table with flags and a comment', () => {
    expect(ours(addTable({ family: 'ip', name: 'nat', flags: ['dormant'], comment: 'edge' }))).toEqual(nfts('table-add-dormant'));
  });

  it('add a base nat chain', () => {
    const cmd = addChain({ family: 'ip', table: 'nat', name: 'POSTROUTING', type: 'nat', hook: 'postrouting', priority: 100, policy: 'accept' });
    expect(ours(cmd)).toEqual(nfts('chain-add-base-nat'));
    // Named priorities resolve to the same number.
    expect(ours(addChain({ family: 'ip', table: 'nat', name: 'POSTROUTING', type: 'nat', hook: 'postrouting', priority: 'srcnat', policy: 'accept' }))).toEqual(ours(cmd));
  });

  it('add a regular chain', () => {
    expect(ours(addChain({ family: 'ip', table: 'nat', name: 'helpers' }))).toEqual(nfts('chain-add-regular'));
  });

  it('add the masquerade rule with a comment', () => {
    expect(ours(addRule({ family: 'ip', table: 'nat', chain: 'POSTROUTING', expressions: [...masqueradeExpressions], comment: 'lan' }))).toEqual(nfts('rule-add-masquerade'));
  });

  it('insert before a handle, with echo', () => {
    expect(ours(insertRule({ family: 'ip', table: 'nat', chain: 'POSTROUTING', expressions: [{ type: 'counter' }], before: 2n }, { echo: true }))).toEqual(nfts('rule-insert-echo'));
  });

  it('replace by handle', () => {
    expect(ours(replaceRule({ family: 'ip', table: 'nat', chain: 'POSTROUTING', handle: 2n, expressions: [{ type: 'counter' }, { type: 'masq' }] }))).toEqual(nfts('rule-replace'));
  });

  it('delete by handle, flush a chain', () => {
    expect(ours(deleteRule({ family: 'ip', table: 'nat', chain: 'POSTROUTING', handle: 2n }))).toEqual(nfts('rule-delete-handle'));
    expect(ours(flushChain({ family: 'ip', table: 'nat', name: 'POSTROUTING' }))).toEqual(nfts('chain-flush'));
  });

  it('add an interval set with timeout and comment', () => {
    const cmd = addSet({ family: 'inet', table: 't', name: 's', key: 'ipv4_addr', flags: ['interval', 'timeout'], timeout: 30_000, comment: 'cmt' });
    expect(ours(cmd)).toEqual(nfts('set-add-interval-timeout'));
  });

  it('a verdict map keyed by a concatenation of ranges: same attributes as nft (nft adds a typeof TLV)', () => {
    const cmd = addSet({ family: 'inet', table: 't', name: 'vm', key: ['ipv4_addr', 'inet_service'], data: 'verdict', flags: ['interval'] });
    const a = cmd.attributes as Record<string, unknown>;
    expect(a).toMatchObject({ flags: ['interval', 'map', 'concat'], keyType: 461, keyLen: 8, dataType: 0xffffff00, dataLen: 0, id: 1, desc: { concat: { field: [{ len: 4 }, { len: 2 }] } } });
  });

  it('map elements: port to address . port', () => {
    const cmd = addElements({ family: 'inet', table: 't', name: 'm', key: 'inet_service', data: ['ipv4_addr', 'inet_service'], elements: [{ key: 8080, data: ['10.0.0.2', 80] }] });
    const ourElement = (cmd.attributes as any).elements[0];
    expect(ourElement).toEqual({ key: { value: Uint8Array.of(0x1f, 0x90) }, data: { value: Uint8Array.of(10, 0, 0, 2, 0, 80, 0, 0) } });
  });

  it('verdict map elements with concatenated ranges: key and key end, like nft', () => {
    const cmd = addElements({
      family: 'inet', table: 't', name: 'vm', key: ['ipv4_addr', 'inet_service'], data: 'verdict', interval: true,
      elements: [{ key: ['1.2.3.0/24', 22], data: 'accept' }, { key: ['1.2.3.5', 23], data: { jump: 'c' } }],
    });
    // nft also sends NFTA_SET_ELEM_LIST_SET_ID (the kernel finds the set by name first) and
    // numbers the list entries 1, 2 (the kernel ignores the type): the elements are the same.
    const nftMessage = batchCommands('elements-add-vmap')[0]!;
    const nftBody = nftMessageCodecs.get(NftMsg.NFT_MSG_NEWSETELEM)!.decode(nftMessage.payload, nftMessage.flags, 16) as { attributes: { elements: unknown[] } };
    expect(rows(encodeElements((cmd.attributes as any).elements))).toBe(rows(encodeElements(nftBody.attributes.elements)));
    expect((cmd.attributes as any).elements[0]).toEqual({ key: { value: Uint8Array.of(1, 2, 3, 0, 0, 22, 0, 0) }, keyEnd: { value: Uint8Array.of(1, 2, 3, 255, 0, 22, 0, 0) }, data: { verdict: { code: 'accept' } } });
    expect((cmd.attributes as any).elements[1].data).toEqual({ verdict: { code: 'jump', chain: 'c' } });
  });

  it('interval elements: a prefix is a start and an end one past it; a range ending at the top has no end', () => {
    const cmd = addElements({ family: 'ip', table: 't', name: 's', key: 'ipv4_addr', interval: true, elements: [{ key: '10.0.0.0/8', timeout: 10_000 }, { key: '192.168.1.1', to: '192.168.1.9' }, { key: '255.255.255.0/24' }] });
    expect((cmd.attributes as any).elements).toEqual([
      { timeout: 10000n, key: { value: Uint8Array.of(10, 0, 0, 0) } },
      { flags: ['interval-end'], key: { value: Uint8Array.of(11, 0, 0, 0) } },
      { key: { value: Uint8Array.of(192, 168, 1, 1) } },
      { flags: ['interval-end'], key: { value: Uint8Array.of(192, 168, 1, 10) } },
      { key: { value: Uint8Array.of(255, 255, 255, 0) } },
    ]);
  });

  it('objects: a counter and a quota', () => {
    expect(ours(addObject({ family: 'inet', table: 't', name: 'cnt', type: 'counter' }))).toEqual(nfts('object-add-counter-quota', 0));
    expect(ours(addObject({ family: 'inet', table: 't', name: 'q', type: 'quota', data: { bytes: 104857600n, consumed: 0n, flags: ['inv'] } }))).toEqual(nfts('object-add-counter-quota', 1));
  });
});

describe('descriptions in nft\'s words', () => {
  it.each([
    [addTable({ family: 'inet', name: 'filter' }), 'add table inet filter'],
    [addTable({ family: 'inet', name: 'filter' }, { exclusive: true }), 'create table inet filter'],
    [deleteTable({ family: 'ip', name: 'nat' }), 'delete table ip nat'],
    [deleteTable({ family: 'ip', name: 'nat' }, { ifExists: true }), 'destroy table ip nat'],
    [flushTable({ family: 'ip', name: 'nat' }), 'flush table ip nat'],
    [addChain({ family: 'ip', table: 'nat', name: 'x' }), 'add chain ip nat x'],
    [deleteChain({ family: 'ip', table: 'nat', name: 'x' }), 'delete chain ip nat x'],
    [addRule({ family: 'ip', table: 'nat', chain: 'POSTROUTING', expressions: [] }), 'add rule ip nat POSTROUTING'],
    [insertRule({ family: 'ip', table: 'nat', chain: 'POSTROUTING', expressions: [] }), 'insert rule ip nat POSTROUTING'],
    [replaceRule({ family: 'ip', table: 'nat', chain: 'c', handle: 4n, expressions: [] }), 'replace rule ip nat c handle 4'],
    [deleteRule({ family: 'ip', table: 'nat', chain: 'c', handle: 4n }), 'delete rule ip nat c handle 4'],
    [flushChain({ family: 'ip', table: 'nat', name: 'c' }), 'flush chain ip nat c'],
    [addSet({ family: 'ip', table: 'nat', name: 's', key: 'ipv4_addr' }), 'add set ip nat s'],
    [addElements({ family: 'ip', table: 'nat', name: 's', key: 'ipv4_addr', elements: [{ key: '1.2.3.4' }] }), 'add element ip nat s'],
    [deleteElements({ family: 'ip', table: 'nat', name: 's', key: 'ipv4_addr', elements: [{ key: '1.2.3.4' }] }), 'delete element ip nat s'],
    [flushSet({ family: 'ip', table: 'nat', name: 's' }), 'flush set ip nat s'],
    [addObject({ family: 'ip', table: 'nat', name: 'c', type: 'counter' }), 'add counter ip nat c'],
  ])('%#: %s', (command, text) => {
    expect(describeCommand(command)).toBe(text);
  });
});

describe('bad input is a ValidationError before anything is encoded', () => {
  const bad: [string, () => unknown, string][] = [
    ['unknown family', () => addTable({ family: 'ipx' as never, name: 't' }), 'family'],
    ['empty name', () => addTable({ family: 'ip', name: '' }), 'name'],
    ['name of 256 bytes', () => addTable({ family: 'ip', name: 'x'.repeat(256) }), 'name'],
    ['NUL in a name', () => addChain({ family: 'ip', table: 't', name: 'a\0b' }), 'name'],
    ['unknown table flag', () => addTable({ family: 'ip', name: 't', flags: ['sticky' as never] }), 'flags'],
    ['hook without type', () => addChain({ family: 'ip', table: 't', name: 'c', hook: 'input', priority: 0 }), 'type'],
    ['hook the family lacks', () => addChain({ family: 'ip', table: 't', name: 'c', type: 'filter', hook: 'egress' as never, priority: 0 }), 'hook'],
    ['unknown priority name', () => addChain({ family: 'ip', table: 't', name: 'c', type: 'filter', hook: 'input', priority: 'urgent' as never }), 'priority'],
    ['priority beyond 32 bits', () => addChain({ family: 'ip', table: 't', name: 'c', type: 'filter', hook: 'input', priority: 2 ** 31 }), 'priority'],
    ['policy on a regular chain', () => addChain({ family: 'ip', table: 't', name: 'c', policy: 'drop' }), 'policy'],
    ['netdev chain without device', () => addChain({ family: 'netdev', table: 't', name: 'c', type: 'filter', hook: 'ingress', priority: 0 }), 'device'],
    ['device name too long', () => addChain({ family: 'netdev', table: 't', name: 'c', type: 'filter', hook: 'ingress', priority: 0, device: 'x'.repeat(16) }), 'device'],
    ['handle 0', () => deleteRule({ family: 'ip', table: 't', chain: 'c', handle: 0n }), 'handle'],
    ['handle as a number', () => deleteRule({ family: 'ip', table: 't', chain: 'c', handle: 3 as never }), 'handle'],
    ['comment with NUL', () => addRule({ family: 'ip', table: 't', chain: 'c', expressions: [], comment: 'a\0' }), 'comment'],
    ['comment too long', () => addRule({ family: 'ip', table: 't', chain: 'c', expressions: [], comment: 'x'.repeat(300) }), 'comment'],
    ['unknown key datatype', () => addSet({ family: 'ip', table: 't', name: 's', key: 'color' as never }), 'key'],
    ['anonymous set without id', () => addSet({ family: 'ip', table: 't', name: 'x', key: 'ipv4_addr', anonymous: true }), 'id'],
    ['element not an address', () => addElements({ family: 'ip', table: 't', name: 's', key: 'ipv4_addr', elements: [{ key: '10.0.0.256' }] }), 'elements[0].key'],
    ['port out of range', () => addElements({ family: 'ip', table: 't', name: 's', key: 'inet_service', elements: [{ key: 65536 }] }), 'elements[0].key'],
    ['map element without value', () => addElements({ family: 'ip', table: 't', name: 'm', key: 'inet_service', data: 'ipv4_addr', elements: [{ key: 80 }] }), 'elements[0].data'],
    ['verdict in a value map', () => addElements({ family: 'ip', table: 't', name: 'm', key: 'inet_service', data: 'ipv4_addr', elements: [{ key: 80, data: 'accept' }] }), 'elements[0].data'],
    ['range in a plain set', () => addElements({ family: 'ip', table: 't', name: 's', key: 'inet_service', elements: [{ key: 80, to: 90 }] }), 'elements[0].to'],
    ['concatenation with one value', () => addElements({ family: 'ip', table: 't', name: 's', key: ['ipv4_addr', 'inet_service'], elements: [{ key: '1.2.3.4' }] }), 'elements[0].key'],
    ['object of an unknown type', () => addObject({ family: 'ip', table: 't', name: 'o', type: 'tunnel' as never }), 'type'],
  ];
  it.each(bad)('%s', (_label, build, field) => {
    let error: unknown;
    try {
      build();
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(ValidationError);
    expect((error as ValidationError).field).toBe(field);
  });

  it('an expression that does not encode fails the batch encoding with the command in the path', () => {
    const cmd = addRule({ family: 'ip', table: 't', chain: 'c', expressions: [{ type: 'payload', dreg: 1 } as never] });
    expect(() => encodeBatch({ commands: [cmd] })).toThrow(ValidationError);
    expect(() => encodeBatch({ commands: [cmd] })).toThrow(/batch\.commands\[0\] \(add rule ip t c\)/);
  });
});
