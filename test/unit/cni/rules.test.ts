/**
 * The attachment's rules, rendered in nft syntax (the form `nft list ruleset` shows), and the
 * commands that add and remove them, checked against a ruleset snapshot as the kernel lists it.
 */
import { describe, expect, it } from 'vitest';
import { parsePrefix } from '../../../src/netlink/addresses.js';
import { attachmentChain } from '../../../src/cni/attachment.js';
import { resolveForwards } from '../../../src/cni/port-mappings.js';
import { addAttachmentCommands, expectedRules, tableCommands, type AttachmentRules } from '../../../src/cni/rules.js';
import { attachmentsInRuleset, checkAttachmentRules, hasTable, removeAttachmentCommands } from '../../../src/cni/ruleset.js';
import { encodeBatch } from '../../../src/nft/batch.js';
import type { Expression } from '../../../src/nft/expressions/index.js';
import type { Ruleset, RulesetRule } from '../../../src/nft/reader.js';
import { renderRule } from '../../../src/nft/render/index.js';

const ID = '0123456789abcdef';
const COMMENT = `netns-ts-cni ${ID} net=kubenet ctr=abc if=eth0`;
const addresses = [parsePrefix('10.22.0.5/16'), parsePrefix('fd00::5/64')];
const rules: AttachmentRules = {
  id: ID,
  comment: COMMENT,
  addresses,
  ipMasq: true,
  forwards: resolveForwards([{ hostPort: 8080, containerPort: 80, protocol: 'tcp' }, { hostPort: 5353, containerPort: 53, protocol: 'udp', hostIP: '192.0.2.1' }], addresses),
  snat: true,
};

const render = (exprs: Expression[]) => renderRule(exprs, { family: 'inet' });

describe('an attachment in nf_tables', () => {
  it('has DNAT rules in its own chain, jumps from prerouting and output, and masquerade in postrouting', () => {
    const chain = attachmentChain(ID);
    const got = expectedRules(rules).map((r) => `${r.chain}: ${render(r.expressions)}`);
    expect(got).toEqual([
      `${chain}: meta nfproto ipv4 fib daddr type local tcp dport 8080 counter packets 0 bytes 0 dnat ip to 10.22.0.5:80`,
      `${chain}: meta nfproto ipv6 fib daddr type local tcp dport 8080 counter packets 0 bytes 0 dnat ip6 to [fd00::5]:80`,
      `${chain}: ip daddr 192.0.2.1 udp dport 5353 counter packets 0 bytes 0 dnat ip to 10.22.0.5:53`,
      `prerouting: jump ${chain}`,
      `output: jump ${chain}`,
      'postrouting: ct status dnat ip saddr 10.22.0.0/16 ip daddr 10.22.0.5 counter packets 0 bytes 0 masquerade',
      'postrouting: ct status dnat ip saddr 127.0.0.0/8 ip daddr 10.22.0.5 counter packets 0 bytes 0 masquerade',
      'postrouting: ct status dnat ip6 saddr fd00::/64 ip6 daddr fd00::5 counter packets 0 bytes 0 masquerade',
      'postrouting: ip saddr 10.22.0.5 ip daddr != 10.22.0.0/16 ip daddr != 224.0.0.0/4 counter packets 0 bytes 0 masquerade',
      'postrouting: ip6 saddr fd00::5 ip6 daddr != fd00::/64 ip6 daddr != ff00::/8 counter packets 0 bytes 0 masquerade',
    ]);
    expect(expectedRules(rules).every((r) => r.comment === COMMENT)).toBe(true);
  });

  it('needs nothing without ipMasq and port mappings, and no hairpin rules without snat', () => {
    expect(expectedRules({ ...rules, ipMasq: false, forwards: [] })).toEqual([]);
    expect(expectedRules({ ...rules, ipMasq: false, snat: false }).map((r) => r.chain)).toEqual([attachmentChain(ID), attachmentChain(ID), attachmentChain(ID), 'prerouting', 'output']);
  });

  it('is added by commands that encode as one batch: table, base chains, its chain, its rules', () => {
    const commands = [...tableCommands(), ...addAttachmentCommands(rules)];
    expect(commands.map((c) => c.type)).toEqual(['NFT_MSG_NEWTABLE', 'NFT_MSG_NEWCHAIN', 'NFT_MSG_NEWCHAIN', 'NFT_MSG_NEWCHAIN', 'NFT_MSG_NEWCHAIN', ...Array(10).fill('NFT_MSG_NEWRULE')]);
    expect(encodeBatch({ commands }).descriptions.slice(0, 5)).toEqual([
      'add table inet netns-ts-cni',
      'add chain inet netns-ts-cni prerouting',
      'add chain inet netns-ts-cni output',
      'add chain inet netns-ts-cni postrouting',
      `add chain inet netns-ts-cni ${attachmentChain(ID)}`,
    ]);
  });
});

