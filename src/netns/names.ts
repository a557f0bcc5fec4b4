/**
 * Namespace names: a name is a file in NETNS_RUN_DIR, so it must be exactly one path component.
 */
import { Buffer } from 'node:buffer';
import { ValidationError } from '../netlink/errors.js';

/** Longest name in bytes (NAME_MAX: one path component). */
export const NETNS_NAME_MAX_BYTES = 255;

// Control characters (C0, DEL, C1) would make names unprintable and ambiguous in listings;
// lone surrogates cannot be encoded in UTF-8 and would silently become U+FFFD on disk.
// (Spelled as ranges: the same classes as \p{Cc} and \p{Cs}, cheaper to build on first use.)
const CONTROL = /[\x00-\x1f\x7f-\x9f]/;
const LONE_SURROGATE = /[\uD800-\uDFFF]/u;

/**
 * Throws a {@link ValidationError} naming `field` (default `netns`) unless `name` is a usable namespace name:
 * non-empty, at most 255 bytes of UTF-8, no `/`, not `.` or `..`, no NUL or other control
 * characters.
 */
export function validateNetnsName(name: string, field = 'netns'): void {
  if (typeof name !== 'string') throw new ValidationError(field, 'name must be a string', name);
  if (name.length === 0) throw new ValidationError(field, 'name must not be empty', name);
  if (name === '.' || name === '..') throw new ValidationError(field, `name must not be "${name}"`, name);
  if (name.includes('/')) throw new ValidationError(field, 'name must not contain "/"', name);
  if (name.includes('\0')) throw new ValidationError(field, 'name must not contain NUL', name);
  if (CONTROL.test(name)) throw new ValidationError(field, 'name must not contain control characters', name);
  if (LONE_SURROGATE.test(name)) throw new ValidationError(field, 'name must be valid Unicode', name);
  const bytes = Buffer.byteLength(name, 'utf8');
  if (bytes > NETNS_NAME_MAX_BYTES) {
    throw new ValidationError(field, `name is ${bytes} bytes, at most ${NETNS_NAME_MAX_BYTES} allowed`, name);
  }
}
