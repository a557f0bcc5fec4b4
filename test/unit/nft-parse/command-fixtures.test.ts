/**
 * Whole commands against nft, offline: the batch netns-ts compiles for a command equals the
 * batch nft sent for it (fixtures/netfilter/*.json captured with strace) — same messages, in
 * the same order, with the same NLM_F_* flags and the same attributes.
 */
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { toJsonValue } from '../../../src/netlink/json.js';
import { NlmFlags } from '../../../src/netlink/constants.js';
import { Writer } from '../../../src/netlink/writer.js';
import { encodeBatch } from '../../../src/nft/batch.js';
import { netfilterMessageCodec } from '../../../src/nft/protocol.js';
import { parseDatagram } from '../../../src/netlink/message.js';
import { compileCommands } from '../../../src/nft/parse/compile/commands.js';
import { declareSet } from '../../../src/nft/parse/compile/set-declarations.js';
import { parseCommandLine, parseNftFile } from '../../../src/nft/parse/parse-commands.js';
import { fromHex } from '../../helpers/hex.js';

const dir = join(dirname(fileURLToPath(import.meta.url)), '..', '..', '..', 'fixtures', 'netfilter');

/** Fixture → the nft command it captured (as typed, without the shell quoting). */
const CASES: ReadonlyArray<{ fixture: string; command: string; file?: true; existingSet?: { family: 'inet'; table: string; name: string; map: boolean; type: string[]; data?: string[]; flags?: string[] } }> = [
  { fixture: 'table-add-dormant', command: 'add table ip nat { flags dormant; comment "edge"; }' },
  { fixture: 'chain-add-base-nat', command: 'add chain ip nat POSTROUTING { type nat hook postrouting priority 100; policy accept; }' },
  { fixture: 'chain-add-regular', command: 'add chain ip nat helpers' },
  { fixture: 'chain-flush', command: 'flush chain ip nat POSTROUTING' },
  { fixture: 'set-add-interval-timeout', command: 'add set inet t s { type ipv4_addr; flags interval,timeout; timeout 30s; comment "cmt"; }' },
  { fixture: 'map-add-concat-data', command: 'add map inet t m { type inet_service : ipv4_addr . inet_service; }' },
  { fixture: 'rule-add-dnat', command: 'add rule ip nat PREROUTING tcp dport 8080 dnat to 10.0.0.2:80' },
  { fixture: 'rule-add-masquerade', command: 'add rule ip nat POSTROUTING ip saddr 10.0.0.0/24 counter masquerade comment "lan"' },
  { fixture: 'rule-replace', command: 'replace rule ip nat POSTROUTING handle 2 counter masquerade' },
  { fixture: 'rule-delete-handle', command: 'delete rule ip nat POSTROUTING handle 2' },
  {
    fixture: 'elements-add-interval', command: 'add element inet t s { 10.0.0.0/8, 192.168.1.1 timeout 10s }',
    existingSet: { family: 'inet', table: 't', name: 's', map: false, type: ['ipv4_addr'], flags: ['interval', 'timeout'] },
  },
  {
    fixture: 'elements-add-map', command: 'add element inet t m { 8080 : 10.0.0.2 . 80 }',
    existingSet: { family: 'inet', table: 't', name: 'm', map: true, type: ['inet_service'], data: ['ipv4_addr', 'inet_service'] },
  },
  {
    fixture: 'batch-ruleset-file', file: true,
    command: [
      'table ip nat {', '\tmap portfwd {', '\t\ttype inet_service : ipv4_addr . inet_service', '\t\telements = { 8080 : 10.0.0.2 . 80 }', '\t}',
      '\tchain PREROUTING {', '\t\ttype nat hook prerouting priority dstnat; policy accept;', '\t\tdnat ip to tcp dport map @portfwd', '\t}',
      '\tchain POSTROUTING {', '\t\ttype nat hook postrouting priority srcnat; policy accept;', '\t\tip saddr 10.0.0.0/24 oifname "eth0" masquerade comment "lan"', '\t}',
      '}', '',
    ].join('\n'),
  },
];

/** The messages of the captured batch between BATCH_BEGIN and BATCH_END (the first table only for the file case). */
function capturedBatch(fixture: string): Array<{ type: string; flags: number; attributes: unknown }> {
  const json = JSON.parse(readFileSync(join(dir, `${fixture}.json`), 'utf8')) as { datagrams: Array<{ direction: string; hex: string }> };
  for (const d of json.datagrams.filter((x) => x.direction === 'request')) {
    const messages = parseDatagram(fromHex(d.hex));
    const names = messages.map((m) => netfilterMessageCodec(m.type)?.name);
    if (!names.includes('NFNL_MSG_BATCH_BEGIN')) continue;
    return messages.slice(1, -1).map((m) => {
      const codec = netfilterMessageCodec(m.type)!;
      const body = codec.decode(m.payload, m.flags, 16) as { attributes: unknown };
      return { type: codec.name, flags: m.flags & ~NlmFlags.NLM_F_REQUEST, attributes: toJsonValue(body.attributes) };
    });
  }
  throw new Error(`${fixture}: no batch`);
}

/** Our batch, through the same encoder and decoder. */
function ourBatch(c: (typeof CASES)[number]): Array<{ type: string; flags: number; attributes: unknown }> {
  const parsed = c.file ? parseNftFile(c.command, 'fixture.nft') : parseCommandLine(c.command);
  const existing = c.existingSet;
  const description = existing
    ? declareSet(existing.family, existing.table, existing.name, existing.map, { key: existing.type, ...(existing.data ? { data: existing.data } : {}), ...(existing.flags ? { flags: existing.flags } : {}), span: { start: 0, end: 0 } }, 1, false).description
    : undefined;
  const compiled = compileCommands(parsed.commands, parsed.source, { kernelSet: () => description });
  const encoded = encodeBatch({ commands: compiled.batch });
  return encoded.messages.slice(1, -1).map((m) => {
    const w = new Writer();
    w.bytes(m.payload);
    const codec = netfilterMessageCodec(m.type)!;
    const body = codec.decode(w.finish(), m.flags ?? 0, 16) as { attributes: unknown };
    return { type: codec.name, flags: m.flags ?? 0, attributes: toJsonValue(body.attributes) };
  });
}

describe('commands compile to the batch nft sent', () => {
  for (const c of CASES) {
    it(`${c.fixture}: ${c.command.split('\n')[0]}`, () => {
      const theirs = capturedBatch(c.fixture);
      // The fixture's file also declares an inet table with a counter object (not supported): compare the ip table's part.
      const expected = c.file ? theirs.slice(0, theirs.findIndex((m, i) => i > 0 && m.type === 'NFT_MSG_NEWTABLE')) : theirs;
      expect(ourBatch(c)).toEqual(expected);
    });
  }
});
