/**
 * What the scanners of listings (route-scan.ts, neighbour-scan.ts) share. Their typed objects
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

export abstract class MessageView<M> {
  /**
   * The datagram and where the message body is in it (its offset there is also the position
   * decode errors report). Kept as given: reading the datagram's `buffer` and `byteOffset` for
   * every view made a scanned route cost a fifth more (11,003 routes, in-process A/B).
   */
  readonly #datagram: Uint8Array;
  readonly #start: number;
  readonly #end: number;
  #message: M | undefined;

  /** The body is `bytes[start, end)`, `bytes` being its datagram (so `start` is its offset there). */
  protected constructor(bytes: Uint8Array, start: number, end: number) {
    this.#datagram = bytes;
    this.#start = start;
    this.#end = end;
  }

  /** The generic decoder of the message body. */
  protected abstract decodeMessage(body: Uint8Array, at: number): M;

  /** The whole message, decoded by the generic codec on first read (from a plain view, never a Buffer's subarray). */
  get message(): M {
    if (this.#message === undefined) {
      const d = this.#datagram;
      this.#message = this.decodeMessage(new Uint8Array(d.buffer, d.byteOffset + this.#start, this.#end - this.#start), this.#start);
    }
    return this.#message;
  }

  /** What the plain object of the generic path shows: the fields, then the message. */
  toJSON(): Record<string, unknown> {
    const out: Record<string, unknown> = {};
    for (const [key, value] of Object.entries(this)) if (value !== undefined) out[key] = value;
    out.message = this.message;
    return out;
  }

  [inspect.custom](): unknown {
    return this.toJSON();
  }
}
