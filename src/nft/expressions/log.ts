/**
 * log: log the packet to the kernel log (level, prefix, NF_LOG_* flags) or to an nflog group
 * (group, snaplen, queue threshold). `[ log prefix ssh  group 1 snaplen 0 qthreshold 0 ]`.
 */
import { defineAttributeSet } from '../../netlink/attribute-set.js';
import type { FieldCodec } from '../../netlink/field.js';
import { cstring, enumOf, u16be, u32be } from '../../netlink/fields.js';
import { encodeKernelText } from '../../netlink/text.js';
import { checkedFlagsOf } from './checked-flags.js';
import { LogFlags, LogLevel, NF_LOG_PREFIXLEN, NftaLog } from './constants.js';
import { defineExpression, flagBits, words, type ExpressionOf } from './definition.js';

/** NFTA_LOG_PREFIX: a string of at most NF_LOG_PREFIXLEN - 1 bytes. */
const prefixCodec: FieldCodec<string> = {
  ...cstring,
  validate(v) {
    const problem = cstring.validate?.(v);
    if (problem !== undefined) return problem;
    return encodeKernelText(v).length < NF_LOG_PREFIXLEN ? undefined : `must be at most ${NF_LOG_PREFIXLEN - 1} bytes`;
  },
};

/** NF_LOG_* flags in the order libnftnl prints them (nflog is never printed). */
const PRINTED_FLAGS = ['tcpseq', 'tcpopt', 'ipopt', 'uid', 'macdecode'] as const;

export const log = defineExpression({
  name: 'log',
  data: defineAttributeSet('log', {
    prefix: { type: NftaLog.NFTA_LOG_PREFIX, codec: prefixCodec }, // NFTA_LOG_PREFIX
    group: { type: NftaLog.NFTA_LOG_GROUP, codec: u16be }, // NFTA_LOG_GROUP (nflog)
    snaplen: { type: NftaLog.NFTA_LOG_SNAPLEN, codec: u32be }, // NFTA_LOG_SNAPLEN (nflog)
    qthreshold: { type: NftaLog.NFTA_LOG_QTHRESHOLD, codec: u16be }, // NFTA_LOG_QTHRESHOLD (nflog)
    level: { type: NftaLog.NFTA_LOG_LEVEL, codec: enumOf(u32be, LogLevel) }, // NFTA_LOG_LEVEL (syslog)
    flags: { type: NftaLog.NFTA_LOG_FLAGS, codec: checkedFlagsOf(u32be, LogFlags) }, // NFTA_LOG_FLAGS (NF_LOG_*)
  }),
  describe(v) {
    const prefix = v.prefix !== undefined && `prefix ${v.prefix}`;
    if (v.group !== undefined) return words(prefix, `group ${v.group} snaplen ${v.snaplen ?? 0} qthreshold ${v.qthreshold ?? 0}`);
    const bits = flagBits(v.flags, LogFlags);
    const level = v.level === undefined ? undefined : typeof v.level === 'number' ? v.level : LogLevel[v.level];
    return words(
      prefix,
      level !== undefined && `level ${level}`,
      ...(v.flags === undefined ? [] : PRINTED_FLAGS.filter((f) => bits & LogFlags[f])),
    );
  },
});
export type LogExpression = ExpressionOf<typeof log>;
