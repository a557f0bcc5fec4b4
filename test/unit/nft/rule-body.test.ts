/**
 * The straight writer of a plain `add rule` body (rule-body.ts): the general path's bytes for
 * what it takes, and nothing written for what it declines (the general path writes those,
 * or reports their errors). The property test (expr-batch.property.test.ts) compares the two
 * over generated rules; these are the cases it does not reach.
 */
import { describe, expect, it } from 'vitest';
import { bodyWriter } from '../../../src/netlink/message.js';
import { Writer } from '../../../src/netlink/writer.js';
import { encodeBatch } from '../../../src/nft/batch.js';
import type { NftCommand } from '../../../src/nft/command.js';
import { NftMsg } from '../../../src/nft/constants.js';
import { nftMessageCodecs } from '../../../src/nft/protocol.js';
import { addRule, deleteRule } from '../../../src/nft/rule-commands.js';
import { ruleAttributes } from '../../../src/nft/rule.js';
import { writeRuleBody } from '../../../src/nft/rule-body.js';

const counter = { type: 'counter', packets: 0n, bytes: 0n } as const;

function generalBody(command: NftCommand): Uint8Array {
  const w = bodyWriter();
  nftMessageCodecs.get(NftMsg.NFT_MSG_NEWRULE)!.encode(w, { family: command.family, version: 0, resId: 0, attributes: command.attributes }, 0);
  return w.finish().slice();
}

/** What writeRuleBody does on a batch's kind of writer: whether it wrote, and what. */
function straight(command: NftCommand): { wrote: boolean; bytes: Uint8Array; pathsOptional: boolean } {
  const w = new Writer(16, 0, { spans: false });
  const wrote = writeRuleBody(w, command);
  return { wrote, bytes: w.finish().slice(), pathsOptional: w.pathsOptional };
}

/** A rule's attributes as the kernel dumps them (unflagged nests), to be decoded. */
function encodeRule(): Uint8Array {
  const w = new Writer(64, 0, { spans: false });
  w.nestingFlagged = false;
  ruleAttributes.encode(w, { table: 't', chain: 'c', expressions: [counter] }, '');
  return w.finish().slice();
}

describe('a plain add rule, written straight', () => {
  it('writes the general path bytes, the buffer grown for names of thousands of characters', () => {
    // (Built by hand: addRule refuses names longer than the kernel's 255 bytes; a batch does not.)
    const command: NftCommand = { type: 'NFT_MSG_NEWRULE', family: 'inet', attributes: { table: 't'.repeat(3000), chain: 'c'.repeat(2001), expressions: [counter] } };
    const { wrote, bytes } = straight(command);
    expect(wrote).toBe(true);
    expect(bytes).toEqual(generalBody(command));
    // And in a batch of one, whose buffer starts at 1.5 KB.
    expect(encodeBatch({ commands: [command] }).messages[1]!.payload).toEqual(generalBody(command));
  });

  it('declines, writing nothing, what it does not take', () => {
    const decoded = ruleAttributes.decode(encodeRule(), 0, '');
    const declined: Array<[string, NftCommand]> = [
      ['a comment', addRule({ family: 'ip', table: 't', chain: 'c', expressions: [counter], comment: 'x' })],
      ['a position', addRule({ family: 'ip', table: 't', chain: 'c', expressions: [counter], after: 5n })],
      ['a table name that is not ASCII', addRule({ family: 'ip', table: 'tä', chain: 'c', expressions: [counter] })],
      ['a family given as a number', { type: 'NFT_MSG_NEWRULE', family: 2, attributes: { table: 't', chain: 'c', expressions: [counter] } }],
      ['a family name that is no family', { type: 'NFT_MSG_NEWRULE', family: 'toString' as never, attributes: { table: 't', chain: 'c', expressions: [counter] } }],
      ['attributes decoded from the kernel', { type: 'NFT_MSG_NEWRULE', family: 'ip', attributes: decoded }],
      ['another message', deleteRule({ family: 'ip', table: 't', chain: 'c', handle: 3n })],
      ['an expression that does not encode', addRule({ family: 'ip', table: 't', chain: 'c', expressions: [{ type: 'counter', packets: -1n } as never] })],
    ];
    for (const [what, command] of declined) {
      const out = straight(command);
      expect({ what, wrote: out.wrote, length: out.bytes.length, pathsOptional: out.pathsOptional }).toEqual({ what, wrote: false, length: 0, pathsOptional: false });
    }
  });

  it('leaves a writer that records spans to the general path', () => {
    const w = bodyWriter();
    expect(writeRuleBody(w, addRule({ family: 'ip', table: 't', chain: 'c', expressions: [counter] }))).toBe(false);
    expect(w.length).toBe(0);
  });
});
