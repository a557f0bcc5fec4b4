/**
 * Statements printed the way `nft list` prints them: counter, limit, log, reject, quota,
 * objref, verdicts, and the NAT family (snat, dnat, masquerade, redirect) once their register
 * operands have been turned into text.
 */
import type { TableFamily } from '../constants.js';
import { NftObjectType } from '../constants.js';
import type { CounterExpression } from '../expressions/counter.js';
import type { Verdict } from '../expressions/data.js';
import { flagBits } from '../expressions/definition.js';
import type { LimitExpression } from '../expressions/limit.js';
import type { LogExpression } from '../expressions/log.js';
import { LogFlags, LogLevel, NatRangeFlags, NF_LOG_MASK, RejectIcmpxCode, RejectType, logLevelName, type NatRangeFlagName } from '../expressions/constants.js';
import type { ObjrefExpression } from '../expressions/objref.js';
import type { QuotaExpression } from '../expressions/quota.js';
import type { RejectExpression } from '../expressions/reject.js';
import { NftLimitFlags, NftQuotaFlags } from '../constants.js';
import { formatDuration, ICMP_REJECT_CODES, ICMPV6_REJECT_CODES, symbolName, type SymbolTable } from './datatypes.js';
import type { HeaderProtocolName } from './fields.js';

/** `stateless`: like `nft -s` (and nft inside set statements), without the counted values. */
export function counterText(e: CounterExpression, stateless = false): string {
  return stateless ? 'counter' : `counter packets ${e.packets ?? 0n} bytes ${e.bytes ?? 0n}`;
}

const TIME_UNITS: ReadonlyArray<[bigint, string]> = [[1n, 'second'], [60n, 'minute'], [3600n, 'hour'], [86400n, 'day'], [604800n, 'week']];
const DATA_UNITS = ['bytes', 'kbytes', 'mbytes'] as const;

/** nft's get_unit: a limit's time unit in seconds as a word. */
function timeUnitName(seconds: bigint): string {
  return TIME_UNITS.find(([n]) => n === seconds)?.[1] ?? 'error';
}

/** nft's get_rate: bytes in the largest unit (up to mbytes) that divides them. */
export function dataAmount(bytes: bigint): string {
  let value = bytes;
  let i = 0;
  if (value !== 0n) {
    while (i + 1 < DATA_UNITS.length && value % 1024n === 0n) {
      value /= 1024n;
      i++;
    }
  }
  return `${value} ${DATA_UNITS[i]}`;
}

export function limitText(e: LimitExpression): string {
  const over = flagBits(e.flags, NftLimitFlags) & NftLimitFlags.inv ? 'over ' : '';
  const unit = timeUnitName(e.unit ?? 0n);
  if (e.limitType === 'bytes') {
    const burst = e.burst ? ` burst ${dataAmount(BigInt(e.burst))}` : '';
    return `limit rate ${over}${dataAmount(e.rate ?? 0n)}/${unit}${burst}`;
  }
  // nft's default burst for packet limits is 5: it is only printed when different.
  const burst = e.burst && e.burst !== 5 ? ` burst ${e.burst} packets` : '';
  return `limit rate ${over}${e.rate ?? 0n}/${unit}${burst}`;
}

export function quotaText(e: QuotaExpression, stateless = false): string {
  const over = flagBits(e.flags, NftQuotaFlags) & NftQuotaFlags.inv ? 'over ' : '';
  const used = e.consumed && !stateless ? ` used ${dataAmount(e.consumed)}` : '';
  return `quota ${over}${dataAmount(e.bytes ?? 0n)}${used}`;
}

/** `"text"` as nft prints strings (quotes inside are not escaped by nft either). */
const quoted = (s: string): string => `"${s}"`;

export function logText(e: LogExpression): string {
  const parts = ['log'];
  if (e.prefix !== undefined) parts.push(`prefix ${quoted(e.prefix)}`);
  if (e.group !== undefined) parts.push(`group ${e.group}`);
  if (e.snaplen !== undefined) parts.push(`snaplen ${e.snaplen}`);
  if (e.qthreshold !== undefined) parts.push(`queue-threshold ${e.qthreshold}`);
  const level = typeof e.level === 'number' ? e.level : e.level === undefined ? undefined : LogLevel[e.level];
  if (level !== undefined && level !== LogLevel.warn) parts.push(`level ${logLevelName.get(level) ?? level}`);
  const flags = flagBits(e.flags, LogFlags);
  if ((flags & NF_LOG_MASK) === NF_LOG_MASK) {
    parts.push('flags all');
  } else {
    const tcp = [flags & LogFlags.tcpseq && 'sequence', flags & LogFlags.tcpopt && 'options'].filter(Boolean);
    if (tcp.length > 0) parts.push(`flags tcp ${tcp.join(',')}`);
    if (flags & LogFlags.ipopt) parts.push('flags ip options');
    if (flags & LogFlags.uid) parts.push('flags skuid');
    if (flags & LogFlags.macdecode) parts.push('flags ether');
  }
  return parts.join(' ');
}

