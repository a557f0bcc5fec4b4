/**
 * The netfilter fixtures captured from the real `nft` (tables, chains, rules, sets, maps,
 * elements, objects, a whole batch, an error, a ruleset dump), checked both ways with the
 * netfilter protocol codec: every message decodes to a typed body (nothing left raw) and
 * encodes back to exactly the captured bytes. Spot checks pin what the bytes mean.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { toJsonValue } from '../../../src/netlink/json.js';
import { decodeDatagram, encodeDecodedDatagram, registerProtocol, type DecodedMessage } from '../../../src/netlink/registry.js';
import { netfilterProtocol } from '../../../src/nft/protocol.js';
import { rows } from '../../helpers/hex.js';
import { datagramsOf, objectFixtureNames } from './nft-fixtures.js';

beforeAll(() => registerProtocol(netfilterProtocol));

const names = objectFixtureNames();

function decodedMessages(name: string): DecodedMessage[] {
  return datagramsOf(name).flatMap((d) => decodeDatagram('netfilter', d.bytes));
}

/** The `index`th `typeName` message nft sent (port 0: requests, not the kernel's replies). */
function bodyOf(name: string, typeName: string, index = 0): any {
  const found = decodedMessages(name).filter((m) => m.typeName === typeName && m.pid === 0);
  const m = found[index];
  if (!m) throw new Error(`${name}: no ${typeName}[${index}]`);
  return toJsonValue(m.body);
}

it('has the object, batch, error and dump fixtures the issue asks for', () => {
  for (const needed of ['table-add-dormant', 'chain-add-base-nat', 'chain-add-regular', 'rule-add-masquerade', 'rule-add-dnat', 'set-add-interval-timeout', 'map-add-concat-data', 'vmap-add-concat-interval', 'elements-add-interval', 'batch-ruleset-file', 'error-rule-missing-chain', 'dump-ruleset']) {
    expect(names).toContain(needed);
  }
});

describe.each(names)('%s', (name) => {
  it('every datagram decodes to typed messages and encodes back byte for byte', () => {
    for (const [i, d] of datagramsOf(name).entries()) {
      const decoded = decodeDatagram('netfilter', d.bytes);
      for (const m of decoded) expect(m.typeName, `datagram ${i} type ${m.type}`).toBeDefined();
      expect(rows(encodeDecodedDatagram('netfilter', decoded)), `datagram ${i}`).toBe(rows(d.bytes));
    }
  });
});

describe('what the bytes mean', () => {
  it('a dormant table with a comment', () => {
    const body = bodyOf('table-add-dormant', 'NFT_MSG_NEWTABLE', 0);
    expect(body.family).toBe('ip');
    expect(body.attributes).toMatchObject({ name: 'nat', flags: ['dormant'], userdata: [{ type: 'comment', value: 'edge' }] });
  });

  it('a base nat chain: type, policy, hook postrouting at priority 100', () => {
    const b = bodyOf('chain-add-base-nat', 'NFT_MSG_NEWCHAIN', 0);
    expect(Object.keys(b.attributes)).toEqual(['table', 'name', 'type', 'policy', 'hook']);
    expect(b.attributes).toEqual({ table: 'nat', name: 'POSTROUTING', type: 'nat', policy: 'accept', hook: { hooknum: 4, priority: 100 } });
  });

  it('the masquerade rule carries nft\'s comment TLV', () => {
    const b = bodyOf('rule-add-masquerade', 'NFT_MSG_NEWRULE', 0);
    expect(b.attributes.userdata).toEqual([{ type: 'comment', value: 'lan' }]);
    expect(b.attributes.expressions.map((e: { type: string }) => e.type)).toEqual(['payload', 'cmp', 'counter', 'masq']);
  });

  it('an echoed insert returns the new handle, then the generation, on the command\'s sequence number', () => {
    const msgs = decodedMessages('rule-insert-echo');
    const echo = msgs.filter((m) => m.typeName === 'NFT_MSG_NEWRULE' && m.pid !== 0).at(-1)!;
    const gen = msgs.filter((m) => m.typeName === 'NFT_MSG_NEWGEN').at(-1)!;
    expect((echo.body as any).attributes.handle).toBe(3n);
    expect(gen.seq).toBe(echo.seq);
  });

  it('interval elements are numbered 1, 2, 3 … by libnftnl and still decode as one list', () => {
    const b = bodyOf('elements-add-interval', 'NFT_MSG_NEWSETELEM', 0);
    expect(b.attributes.elements).toHaveLength(5);
    expect(b.attributes.elements[0]).toEqual({ flags: ['interval-end'], key: { value: { $hex: '00000000' } } });
    expect(b.attributes.elements[3]).toEqual({ timeout: { $bigint: '10000' }, key: { value: { $hex: 'c0a80101' } } });
  });

  it('a verdict map: data type NFT_DATA_VERDICT and concatenation field lengths', () => {
    const b = bodyOf('vmap-add-concat-interval', 'NFT_MSG_NEWSET', 0);
    expect(b.attributes).toMatchObject({ flags: ['interval', 'map', 'concat'], keyType: 461, keyLen: 8, dataType: 0xffffff00, dataLen: 0, desc: { concat: { field: [{ len: 4 }, { len: 2 }] } } });
  });

  it('objects: a counter with empty data and a quota with typed data', () => {
    expect(bodyOf('object-add-counter-quota', 'NFT_MSG_NEWOBJ', 0).attributes).toMatchObject({ name: 'cnt', type: 'counter', data: {} });
    expect(bodyOf('object-add-counter-quota', 'NFT_MSG_NEWOBJ', 1).attributes).toMatchObject({ name: 'q', type: 'quota', data: { bytes: { $bigint: '104857600' }, flags: ['inv'] } });
  });

  it('the error: ENOENT with the extack offset of NFTA_RULE_CHAIN', () => {
    const err = decodedMessages('error-rule-missing-chain').filter((m) => m.typeName === 'NLMSG_ERROR').at(-1)!;
    const body = err.body as { error: number; extack?: { offset?: number } };
    expect(body.error).toBe(-2);
    // nlmsghdr (16) + nfgenmsg (4) + NFTA_RULE_TABLE "nat" (8): the chain attribute.
    expect(body.extack?.offset).toBe(28);
  });

  it('the ruleset dump lists both tables, the chains, rules, sets with elements and the counter', () => {
    const msgs = decodedMessages('dump-ruleset').filter((m) => m.pid !== 0);
    const names = (t: string) => msgs.filter((m) => m.typeName === t).map((m) => (m.body as any).attributes.name);
    expect(names('NFT_MSG_NEWTABLE').sort()).toEqual(['filter', 'nat']);
    expect(names('NFT_MSG_NEWCHAIN').sort()).toEqual(['POSTROUTING', 'PREROUTING', 'input']);
    expect(names('NFT_MSG_NEWSET').sort()).toEqual(['blocked', 'portfwd']);
    expect(names('NFT_MSG_NEWOBJ')).toEqual(['dropped']);
    expect(msgs.filter((m) => m.typeName === 'NFT_MSG_NEWRULE')).toHaveLength(4);
  });
});
