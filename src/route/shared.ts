/**
 * Small pieces the typed rtnetlink clients share: address families by name, name ↔ number
 * tables, integer range checks that fail as ValidationError naming the field, and turning a
 * message family value into an OutgoingMessage (with spans, so kernel errors name attributes).
 */
import type { Connection, OutgoingMessage, RequestOptions } from '../netlink/connection.js';
import { dumpDecoded } from '../netlink/dump-decoded.js';
import { ValidationError } from '../netlink/errors.js';
import { bodyWriter, outgoingOf } from '../netlink/message.js';
import { NLMSG_HDRLEN } from '../netlink/constants.js';
import type { NetlinkMessage } from '../netlink/message.js';
import { AddressFamily } from '../netlink/route/constants.js';
import type { RouteMessage, RouteMessageFamily } from '../netlink/route/route-message-codec.js';
import type { AttributeSpecs, AttributeValues } from '../netlink/attribute-set.js';
import type { IpFamily } from '../netlink/addresses.js';

/** IP address families by the names `ip -j` prints. */
export type Family = 'inet' | 'inet6';
/** A family given by name or IP version. */
export type FamilyInput = Family | IpFamily;

export const U32_MAX = 0xffffffff;

/** AF_INET / AF_INET6 for a family input; throws ValidationError naming `field`. */
export function familyNumber(family: FamilyInput, field = 'family'): number {
  if (family === 'inet' || family === 4) return AddressFamily.AF_INET;
  if (family === 'inet6' || family === 6) return AddressFamily.AF_INET6;
  throw new ValidationError(field, "must be 'inet', 'inet6', 4 or 6", family);
}

/** IP version of a family input. */
export function ipVersion(family: FamilyInput, field = 'family'): IpFamily {
  return familyNumber(family, field) === AddressFamily.AF_INET ? 4 : 6;
}

/** 'inet' / 'inet6' for AF_INET / AF_INET6, else the number. */
export function familyName(af: number): Family | number {
  if (af === AddressFamily.AF_INET) return 'inet';
  if (af === AddressFamily.AF_INET6) return 'inet6';
  return af;
}

/** AF number of an IP version. */
export function afOf(version: IpFamily): number {
  return version === 4 ? AddressFamily.AF_INET : AddressFamily.AF_INET6;
}

/** Whether a header family is one the typed clients model (IPv4 or IPv6). */
export function isIpFamily(af: number): boolean {
  return af === AddressFamily.AF_INET || af === AddressFamily.AF_INET6;
}

/**
 * Names by number of a one-byte header field (route type, protocol, scope): an array of 256,
 * read faster than a Map — a scanned route reads three (11,003 routes scanned a fifth faster,
 * in-process A/B).
 */
export type ByteNames<N extends string> = ReadonlyArray<N | undefined>;
const BYTE_VALUES = 256;

/** A name → number table's reverse (the first name of a number wins), built once per table. */
export function namesOf<N extends string>(table: Readonly<Record<N, number>>): ByteNames<N> {
  const out = new Array<N | undefined>(BYTE_VALUES).fill(undefined);
  for (const [name, value] of Object.entries(table) as [N, number][]) {
    if (!Number.isInteger(value) || value < 0 || value >= BYTE_VALUES) throw new RangeError(`namesOf: ${name} = ${value} is not a one-byte value`);
    if (out[value] === undefined) out[value] = name;
  }
  return out;
}

/** The name of `value` in a reverse table, or the number itself when it has none. */
export function nameOr<N extends string>(names: ByteNames<N>, value: number): N | number {
  return names[value] ?? value;
}

/** An integer in [min, max]; throws ValidationError naming `field`. */
export function checkInteger(value: unknown, field: string, min: number, max: number): number {
  if (typeof value !== 'number' || !Number.isInteger(value) || value < min || value > max) {
    throw new ValidationError(field, `must be an integer from ${min} to ${max}`, value);
  }
  return value;
}

