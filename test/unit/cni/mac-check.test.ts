/**
 * macspoofchk: the attachment's rule in the bridge table (the register form and text nft
 * gives the same statement), the commands that add it, and reading it back from a snapshot —
 * removal by handle in its own family, CHECK naming what is missing, GC finding it.
 */
import { describe, expect, it } from 'vitest';
import { parsePrefix } from '../../../src/netlink/addresses.js';
import { ValidationError } from '../../../src/netlink/errors.js';
import { macCheckExpressions } from '../../../src/cni/mac-check.js';
import { addAttachmentCommands, expectedRules, tableCommands, type AttachmentRules } from '../../../src/cni/rules.js';
import { attachmentsInRuleset, checkAttachmentRules, hasTable, removeAttachmentCommands } from '../../../src/cni/ruleset.js';
import { encodeBatch } from '../../../src/nft/batch.js';
import { describeExpression } from '../../../src/nft/expressions/index.js';
import type { Ruleset } from '../../../src/nft/reader.js';
import { renderRule } from '../../../src/nft/render/index.js';

const ID = '0123456789abcdef';
const COMMENT = `netns-ts-cni ${ID} net=kubenet ctr=abc if=eth0`;
const HOST_VETH = 'veth0123456789a';
const MAC = '0a:58:0a:16:00:05';
const macOnly: AttachmentRules = { id: ID, comment: COMMENT, addresses: [parsePrefix('10.22.0.5/16')], ipMasq: false, forwards: [], snat: true, macCheck: { hostVeth: HOST_VETH, mac: MAC } };
const withMasq: AttachmentRules = { ...macOnly, ipMasq: true };

describe('macspoofchk rules', () => {
  it('drop frames entering from the host veth with another source MAC, as nft writes the statement', () => {
    const [rule] = expectedRules(macOnly);
    expect(rule).toMatchObject({ family: 'bridge', chain: 'prerouting', comment: COMMENT });
    // `nft --debug=netlink add rule bridge t prerouting iifname "veth0123456789a" ether saddr != 0a:58:0a:16:00:05 counter drop` (nft 1.1, Debian).
    expect(rule!.expressions.map(describeExpression)).toEqual([
      '[ meta load iifname => reg 1 ]',
      '[ cmp eq reg 1 0x68746576 0x33323130 0x37363534 0x00613938 ]',
      '[ payload load 6b @ link header + 6 => reg 1 ]',
      '[ cmp neq reg 1 0x160a580a 0x00000500 ]',
      '[ counter pkts 0 bytes 0 ]',
      '[ immediate reg 0 drop ]',
    ]);
    expect(renderRule(rule!.expressions, { family: 'bridge' })).toBe(`iifname "${HOST_VETH}" ether saddr != ${MAC} counter packets 0 bytes 0 drop`);
  });

  it('come after the NAT rules, only when asked for', () => {
    expect(expectedRules(withMasq).map((r) => `${r.family} ${r.chain}`)).toEqual(['inet postrouting', 'bridge prerouting']);
    expect(expectedRules({ ...withMasq, macCheck: undefined }).map((r) => r.family)).toEqual(['inet']);
  });

  it('refuse a MAC that is not a unicast Ethernet address before anything is built', () => {
    expect(() => macCheckExpressions({ hostVeth: HOST_VETH, mac: '01:00:5e:00:00:01' })).toThrow(ValidationError);
    expect(() => macCheckExpressions({ hostVeth: HOST_VETH, mac: '0a:58:0a:16:00' })).toThrow(ValidationError);
  });

  it('are added in the same batch as the NAT rules, with the bridge table and chain declared', () => {
    const commands = [...tableCommands(true), ...addAttachmentCommands(withMasq)];
    expect(encodeBatch({ commands }).descriptions).toEqual([
      'add table inet netns-ts-cni',
      'add chain inet netns-ts-cni prerouting',
      'add chain inet netns-ts-cni output',
      'add chain inet netns-ts-cni postrouting',
      'add table bridge netns-ts-cni',
      'add chain bridge netns-ts-cni prerouting',
      'add rule inet netns-ts-cni postrouting',
      'add rule bridge netns-ts-cni prerouting',
    ]);
    expect(tableCommands().some((c) => c.family === 'bridge')).toBe(false);
  });
});

/** Both tables as the kernel lists them after ADD of `list` (handles numbered in order). */
function snapshot(list: AttachmentRules[]): Ruleset {
  let handle = 10n;
  const out: Ruleset = { generation: 3, tables: [], chains: [], rules: [], sets: [], objects: [], flowtables: [] };
  for (const family of ['inet', 'bridge'] as const) out.tables.push({ family, name: 'netns-ts-cni', handle: handle++ });
  for (const name of ['prerouting', 'output', 'postrouting']) out.chains.push({ family: 'inet', table: 'netns-ts-cni', name });
  out.chains.push({ family: 'bridge', table: 'netns-ts-cni', name: 'prerouting' });
  for (const r of list) {
    for (const e of expectedRules(r)) {
      out.rules.push({ family: e.family, table: 'netns-ts-cni', chain: e.chain, handle: handle++, expressions: e.expressions, userdata: [{ type: 'comment', value: e.comment }] });
    }
  }
  return out;
}

describe('macspoofchk rules read back', () => {
  it('are found for GC even when the attachment has no other rule', () => {
    expect([...attachmentsInRuleset(snapshot([macOnly]))]).toEqual([[ID, 'kubenet']]);
    expect(hasTable(snapshot([]), 'bridge')).toBe(true);
  });

  it('are removed by handle in the bridge table, the NAT rule in the inet table', () => {
    const s = snapshot([withMasq]);
    const commands = removeAttachmentCommands(s, new Set([ID]));
    expect(commands.map((c) => [c.type, c.family, (c.attributes as { chain?: string }).chain, (c.attributes as { handle?: bigint }).handle])).toEqual([
      ['NFT_MSG_DELRULE', 'inet', 'postrouting', 12n],
      ['NFT_MSG_DELRULE', 'bridge', 'prerouting', 13n],
    ]);
  });

  it('are checked: present, a different MAC, a missing bridge table', () => {
    const expected = expectedRules(withMasq);
    expect(checkAttachmentRules(snapshot([withMasq]), ID, expected)).toEqual([]);
    const otherMac = snapshot([{ ...withMasq, macCheck: { hostVeth: HOST_VETH, mac: '0a:58:0a:16:00:06' } }]);
    expect(checkAttachmentRules(otherMac, ID, expected)).toEqual([
      expect.stringMatching(/^rule missing in chain bridge prerouting: \[ meta load iifname/),
      expect.stringMatching(/^unexpected rule \(handle 13\) in chain bridge prerouting: .*0x160a580a 0x00000600/),
    ]);
    const noBridge = snapshot([withMasq]);
    noBridge.tables = noBridge.tables.filter((t) => t.family !== 'bridge');
    expect(checkAttachmentRules(noBridge, ID, expected)).toEqual(['nf_tables table bridge netns-ts-cni is missing']);
  });
});
