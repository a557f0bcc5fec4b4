/**
 * Input checks shared by the command builders: every problem is a ValidationError naming the
 * field, raised before anything is encoded or sent.
 */
import { ValidationError } from '../netlink/errors.js';
import { kernelTextByteLength } from '../netlink/text.js';
import { TABLE_FAMILIES, type TableFamily } from './constants.js';

/** NFT_NAME_MAXLEN (256) includes the terminating NUL. */
export const NFT_NAME_MAX_BYTES = 255;
/** NFT_USERDATA_MAXLEN */
export const NFT_USERDATA_MAX_BYTES = 256;
const U32_MAX = 0xffffffff;
/** One userdata TLV holds at most 255 bytes (its length is one byte). */
const UDATA_TLV_MAX_VALUE = 0xff;
const U64_MAX = 2n ** 64n - 1n;

/** A table, chain, set or object name: 1–255 bytes, no NUL. */
export function checkName(value: unknown, path: string): string {
  if (typeof value !== 'string' || value.length === 0) throw new ValidationError(path, 'must be a non-empty string', value);
  if (value.includes('\0')) throw new ValidationError(path, 'must not contain NUL', value);
  const bytes = kernelTextByteLength(value);
  if (bytes > NFT_NAME_MAX_BYTES) throw new ValidationError(path, `is ${bytes} bytes, at most ${NFT_NAME_MAX_BYTES} allowed`, value);
  return value;
}

export function checkFamily(value: unknown, path = 'family'): TableFamily {
  if (!TABLE_FAMILIES.includes(value as TableFamily)) throw new ValidationError(path, `must be one of ${TABLE_FAMILIES.join(', ')}`, value);
  return value as TableFamily;
}

export function checkHandle(value: unknown, path: string): bigint {
  if (typeof value !== 'bigint' || value <= 0n || value > U64_MAX) throw new ValidationError(path, 'must be a positive 64-bit bigint (a handle the kernel gave)', value);
  return value;
}

export function checkU32(value: unknown, path: string, min = 0): number {
  if (typeof value !== 'number' || !Number.isInteger(value) || value < min || value > U32_MAX) throw new ValidationError(path, `must be an integer from ${min} to ${U32_MAX}`, value);
  return value;
}

/** A duration in milliseconds, as the kernel stores set and element timeouts. */
export function checkMilliseconds(value: unknown, path: string): bigint {
  const n = typeof value === 'number' && Number.isInteger(value) ? BigInt(value) : value;
  if (typeof n !== 'bigint' || n < 0n || n > U64_MAX) throw new ValidationError(path, 'must be a non-negative whole number of milliseconds', value);
  return n;
}

export function checkComment(value: unknown, path: string): string {
  if (typeof value !== 'string' || value.includes('\0')) throw new ValidationError(path, 'must be a string without NUL', value);
  // TLV header (2 bytes) + text + NUL must fit NFT_USERDATA_MAXLEN, and one TLV holds 255 bytes.
  const bytes = kernelTextByteLength(value) + 1;
  if (bytes > UDATA_TLV_MAX_VALUE) throw new ValidationError(path, `is ${bytes - 1} bytes, at most ${UDATA_TLV_MAX_VALUE - 1} allowed`, value);
  return value;
}

export function checkOneOf<T extends string>(value: unknown, allowed: readonly T[], path: string): T {
  if (!allowed.includes(value as T)) throw new ValidationError(path, `must be one of ${allowed.join(', ')}`, value);
  return value as T;
}
