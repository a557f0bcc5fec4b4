/**
 * The body of an `add rule` built in code, written straight into the batch's buffer: nfgenmsg,
 * NFTA_RULE_TABLE, NFTA_RULE_CHAIN and the expression list, without the layers a message
 * codec goes through for any message (a struct encoder, an attribute set's dispatch, a value
 * object per message). A 10,000-rule batch spent half of its per-rule time outside the
 * expressions in those layers.
 *
 * An optimisation with nothing of its own to say: for the rules it takes it writes exactly
 * the bytes the general path writes (test/property/nft/expr-batch.property.test.ts), and it
 * declines — false, nothing written — anything else: other attributes, a value decoded from
 * the kernel, a name that is not plain ASCII, an expression that does not encode. The general
 * path then writes the rule or reports the error with its path.
 */
import { decodedState } from '../netlink/hidden.js';
import { NLA_F_NESTED, NLA_HDRLEN } from '../netlink/constants.js';
import type { Writer } from '../netlink/writer.js';
import type { NftCommand } from './command.js';
import { NfProto, NftaRule } from './constants.js';
import { expressionListCodec } from './expressions/expression.js';

const NFGENMSG_LEN = 4;
/** The longest name an attribute's 16-bit length can hold (with its header and NUL). */
const NAME_MAX = 0xffff - NLA_HDRLEN - 1;
const ASCII_MAX = 0x7f;
const EXPRESSIONS_TYPE = NftaRule.NFTA_RULE_EXPRESSIONS | NLA_F_NESTED;

/** A NUL-terminated ASCII string attribute at `at`: the offset after it (padded), or -1. */
function putName(buf: Uint8Array, at: number, type: number, name: string): number {
  const n = name.length;
  if (n === 0 || n > NAME_MAX) return -1;
  for (let i = 0; i < n; i++) {
    const c = name.charCodeAt(i);
    if (c === 0 || c > ASCII_MAX) return -1;
    buf[at + NLA_HDRLEN + i] = c;
  }
  let end = at + NLA_HDRLEN + n;
  buf[end++] = 0;
  const length = end - at;
  buf[at] = length & 0xff;
  buf[at + 1] = length >>> 8;
  buf[at + 2] = type;
  buf[at + 3] = 0;
  while ((end & 3) !== 0) buf[end++] = 0;
  return end;
}

/** Whether `a` holds table, chain and expressions, in that order, and nothing else. */
function isPlainRule(a: Record<string, unknown>): boolean {
  let step = 0;
  for (const key in a) {
    if (a[key] === undefined) continue;
    if (key !== (step === 0 ? 'table' : step === 1 ? 'chain' : step === 2 ? 'expressions' : '')) return false;
    step++;
  }
  return step === 3;
}

/** Write `command`'s body if it is a plain `add rule` (see the module comment); false with nothing written otherwise. */
export function writeRuleBody(w: Writer, command: NftCommand): boolean {
  if (command.type !== 'NFT_MSG_NEWRULE' || w.recordsSpans || !w.nestingFlagged) return false;
  // (Own names only: `toString` is no family, and the general path refuses it.)
  const family = typeof command.family === 'string' && Object.hasOwn(NfProto, command.family) ? NfProto[command.family as keyof typeof NfProto] : undefined;
  const a = command.attributes as Record<string, unknown> | null;
  if (family === undefined || a === null || typeof a !== 'object' || decodedState(a) !== undefined || !isPlainRule(a)) return false;
  const { table, chain, expressions } = a;
  if (typeof table !== 'string' || typeof chain !== 'string' || !Array.isArray(expressions)) return false;
  const start = w.length;
  // (Each name: header, characters, NUL, up to 3 bytes of padding.)
  const buf = w.room(NFGENMSG_LEN + 2 * (NLA_HDRLEN + 4) + table.length + chain.length + NLA_HDRLEN);
  buf[start] = family;
  buf[start + 1] = 0; // NFNETLINK_V0
  buf[start + 2] = 0; // res_id
  buf[start + 3] = 0;
  const afterTable = putName(buf, start + NFGENMSG_LEN, NftaRule.NFTA_RULE_TABLE, table);
  const listAt = afterTable < 0 ? -1 : putName(buf, afterTable, NftaRule.NFTA_RULE_CHAIN, chain);
  if (listAt < 0) return false;
  w.length = listAt + NLA_HDRLEN;
  // Paths serve only errors, and an error sends the rule to the general path, which has them.
  const pathsOptional = w.pathsOptional;
  w.pathsOptional = true;
  try {
    expressionListCodec.encode(w, expressions as never, '');
  } catch {
    w.length = start;
    return false;
  } finally {
    w.pathsOptional = pathsOptional;
  }
  const length = w.length - listAt;
  if (length > 0xffff) {
    w.length = start;
    return false;
  }
  // (room() may have replaced the buffer while the list was written.)
  w.patchU16(listAt, length);
  w.patchU16(listAt + 2, EXPRESSIONS_TYPE);
  return true;
}