/** A name from `table` or a number in [min, max]; throws ValidationError naming `field`. */
export function nameToNumber<N extends string>(table: Readonly<Record<N, number>>, value: unknown, field: string, max: number): number {
  if (typeof value === 'number') return checkInteger(value, field, 0, max);
  if (typeof value === 'string' && Object.hasOwn(table, value)) return table[value as N];
  throw new ValidationError(field, `must be one of ${Object.keys(table).join(', ')} or a number from 0 to ${max}`, value);
}

/** Names from `table` (or bit values) OR-ed together; throws ValidationError naming `field`. */
export function flagNamesToNumber<N extends string>(table: Readonly<Record<N, number>>, names: unknown, field: string, allowed?: readonly N[]): number {
  if (!Array.isArray(names)) throw new ValidationError(field, `must be an array of ${Object.keys(table).join(', ')}`, names);
  let bits = 0;
  for (const name of names) {
    const ok = typeof name === 'string' && Object.hasOwn(table, name) && (!allowed || allowed.includes(name as N));
    if (!ok) throw new ValidationError(field, `unknown flag ${JSON.stringify(name)} (one of ${(allowed ?? Object.keys(table)).join(', ')})`, names);
    bits |= table[name as N];
  }
  return bits >>> 0;
}

/** Encode one message of a family into an OutgoingMessage, recording attribute spans. */
export function outgoing<H, S extends AttributeSpecs>(
  family: RouteMessageFamily<H, S>,
  type: number,
  typeName: string,
  flags: number,
  value: RouteMessage<H, AttributeValues<S>>,
): OutgoingMessage {
  const w = bodyWriter();
  family.encode(w, value);
  return outgoingOf(w, type, flags, typeName);
}

/**
 * A dump's replies of `type` turned into typed objects by `decode` (which may drop one by
 * returning undefined), read where they lie once the dump has ended (dumpDecoded). Replies of
 * address families the typed clients do not model are skipped, so an MPLS or bridge entry never
 * fails a listing.
 */
export function dumpIpMessages<T>(
  conn: Connection,
  request: OutgoingMessage,
  options: RequestOptions | undefined,
  type: number,
  decode: (bytes: Uint8Array, start: number, end: number) => T | undefined,
): Promise<T[]> {
  return dumpDecoded(conn, request, options, type, (bytes, start, end) => (end > start && isIpFamily(bytes[start]!) ? decode(bytes, start, end) : undefined));
}

/**
 * A listing's typed objects made by a scanner (route-scan.ts, neighbour-scan.ts) from its
 * dump's replies (dumpIpMessages). `scan` gives the typed object, null to drop the reply, or
 * undefined to leave it to the decoder and `convert` (which may drop it by returning undefined).
 */
export async function scanIpMessages<H, S extends AttributeSpecs, T>(
  conn: Connection,
  request: OutgoingMessage,
  options: RequestOptions | undefined,
  family: RouteMessageFamily<H, S>,
  type: number,
  scan: (bytes: Uint8Array, start: number, end: number) => T | null | undefined,
  convert: (m: RouteMessage<H, AttributeValues<S>>) => T | undefined,
): Promise<T[]> {
  return dumpIpMessages(conn, request, options, type, (bytes, start, end) => {
    const scanned = scan(bytes, start, end);
    if (scanned !== undefined) return scanned ?? undefined;
    return convert(family.decodeIn(bytes, start, end));
  });
}

/**
 * Decode the messages of one type from a reply, in order; other types are skipped, and so are
 * messages of address families the typed clients do not model (the family is the first byte of
 * every rtnetlink header), so an MPLS or bridge entry in a dump never fails the whole listing.
 */
export function decodeIpMessages<H, S extends AttributeSpecs>(
  family: RouteMessageFamily<H, S>,
  type: number,
  messages: readonly NetlinkMessage[],
): RouteMessage<H, AttributeValues<S>>[] {
  const out: RouteMessage<H, AttributeValues<S>>[] = [];
  for (const m of messages) {
    if (m.type === type && isIpFamily(m.payload[0] ?? AddressFamily.AF_UNSPEC)) out.push(family.decode(m.payload, m.offset + NLMSG_HDRLEN));
  }
  return out;
}
