/**
 * What callers hand connect() and a Connection, checked before a socket is opened (or a
 * namespace made for it): a wrong value is a ValidationError naming the option, not a
 * TypeError from the binding, an EINVAL from setsockopt, or a timer Node clamps to 1 ms (a
 * timeout past 2^31 − 1 ms, Infinity included, would fail every request at once).
 */
import { ValidationError } from './errors.js';
import type { ConnectionOptions } from './request-options.js';
import type { SocketOptions } from './socket-transport.js';

/** The longest timeout a timer can wait (Node's setTimeout limit), about 24.8 days. */
export const MAX_TIMEOUT_MS = 2 ** 31 - 1;
/** Netlink protocols are 0–31 (MAX_LINKS in the kernel). */
const MAX_PROTOCOL = 31;

const isInteger = (v: unknown, min: number, max: number): boolean => typeof v === 'number' && Number.isInteger(v) && v >= min && v <= max;

function integer(name: string, v: unknown, min: number, max: number): void {
  if (v !== undefined && !isInteger(v, min, max)) throw new ValidationError(name, `must be an integer from ${min} to ${max}`, v);
}

function boolean(name: string, v: unknown): void {
  if (v !== undefined && typeof v !== 'boolean') throw new ValidationError(name, 'must be a boolean', v);
}

function callback(name: string, v: unknown): void {
  if (v !== undefined && typeof v !== 'function') throw new ValidationError(name, 'must be a function', v);
}

/** A request's or a connection's timeout: milliseconds, at least 1, at most MAX_TIMEOUT_MS. */
export function checkTimeout(v: unknown, name = 'timeoutMs'): void {
  if (v !== undefined && !(typeof v === 'number' && v >= 1 && v <= MAX_TIMEOUT_MS)) {
    throw new ValidationError(name, `must be a number of milliseconds from 1 to ${MAX_TIMEOUT_MS}`, v);
  }
}

export function checkConnectionOptions(o: ConnectionOptions): void {
  if (o === null || typeof o !== 'object') throw new ValidationError('options', 'must be an object', o);
  checkTimeout(o.timeoutMs);
  integer('maxInFlight', o.maxInFlight, 1, 2 ** 31 - 1);
  integer('dumpRetries', o.dumpRetries, 0, 2 ** 31 - 1);
  callback('describeType', o.describeType);
  callback('trace', o.trace);
}

export function checkSocketOptions(o: Partial<SocketOptions>): void {
  if (o === null || typeof o !== 'object') throw new ValidationError('options', 'must be an object', o);
  integer('protocol', o.protocol, 0, MAX_PROTOCOL);
  integer('netnsFd', o.netnsFd, 0, 2 ** 31 - 1);
  integer('receiveBuffer', o.receiveBuffer, 1, 2 ** 31 - 1);
  integer('sendBuffer', o.sendBuffer, 1, 2 ** 31 - 1);
  if (o.groups !== undefined) {
    if (!Array.isArray(o.groups)) throw new ValidationError('groups', 'must be an array of group numbers', o.groups);
    o.groups.forEach((g, i) => integer(`groups[${i}]`, g, 1, 0xffffffff));
  }
  boolean('extendedAck', o.extendedAck);
  boolean('strictCheck', o.strictCheck);
  boolean('capAck', o.capAck);
  boolean('noEnobufs', o.noEnobufs);
  boolean('readAhead', o.readAhead);
}
