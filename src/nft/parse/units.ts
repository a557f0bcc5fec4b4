/**
 * nft's units: durations (`30s`, `1h30m`, `500ms`), time units of rates (`/second`), and
 * byte amounts (`10 mbytes`).
 */
import type { TokenStream } from './token-stream.js';

const MS_PER = { ms: 1n, s: 1000n, m: 60_000n, h: 3_600_000n, d: 86_400_000n } as const;
const DURATION = /^(\d+(ms|s|m|h|d))+$/;

/** Seconds in nft's rate units. */
export const RATE_UNITS: Readonly<Record<string, bigint>> = { second: 1n, minute: 60n, hour: 3600n, day: 86400n, week: 604800n };
/** Bytes in nft's data units. */
export const DATA_UNITS: Readonly<Record<string, bigint>> = { bytes: 1n, kbytes: 1024n, mbytes: 1024n * 1024n };

/** `1h30m` → milliseconds; a bare number is seconds. Undefined when it is not a duration. */
export function durationMs(text: string): bigint | undefined {
  if (/^\d+$/.test(text)) return BigInt(text) * MS_PER.s;
  if (!DURATION.test(text)) return undefined;
  let total = 0n;
  for (const [, n, unit] of text.matchAll(/(\d+)(ms|s|m|h|d)/g)) total += BigInt(n!) * MS_PER[unit as keyof typeof MS_PER];
  return total;
}

/** A duration word. @throws ParseError */
export function parseDuration(s: TokenStream): bigint {
  const t = s.expectWord('a duration such as 30s or 1h30m');
  const ms = durationMs(t.text);
  if (ms === undefined) throw s.error(`'${t.text}' is not a duration (such as 30s, 5m, 1h30m, 500ms)`, t);
  return ms;
}

/** A non-negative integer word (decimal or 0x hex) up to `max`. @throws ParseError */
export function parseInteger(s: TokenStream, what: string, max: bigint): bigint {
  const t = s.expectWord(what);
  const n = integerOf(t.text);
  if (n === undefined || n > max) throw s.error(`'${t.text}' is not ${what}`, t);
  return n;
}

/** `42`, `0x2a` → 42n; undefined for anything else. */
export function integerOf(text: string): bigint | undefined {
  if (/^\d+$/.test(text)) return BigInt(text);
  if (/^0x[0-9a-fA-F]+$/.test(text)) return BigInt(text);
  return undefined;
}

/** `N UNIT` with a data unit (`10 mbytes`) → bytes, and the amount as written. @throws ParseError */
export function parseByteAmount(s: TokenStream, what: string): { bytes: bigint; value: bigint; unit: string } {
  const n = parseInteger(s, what, 2n ** 64n - 1n);
  const unit = s.expectWord(`a unit (${Object.keys(DATA_UNITS).join(', ')})`, ...Object.keys(DATA_UNITS));
  return { bytes: n * DATA_UNITS[unit.text]!, value: n, unit: unit.text };
}