/** ICMP port unreachable: the code a plain `reject` uses (ICMP_PORT_UNREACH, ICMP6_DST_UNREACH_NOPORT). */
const DEFAULT_REJECT_CODE = { icmp: ICMP_REJECT_CODES['port-unreachable']!, icmpv6: ICMPV6_REJECT_CODES['port-unreachable']!, icmpx: RejectIcmpxCode['port-unreachable'] };

function codeName(table: SymbolTable, code: number): string {
  return symbolName(table, code) ?? String(code);
}

/**
 * `reject`, `reject with tcp reset`, `reject with icmp host-unreachable` … In ip and ip6 tables
 * the default ICMP code is left out; in inet, bridge and netdev tables an ICMP (not icmpx)
 * reject is always spelled out, since the family alone does not say which ICMP.
 */
export function rejectText(e: RejectExpression, family: TableFamily, network: HeaderProtocolName | undefined): string {
  const type = typeof e.rejectType === 'number' ? e.rejectType : RejectType[e.rejectType ?? 'icmp'];
  const code = e.code ?? 0;
  if (type === RejectType['tcp reset']) return 'reject with tcp reset';
  if (type === RejectType.icmpx) {
    return code === DEFAULT_REJECT_CODE.icmpx ? 'reject' : `reject with icmpx ${codeName(RejectIcmpxCode, code)}`;
  }
  const v6 = family === 'ip6' || (family !== 'ip' && network === 'ip6');
  const verbose = family !== 'ip' && family !== 'ip6';
  if (v6) return !verbose && code === DEFAULT_REJECT_CODE.icmpv6 ? 'reject' : `reject with icmpv6 ${codeName(ICMPV6_REJECT_CODES, code)}`;
  return !verbose && code === DEFAULT_REJECT_CODE.icmp ? 'reject' : `reject with icmp ${codeName(ICMP_REJECT_CODES, code)}`;
}

/** Objects referenced by objref, as nft introduces them. */
const OBJREF_PREFIX: Readonly<Record<string, string>> = {
  'ct helper': 'ct helper set',
  'ct timeout': 'ct timeout set',
  'ct expectation': 'ct expectation set',
  secmark: 'meta secmark set',
};

export function objrefText(e: ObjrefExpression): string | undefined {
  if (e.immName === undefined || e.immType === undefined) return undefined;
  const type = typeof e.immType === 'number' ? [...Object.entries(NftObjectType)].find(([, n]) => n === e.immType)?.[0] : e.immType;
  if (type === undefined) return undefined;
  return `${OBJREF_PREFIX[type] ?? `${type} name`} ${quoted(e.immName)}`;
}

/** A verdict: `accept`, `jump other`. */
export function verdictText(v: Verdict | undefined): string | undefined {
  const code = v?.code;
  if (typeof code !== 'string') return undefined;
  if (code === 'jump' || code === 'goto') return v?.chain === undefined ? undefined : `${code} ${v.chain}`;
  return ['accept', 'drop', 'continue', 'return', 'queue', 'stolen'].includes(code) ? code : undefined;
}

/** NAT flags as nft prints them after the target: ` random,persistent`. */
export function natFlagsText(flags: ReadonlyArray<NatRangeFlagName | number> | undefined): string {
  const bits = flagBits(flags, NatRangeFlags);
  const names = (['random', 'fully-random', 'persistent'] as const).filter((n) => bits & NatRangeFlags[n]);
  return names.length > 0 ? ` ${names.join(',')}` : '';
}

/**
 * `snat to 10.0.0.1:80-90 random`, `dnat ip to …` (inet), `masquerade to :1024-2048`,
 * `redirect to :80`. Addresses are text already; IPv6 addresses with a port get brackets.
 */
export function natText(keyword: string, target: { family?: string; address?: string; ipv6?: boolean; port?: string }, flags: string): string {
  let out = keyword;
  if (target.address !== undefined || target.port !== undefined) {
    if (target.family) out += ` ${target.family}`;
    out += ' to';
  }
  if (target.address !== undefined) {
    const bracket = target.ipv6 && target.port !== undefined;
    out += ` ${bracket ? target.address.split('-').map((a) => `[${a}]`).join('-') : target.address}`;
  }
  if (target.port !== undefined) out += `${target.address === undefined ? ' ' : ''}:${target.port}`;
  return out + flags;
}

/** nft's time format for timeouts: `1d2h3m4s5ms`. */
export const durationText = formatDuration;
