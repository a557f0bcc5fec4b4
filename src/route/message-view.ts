/**
 * What the scanners of listings (address-scan.ts, route-scan.ts, neighbour-scan.ts) share. Their typed objects
 * are filled straight from their reply's bytes, and the full decoded `message` is made only
 * when read, from the datagram the reply arrived in: the datagram is kept (the transport hands
 * it over for good, see transport.ts), not copied, and no other object is kept per listed
 * object. The attributes are walked strictly: anything the generic decoder might read another
 * way makes a scanner give up, and its caller take the generic way.
 */
import { inspect } from 'node:util';
import { inPlaceReaderOf, type InPlaceReader } from '../netlink/codec-hints.js';
import { NLA_HDRLEN, NLA_TYPE_MASK } from '../netlink/constants.js';
import type { FieldCodec } from '../netlink/field.js';

/** A little-endian u32 in place (the scanners read their headers with it too). */
export { u32At } from '../netlink/message.js';

/** A codec's own in-place reader: the value the compiled decoder gives (undefined = odd). */
export function readerOf(codec: FieldCodec<any>): InPlaceReader {
  const read = inPlaceReaderOf(codec as FieldCodec<unknown>);
  if (!read) throw new Error(`codec ${codec.kind} has no in-place reader`);
  return read;
}

/** Highest attribute type a scanner handles, plus one: `seen` is a 32-bit mask. */
const TYPES_SEEN = 32;

/**
 * The type of the attribute at `pos` if it may be scanned: a whole header, no flag bits, a
 * length that fits before `end`, a type below 32 not in `seen` (the mask of types read so
 * far). Otherwise -1: the message takes the generic way.
 */
export function plainAttributeAt(b: Uint8Array, pos: number, end: number, seen: number): number {
  if (end - pos < NLA_HDRLEN) return -1;
  const len = b[pos]! | (b[pos + 1]! << 8);
  const rawType = b[pos + 2]! | (b[pos + 3]! << 8);
  const type = rawType & NLA_TYPE_MASK;
  if (rawType !== type || len < NLA_HDRLEN || pos + len > end || type >= TYPES_SEEN || (seen & (1 << type)) !== 0) return -1;
  return type;
}

/**
 * The plain view of a message body in its datagram, for the generic decoder when a view's
 * `message` is first read (never a Buffer's subarray: decoded byte values must be copies).
 */
export function bodyIn(datagram: Uint8Array, start: number, end: number): Uint8Array {
  return new Uint8Array(datagram.buffer, datagram.byteOffset + start, end - start);
}

/**
 * What a view shows as JSON and to util.inspect, as the plain object of the generic path: its
 * fields, then its message. The views (address-scan.ts, route-scan.ts, neighbour-scan.ts) are
 * standalone classes, each keeping its datagram, start and end in private fields of its own and
 * decoding its `message` itself: as subclasses of one base class a scanned route cost a quarter
 * more to make (11,003 routes, in-process A/B) — V8 constructs a derived class in steps it does
 * not take for a plain one. What they share without that cost is put on their prototypes
 * (showsAsPlainObject).
 */
export function viewJSON(view: object & { readonly message: unknown }): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(view)) if (value !== undefined) out[key] = value;
  out.message = view.message;
  return out;
}

/** Gives a view class `toJSON` and util.inspect's hook, both viewJSON (as methods would be: not enumerable). */
export function showsAsPlainObject(view: { prototype: object & { readonly message: unknown } }): void {
  function plain(this: object & { readonly message: unknown }): Record<string, unknown> {
    return viewJSON(this);
  }
  Object.defineProperty(view.prototype, 'toJSON', { value: plain, writable: true, configurable: true });
  Object.defineProperty(view.prototype, inspect.custom, { value: plain, writable: true, configurable: true });
}