/** A snapshot as the kernel would list the table after ADD of `rules` (handles numbered in order). */
function snapshot(list: AttachmentRules[], foreign: RulesetRule[] = []): Ruleset {
  let handle = 10n;
  const out: Ruleset = { generation: 7, tables: [{ family: 'inet', name: 'netns-ts-cni', handle: 1n }], chains: [], rules: [], sets: [], objects: [], flowtables: [] };
  for (const name of ['prerouting', 'output', 'postrouting']) out.chains.push({ family: 'inet', table: 'netns-ts-cni', name });
  for (const r of list) {
    if (r.forwards.length > 0) out.chains.push({ family: 'inet', table: 'netns-ts-cni', name: attachmentChain(r.id) });
    for (const e of expectedRules(r)) {
      out.rules.push({ family: 'inet', table: 'netns-ts-cni', chain: e.chain, handle: handle++, expressions: e.expressions, userdata: [{ type: 'comment', value: e.comment }] });
    }
  }
  out.rules.push(...foreign);
  return out;
}

describe('reading the table back', () => {
  const other: AttachmentRules = { ...rules, id: 'fedcba9876543210', comment: 'netns-ts-cni fedcba9876543210 net=othernet ctr=x if=eth0' };

  it('finds each attachment with its network tag', () => {
    expect([...attachmentsInRuleset(snapshot([rules, other]))]).toEqual([
      [ID, 'kubenet'],
      ['fedcba9876543210', 'othernet'],
    ]);
    expect(hasTable(snapshot([]))).toBe(true);
  });

  it('removes exactly one attachment: its rules by handle, then its chain flushed and deleted', () => {
    const s = snapshot([rules, other]);
    const commands = removeAttachmentCommands(s, new Set([ID]));
    const mine = s.rules.filter((r) => r.userdata?.[0] && 'value' in r.userdata[0] && String(r.userdata[0].value).includes(ID) && r.chain !== attachmentChain(ID));
    expect(commands.filter((c) => c.type === 'NFT_MSG_DELRULE' && (c.attributes as any).handle !== undefined).map((c) => (c.attributes as any).handle)).toEqual(mine.map((r) => r.handle));
    expect(commands.slice(-2)).toEqual([
      { type: 'NFT_MSG_DELRULE', family: 'inet', attributes: { table: 'netns-ts-cni', chain: attachmentChain(ID) } },
      { type: 'NFT_MSG_DELCHAIN', family: 'inet', attributes: { table: 'netns-ts-cni', name: attachmentChain(ID) } },
    ]);
    expect(removeAttachmentCommands(s, new Set(['1111111111111111']))).toEqual([]);
  });

  it('also removes a jump into a doomed chain whatever its comment says', () => {
    const stray: RulesetRule = { family: 'inet', table: 'netns-ts-cni', chain: 'prerouting', handle: 99n, expressions: [{ type: 'immediate', dreg: 0, data: { verdict: { code: 'jump', chain: attachmentChain(ID) } } }] };
    const commands = removeAttachmentCommands(snapshot([rules], [stray]), new Set([ID]));
    expect(commands.some((c) => (c.attributes as any).handle === 99n)).toBe(true);
  });

  it('checks an attachment: complete, or each missing and unexpected rule named', () => {
    const expected = expectedRules(rules);
    expect(checkAttachmentRules(snapshot([rules]), ID, expected)).toEqual([]);
    const damaged = snapshot([rules]);
    damaged.rules.splice(damaged.rules.findIndex((r) => r.chain === 'postrouting'), 1);
    expect(checkAttachmentRules(damaged, ID, expected)).toEqual([expect.stringMatching(/^rule missing in chain postrouting: \[ meta load nfproto/)]);
    expect(checkAttachmentRules({ ...damaged, tables: [] }, ID, expected)).toEqual(['nf_tables table inet netns-ts-cni is missing']);
    const noChain = snapshot([rules]);
    noChain.chains = noChain.chains.filter((c) => c.name !== attachmentChain(ID));
    expect(checkAttachmentRules(noChain, ID, expected)).toContain(`chain ${attachmentChain(ID)} is missing`);
    const extra = snapshot([rules]);
    extra.rules.push({ ...extra.rules[0]!, handle: 500n, chain: 'output' });
    expect(checkAttachmentRules(extra, ID, expected)).toEqual([expect.stringMatching(/^unexpected rule \(handle 500\) in chain output/)]);
  });

  it('compares DNAT rules as the kernel lists them (address and port ranges filled in)', () => {
    const listed = snapshot([rules]);
    for (const r of listed.rules) {
      r.expressions = (r.expressions as Expression[]).map((e) =>
        e.type === 'nat' ? { ...e, addrMax: e.addrMin, protoMax: e.protoMin, flags: ['map-ips', ...(e.flags ?? [])] } : e.type === 'counter' ? { ...e, packets: 12n, bytes: 3400n } : e,
      );
    }
    expect(checkAttachmentRules(listed, ID, expectedRules(rules))).toEqual([]);
  });
});
