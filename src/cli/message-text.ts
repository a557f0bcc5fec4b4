/**
 * One decoded netlink message as text: a header line naming the type, the flags by name (their
 * meaning depends on the kind of message), sequence number and port, then the body as a tree.
 * Shared by `netns-ts decode` and `--trace`.
 */
import { NlmFlags, NlmsgType } from '../netlink/constants.js';
import type { DecodedMessage } from '../netlink/registry.js';
import { treeLines } from './tree.js';

/** Flags every message may carry, in bit order. */
const COMMON_FLAGS: ReadonlyArray<[string, number]> = [
  ['REQUEST', NlmFlags.NLM_F_REQUEST],
  ['MULTI', NlmFlags.NLM_F_MULTI],
  ['ACK', NlmFlags.NLM_F_ACK],
  ['ECHO', NlmFlags.NLM_F_ECHO],
  ['DUMP_INTR', NlmFlags.NLM_F_DUMP_INTR],
  ['DUMP_FILTERED', NlmFlags.NLM_F_DUMP_FILTERED],
];
const GET_FLAGS: ReadonlyArray<[string, number]> = [
  ['ROOT', NlmFlags.NLM_F_ROOT],
  ['MATCH', NlmFlags.NLM_F_MATCH],
  ['ATOMIC', NlmFlags.NLM_F_ATOMIC],
];
const NEW_FLAGS: ReadonlyArray<[string, number]> = [
  ['REPLACE', NlmFlags.NLM_F_REPLACE],
  ['EXCL', NlmFlags.NLM_F_EXCL],
  ['CREATE', NlmFlags.NLM_F_CREATE],
  ['APPEND', NlmFlags.NLM_F_APPEND],
];
const DEL_FLAGS: ReadonlyArray<[string, number]> = [
  ['NONREC', NlmFlags.NLM_F_NONREC],
  ['BULK', NlmFlags.NLM_F_BULK],
];
const ACK_FLAGS: ReadonlyArray<[string, number]> = [
  ['CAPPED', NlmFlags.NLM_F_CAPPED],
  ['ACK_TLVS', NlmFlags.NLM_F_ACK_TLVS],
];

/** The table for the 0x100+ flag bits of a message, from its type and name. */
function kindFlags(type: number, typeName: string | undefined, flags: number): ReadonlyArray<[string, number]> {
  if (type === NlmsgType.NLMSG_ERROR) return ACK_FLAGS;
  if (type < NlmsgType.NLMSG_OVERRUN + 1) return [];
  const name = typeName ?? '';
  if (/_GET/.test(name)) return GET_FLAGS;
  if (/_DEL/.test(name)) return DEL_FLAGS;
  // Requests other than GET/DEL create or change things; replies (no REQUEST bit) carry none.
  return flags & NlmFlags.NLM_F_REQUEST ? NEW_FLAGS : [];
}

/** nlmsg_flags by name, e.g. `REQUEST|ACK|EXCL|CREATE`; bits without a name as hex. */
export function flagText(type: number, typeName: string | undefined, flags: number): string {
  const kind = kindFlags(type, typeName, flags);
  const names: string[] = [];
  let left = flags;
  const take = (name: string, bits: number): void => {
    if ((left & bits) !== bits) return;
    names.push(name);
    left &= ~bits;
  };
  for (const [name, bit] of COMMON_FLAGS) take(name, bit);
  // A dump request is ROOT|MATCH: shown as DUMP.
  if (kind === GET_FLAGS) take('DUMP', NlmFlags.NLM_F_DUMP);
  for (const [name, bit] of kind) take(name, bit);
  if (left !== 0) names.push(`0x${left.toString(16)}`);
  return names.length === 0 ? '0' : names.join('|');
}

/** Header line + body tree of one decoded message. */
export function messageLines(m: DecodedMessage, prefix = '', indent = '  '): string[] {
  const name = m.typeName ?? `type ${m.type}`;
  const head = `${prefix}${name} flags=${flagText(m.type, m.typeName, m.flags)} seq=${m.seq} pid=${m.pid}`;
  const body = treeLines(m.body, indent);
  const tail = m.ignoredTail ? [`${indent}(${m.ignoredTail.length} zero bytes after the last message, ignored by the kernel)`] : [];
  return [head, ...body, ...tail];
}
