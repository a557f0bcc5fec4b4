/**
 * Checks on link inputs, run before anything is sent: a bad name, MTU or MAC address is a
 * ValidationError naming the field, never a half-applied change.
 */
import { parseLinkAddress } from '../netlink/addresses.js';
import { ValidationError } from '../netlink/errors.js';
import { encodeKernelText } from '../netlink/text.js';
import { ETH_ALEN, IFALIAS_MAX_BYTES, IFNAMSIZ_MAX_BYTES, MAX_ADDR_LEN } from '../netlink/route/link-constants.js';

/** A link by name (`veth0`) or by interface index (`3`). */
export type LinkRef = string | number;

/** Smallest MTU accepted: ETH_MIN_MTU, also the IPv4 minimum. */
export const MIN_MTU = 68;
/** Largest MTU: the kernel keeps it in an int. */
export const MAX_MTU = 0x7fffffff;
const U32_MAX = 0xffffffff;
const IFINDEX_MAX = 0x7fffffff;

// Characters the kernel refuses in names ('/', ':' and whitespace: dev_valid_name), plus '%'
// (the kernel would expand it as a template, "eth%d") and control characters (unprintable).
const FORBIDDEN = /[/:%\s\p{Cc}]/u;
// Names we create come from a safe set on top of that: letters and digits of any script and
// `-_.@+`. The kernel would take `$(reboot)` or `a;b`, but a name that is a shell command
// waiting to happen in someone's script is refused. (Names read from the kernel are never
// checked: they are kept byte-exact and shown escaped.)
const SAFE = /^[\p{L}\p{N}\p{M}_.@+-]+$/u;
const LONE_SURROGATE = /\p{Cs}/u;
// The same rules for the usual, all-ASCII name, without the Unicode property classes above:
// V8 builds those on first use, which costs a short-lived program milliseconds.
const SAFE_ASCII = /^[A-Za-z0-9_.@+-]+$/;

function validateNameText(name: unknown, field: string, maxBytes: number): asserts name is string {
  if (typeof name !== 'string') throw new ValidationError(field, 'must be an interface name (a string)', name);
  if (name.length === 0) throw new ValidationError(field, 'must not be empty', name);
  if (name === '.' || name === '..') throw new ValidationError(field, `must not be "${name}"`, name);
  if (SAFE_ASCII.test(name)) {
    // One byte per character.
    if (name.length > maxBytes) throw new ValidationError(field, `is ${name.length} bytes, at most ${maxBytes} allowed`, name);
    return;
  }
  const bad = FORBIDDEN.exec(name);
  if (bad) throw new ValidationError(field, `must not contain ${JSON.stringify(bad[0])} (interface names exclude '/', ':', '%', whitespace and control characters)`, name);
  if (LONE_SURROGATE.test(name)) throw new ValidationError(field, 'must be valid Unicode', name);
  if (!SAFE.test(name)) throw new ValidationError(field, 'may contain only letters, digits and - _ . @ +', name);
  const bytes = encodeKernelText(name).length;
  if (bytes > maxBytes) throw new ValidationError(field, `is ${bytes} bytes, at most ${maxBytes} allowed`, name);
}

/**
 * Throws a ValidationError unless `name` is a usable interface name: 1–15 bytes of UTF-8, no
 * '/', ':', '%', whitespace, NUL or control characters, and not '.' or '..'.
 */
export function validateLinkName(name: unknown, field = 'name'): asserts name is string {
  validateNameText(name, field, IFNAMSIZ_MAX_BYTES);
}

/** Longest alternative name in bytes (ALTIFNAMSIZ 128, less the NUL). */
export const ALTNAME_MAX_BYTES = 127;

/** An alternative name: the rules of interface names, but up to 127 bytes. */
export function validateAltname(name: unknown, field = 'altname'): asserts name is string {
  validateNameText(name, field, ALTNAME_MAX_BYTES);
}

/** Validates a link reference: a valid name or a positive interface index. */
export function validateLinkRef(ref: unknown, field = 'link'): asserts ref is LinkRef {
  if (typeof ref === 'number') {
    if (!Number.isInteger(ref) || ref < 1 || ref > IFINDEX_MAX) throw new ValidationError(field, `must be an interface index from 1 to ${IFINDEX_MAX}`, ref);
    return;
  }
  validateLinkName(ref, field);
}

export function validateInteger(value: unknown, field: string, min: number, max: number): asserts value is number {
  if (typeof value !== 'number' || !Number.isInteger(value) || value < min || value > max) {
    throw new ValidationError(field, `must be an integer from ${min} to ${max}`, value);
  }
}

export function validateU32(value: unknown, field: string): asserts value is number {
  validateInteger(value, field, 0, U32_MAX);
}

export function validateMtu(value: unknown, field = 'mtu'): asserts value is number {
  validateInteger(value, field, MIN_MTU, MAX_MTU);
}

export function validateBoolean(value: unknown, field: string): asserts value is boolean {
  if (typeof value !== 'boolean') throw new ValidationError(field, 'must be true or false', value);
}

/**
 * A link-layer address for `ip link set … address`: 1–32 bytes. With `ethernet`, exactly 6
 * bytes, not multicast and not all zeros (what the kernel's is_valid_ether_addr() demands).
 */
export function validateMac(value: unknown, field = 'address', options: { ethernet?: boolean } = {}): string {
  const bytes = parseLinkAddress(value as string, field);
  if (bytes.length > MAX_ADDR_LEN) throw new ValidationError(field, `is ${bytes.length} bytes, at most ${MAX_ADDR_LEN} allowed`, value);
  if (options.ethernet) {
    if (bytes.length !== ETH_ALEN) throw new ValidationError(field, `must be a 6-byte Ethernet address, got ${bytes.length} bytes`, value);
    if (bytes[0]! & 1) throw new ValidationError(field, 'must be a unicast address (the first byte is odd: multicast)', value);
    if (bytes.every((b) => b === 0)) throw new ValidationError(field, 'must not be all zeros', value);
  }
  return value as string;
}

export function validateAlias(value: unknown, field = 'alias'): asserts value is string {
  if (typeof value !== 'string') throw new ValidationError(field, 'must be a string', value);
  if (value.includes('\0')) throw new ValidationError(field, 'must not contain NUL', value);
  const bytes = encodeKernelText(value).length;
  if (bytes > IFALIAS_MAX_BYTES) throw new ValidationError(field, `is ${bytes} bytes, at most ${IFALIAS_MAX_BYTES} allowed`, value);
}

/** Reject option keys a function does not know (a typo must not be silently ignored). */
export function rejectUnknownKeys(value: object, known: readonly string[], field: string): void {
  if (value === null || typeof value !== 'object') throw new ValidationError(field, 'must be an object', value);
  for (const [key, v] of Object.entries(value)) {
    if (v !== undefined && !known.includes(key)) throw new ValidationError(`${field ? `${field}.` : ''}${key}`, `is not an option here (known: ${known.join(', ')})`, v);
  }
}
