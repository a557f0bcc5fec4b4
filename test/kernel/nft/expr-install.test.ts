/**
 * Rules installed through netns-ts's own NFT_MSG_NEWRULE are the rules nft installs: for every
 * rule of the expression corpus, the expressions (re-encoded from their JSON form, so from
 * the declarations alone) go to the kernel in a hand-built batch, and `nft -j list chain`
 * then prints exactly what it prints after `nft add rule` with the rule's text. Anonymous sets
 * the rule uses are created by the captured NEWSET/NEWSETELEM messages in the same batch. The
 * tutorial's MASQUERADE and DNAT rules are also built from typed values written here.
 * Everything happens in a namespace of its own inside the sandbox.
 */
import { execFileSync } from 'node:child_process';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { defineAttributeSet } from '../../../src/netlink/attribute-set.js';
import { NetlinkProtocol, NlmFlags } from '../../../src/netlink/constants.js';
import type { Connection } from '../../../src/netlink/connection.js';
import { cstring } from '../../../src/netlink/fields.js';
import { fromJsonValue, toJsonValue } from '../../../src/netlink/json.js';
import { bodyWriter } from '../../../src/netlink/message.js';
import { connectInNetns } from '../../../src/netns/connect.js';
import { createNetns, deleteNetns } from '../../../src/netns/netns.js';
import { NfnlMsg, NfnlSubsys, NftMsg } from '../../../src/nft/constants.js';
import { expressionListCodec, type Expression } from '../../../src/nft/expressions/index.js';
import { nftMessageType, writeNfgenmsg } from '../../../src/nft/nfgenmsg.js';
import { loadCorpus, type CorpusFixture } from '../../unit/nft/expr-fixtures.js';
import { describeKernel, guardThreadNetns, randomName } from '../sandbox.js';

// The rule attributes this test sends (enum nft_rule_attributes), declared here so the test
// depends only on the expression codecs.
const ruleAttributes = defineAttributeSet('rule', {
  table: { type: 1, codec: cstring }, // NFTA_RULE_TABLE
  chain: { type: 2, codec: cstring }, // NFTA_RULE_CHAIN
  expressions: { type: 4, codec: expressionListCodec }, // NFTA_RULE_EXPRESSIONS
});

const enc = new TextEncoder();
const bytes = (...b: number[]): Uint8Array => Uint8Array.from(b);
const ifname = (name: string): Uint8Array => {
  const out = new Uint8Array(16);
  out.set(enc.encode(name));
  return out;
};

