/**
 * sysctls of a network namespace. /proc/sys/net shows the namespace of the thread that opens
 * the file, so the binding opens it on a helper thread inside the target namespace.
 */
import { native } from '../native/binding.js';
import { ValidationError } from '../netlink/errors.js';
import { openNetns, type NetnsRef } from './handle.js';
import { withContext } from './system-error.js';

const MAX_KEY_LENGTH = 4096;
const SLASH_SEGMENT = /^[A-Za-z0-9_.-]+$/;
const DOTTED_SEGMENT = /^[A-Za-z0-9_-]+$/;

/**
 * Maps a sysctl key to its file: `net.ipv4.ip_forward` (dotted, as `sysctl` prints it) or
 * `net/ipv4/ip_forward` (slash form) → `/proc/sys/net/ipv4/ip_forward`.
 *
 * In the dotted form every `.` separates levels, so a level that itself contains a dot (an
 * interface such as `eth0.100` in `net.ipv4.conf.eth0.100.forwarding`) cannot be expressed:
 * use the slash form, `net/ipv4/conf/eth0.100/forwarding`, where dots are literal.
 * @throws ValidationError unless every level is non-empty and made of `[A-Za-z0-9_.-]`
 *   (no `.` or `..` level).
 */
export function sysctlPath(key: string): string {
  if (typeof key !== 'string' || key.length === 0 || key.length > MAX_KEY_LENGTH) {
    throw new ValidationError('sysctl.key', `must be a non-empty string of at most ${MAX_KEY_LENGTH} characters`, key);
  }
  const slashForm = key.includes('/');
  const segments = slashForm ? key.replace(/^\/+/, '').split('/') : key.split('.');
  const pattern = slashForm ? SLASH_SEGMENT : DOTTED_SEGMENT;
  for (const segment of segments) {
    if (!pattern.test(segment) || segment === '.' || segment === '..') {
      throw new ValidationError('sysctl.key', `bad level "${segment}" (allowed: letters, digits, "_", "-"${slashForm ? ', "."' : ''})`, key);
    }
  }
  return `/proc/sys/${segments.join('/')}`;
}

function checkValue(value: string | number | bigint): string {
  if (typeof value !== 'string' && typeof value !== 'number' && typeof value !== 'bigint') {
    throw new ValidationError('sysctl.value', 'must be a string, number or bigint', value);
  }
  const text = String(value);
  if (text.includes('\0')) throw new ValidationError('sysctl.value', 'must not contain NUL', value);
  return text;
}

/** Runs `fn` with the fd of `ref` (-1 for this process's own namespace), closing what it opened. */
function withNetnsFd<T>(ref: NetnsRef | undefined, fn: (fd: number) => T): T {
  if (ref === undefined) return fn(-1);
  const handle = openNetns(ref);
  try {
    return fn(handle.fd);
  } finally {
    handle.close();
  }
}

/**
 * Writes a sysctl inside namespace `ref` (`undefined`: this process's namespace), in one
 * write, like `ip netns exec NS sysctl -w key=value` without a process.
 * @throws ValidationError for a bad key or value; an error with `code` such as `ENOENT` (no such
 *   key in that namespace) or `EINVAL` (value refused by the kernel).
 */
export function sysctlWrite(ref: NetnsRef | undefined, key: string, value: string | number | bigint): void {
  const path = sysctlPath(key);
  const text = checkValue(value);
  withNetnsFd(ref, (fd) => {
    try {
      native.sysctlWrite(fd, path, text);
    } catch (err) {
      throw withContext(err, `sysctl ${key}=${text}`, path);
    }
  });
}

/**
 * Reads a sysctl inside namespace `ref` (`undefined`: this process's namespace). The value is
 * returned as the kernel prints it, without its final newline (`"1"`, `"4096\t131072\t6291456"`).
 */
export function sysctlRead(ref: NetnsRef | undefined, key: string): string {
  const path = sysctlPath(key);
  return withNetnsFd(ref, (fd) => {
    try {
      return native.sysctlRead(fd, path).replace(/\n$/, '');
    } catch (err) {
      throw withContext(err, `sysctl ${key}`, path);
    }
  });
}
