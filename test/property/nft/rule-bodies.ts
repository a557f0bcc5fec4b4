/**
 * A rule's body two ways, for the property tests that hold a batch's fast paths to the
 * general path: as a batch writes it (span-free writer, fused and straight paths) and as the
 * message codec writes it on a writer that records spans. Undefined when refused (a
 * ValidationError, never anything else).
 */
import { ValidationError } from '../../../src/netlink/errors.js';
import { bodyWriter } from '../../../src/netlink/message.js';
import { encodeBatch } from '../../../src/nft/batch.js';
import type { NftCommand } from '../../../src/nft/command.js';
import { NftMsg } from '../../../src/nft/constants.js';
import type { Expression } from '../../../src/nft/expressions/index.js';
import { nftMessageCodecs } from '../../../src/nft/protocol.js';
import { addRule } from '../../../src/nft/rule-commands.js';

/** Enough copies of the rule in one batch for every compiled writer to be in use (tier-up.ts). */
export const COPIES = 10;

function unlessRefused(write: () => Uint8Array): Uint8Array | undefined {
  try {
    return write();
  } catch (err) {
    if (err instanceof ValidationError) return undefined;
    throw err;
  }
}

/** The body of `command` as the general path writes it, spans recorded. */
export function generalCommandBody(command: NftCommand): Uint8Array | undefined {
  return unlessRefused(() => {
    const w = bodyWriter();
    nftMessageCodecs.get(NftMsg.NFT_MSG_NEWRULE)!.encode(w, { family: command.family, version: 0, resId: 0, attributes: command.attributes }, 0);
    return w.finish().slice();
  });
}

/** The last copy's body in a batch of COPIES of `command`. */
export function batchCommandBody(command: NftCommand): Uint8Array | undefined {
  return unlessRefused(() => encodeBatch({ commands: Array.from({ length: COPIES }, () => command) }).messages[COPIES]!.payload.slice());
}

const ruleOf = (expressions: Expression[]): NftCommand => addRule({ family: 'ip', table: 't', chain: 'c', expressions });

/** `add rule ip t c` with `expressions`, as the general path writes it. */
export const generalBody = (expressions: Expression[]): Uint8Array | undefined => generalCommandBody(ruleOf(expressions));

/** `add rule ip t c` with `expressions`, as a batch writes it. */
export const batchBody = (expressions: Expression[]): Uint8Array | undefined => batchCommandBody(ruleOf(expressions));