describeKernel('rules installed through netns-ts are the rules nft installs', () => {
  guardThreadNetns();
  const ns = randomName('nts-expr');
  let conn: Connection;

  const sh = (command: string): string => execFileSync('ip', ['netns', 'exec', ns, 'sh', '-c', command], { encoding: 'utf8' });
  /** The rules of a chain as `nft -j` lists them, without handles. */
  const listedRules = (family: string, chain: string): unknown[] => {
    const listing = JSON.parse(sh(`nft -j list chain ${family} t ${chain}`)) as { nftables: Array<{ rule?: Record<string, unknown> }> };
    return listing.nftables.flatMap((item) => (item.rule ? [{ ...item.rule, handle: undefined }] : []));
  };
  const listedText = (family: string, chain: string): string[] =>
    sh(`nft list chain ${family} t ${chain}`).split('\n').map((l) => l.trim()).filter((l) => l && !/^(table |chain |type |}$)/.test(l));

  beforeAll(() => {
    createNetns(ns);
    conn = connectInNetns(ns, { protocol: NetlinkProtocol.NETLINK_NETFILTER });
  });
  afterAll(() => {
    conn?.close();
    deleteNetns(ns);
  });

  /** Send one batch: the given set messages, then a NEWRULE with `expressions`. */
  async function install(family: 'ip' | 'ip6' | 'inet', chain: string, expressions: Expression[], extra: CorpusFixture['batch'] = []) {
    const begin = bodyWriter();
    writeNfgenmsg(begin, 'unspec', NfnlSubsys.NFNL_SUBSYS_NFTABLES);
    const end = bodyWriter();
    writeNfgenmsg(end, 'unspec', NfnlSubsys.NFNL_SUBSYS_NFTABLES);
    const rule = bodyWriter();
    writeNfgenmsg(rule, family);
    ruleAttributes.encode(rule, { table: 't', chain, expressions }, '');
    const outcomes = await conn.batch([
      { type: NfnlMsg.NFNL_MSG_BATCH_BEGIN, flags: 0, payload: begin.finish().slice() },
      ...extra.map((m) => ({ type: m.type, flags: m.flags | NlmFlags.NLM_F_ACK, payload: m.payload })),
      {
        type: nftMessageType(NftMsg.NFT_MSG_NEWRULE),
        typeName: 'NFT_MSG_NEWRULE',
        flags: NlmFlags.NLM_F_CREATE | NlmFlags.NLM_F_APPEND | NlmFlags.NLM_F_ACK,
        payload: rule.finish().slice(),
        spans: rule.spans,
      },
      { type: NfnlMsg.NFNL_MSG_BATCH_END, flags: 0, payload: end.finish().slice() },
    ]);
    const failed = outcomes.filter((o) => o.status === 'failed');
    expect(failed.map((o) => (o.status === 'failed' ? o.error.message : ''))).toEqual([]);
    expect(outcomes.slice(1, -1).map((o) => o.status)).toEqual(extra.map(() => 'acked').concat('acked'));
  }

  for (const fixture of loadCorpus()) {
    const { family, chain, text } = fixture.rule;
    it(`${fixture.name}: ${text}`, async () => {
      for (const c of fixture.setup) sh(c);
      sh(`nft add rule ${family} t ${chain} '${text.replace(/'/g, `'\\''`)}'`);
      const byNft = listedRules(family, chain);

      for (const c of fixture.setup) sh(c);
      const fresh = fromJsonValue(toJsonValue(expressionListCodec.decode(fixture.expressions, 0, 'expressions'))) as Expression[];
      const sets = fixture.batch.filter((m) => m.type === nftMessageType(NftMsg.NFT_MSG_NEWSET) || m.type === nftMessageType(NftMsg.NFT_MSG_NEWSETELEM));
      await install(family, chain, fresh, sets);
      expect(listedRules(family, chain)).toEqual(byNft);
      expect(listedText(family, chain)).toEqual([fixture.listing.text]);
    });
  }

  it('the tutorial MASQUERADE rule, built from typed values', async () => {
    sh("nft flush ruleset; nft add table ip t; nft add chain ip t post '{ type nat hook postrouting priority srcnat; }'");
    sh(`nft add rule ip t post 'ip saddr 192.168.15.0/24 oifname != "v-net-0" masquerade'`);
    const byNft = listedRules('ip', 'post');
    sh("nft flush ruleset; nft add table ip t; nft add chain ip t post '{ type nat hook postrouting priority srcnat; }'");
    await install('ip', 'post', [
      { type: 'payload', dreg: 1, base: 'network', offset: 12, len: 3 },
      { type: 'cmp', sreg: 1, op: 'eq', data: { value: bytes(192, 168, 15) } },
      { type: 'meta', key: 'oifname', dreg: 1 },
      { type: 'cmp', sreg: 1, op: 'neq', data: { value: ifname('v-net-0') } },
      { type: 'masq' },
    ]);
    expect(listedRules('ip', 'post')).toEqual(byNft);
  });

  it('the tutorial DNAT rule, built from typed values', async () => {
    sh("nft flush ruleset; nft add table ip t; nft add chain ip t pre '{ type nat hook prerouting priority dstnat; }'");
    sh(`nft add rule ip t pre 'tcp dport 80 dnat to 192.168.15.2:80'`);
    const byNft = listedRules('ip', 'pre');
    sh("nft flush ruleset; nft add table ip t; nft add chain ip t pre '{ type nat hook prerouting priority dstnat; }'");
    await install('ip', 'pre', [
      { type: 'meta', key: 'l4proto', dreg: 1 },
      { type: 'cmp', sreg: 1, op: 'eq', data: { value: bytes(6) } },
      { type: 'payload', dreg: 1, base: 'transport', offset: 2, len: 2 },
      { type: 'cmp', sreg: 1, op: 'eq', data: { value: bytes(0, 80) } },
      { type: 'immediate', dreg: 1, data: { value: bytes(192, 168, 15, 2) } },
      { type: 'immediate', dreg: 2, data: { value: bytes(0, 80) } },
      { type: 'nat', natType: 'dnat', family: 'ip', addrMin: 1, protoMin: 2, flags: ['proto-specified'] },
    ]);
    expect(listedRules('ip', 'pre')).toEqual(byNft);
  });
});
