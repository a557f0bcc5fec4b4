/**
 * The common shape of rtnetlink messages: a fixed family header (ifaddrmsg, rtmsg, ndmsg,
 * rtgenmsg, netconfmsg …) followed, at the next 4-byte boundary, by an attribute set. One
 * declaration gives the typed value, the message codec for the registry, and the body encoder
 * the typed clients use. Decoding first tries the plan compiled from the same declarations
 * (../decode-plan.ts) and falls back to the generic decoders for anything unusual.
 */
import { type AttributeSet, type AttributeSpecs, type AttributeValues } from '../attribute-set.js';
import { DecodeError } from '../errors.js';
import type { MessageCodec } from '../registry.js';
import type { StructCodec } from '../struct.js';
import { align4, type Writer } from '../writer.js';
import { compileDecodePlan } from '../decode-plan.js';
import { compiledAfterUses } from '../tier-up.js';

/** A decoded rtnetlink message body: the family header and its attributes. */
export interface RouteMessage<H, A> {
  header: H;
  attributes: A;
}

export interface RouteMessageFamily<H, S extends AttributeSpecs> {
  readonly header: StructCodec<H>;
  readonly attributes: AttributeSet<S>;
  /** Decode a message body; `at` is the body's offset in the datagram (for errors). */
  decode(payload: Uint8Array, at: number): RouteMessage<H, AttributeValues<S>>;
  /**
   * Decode the body `bytes[start, end)` where it lies in its datagram `bytes` (`start` is its
   * offset, for errors): the same value as `decode`, without a view of the body made first.
   */
  decodeIn(bytes: Uint8Array, start: number, end: number): RouteMessage<H, AttributeValues<S>>;
  /** Write a message body. Attribute spans are recorded under their key paths. */
  encode(w: Writer, value: RouteMessage<H, AttributeValues<S>>): void;
  /** The registry codec for one message type of this family, named as the kernel names it. */
  codec(typeName: string): MessageCodec<RouteMessage<H, AttributeValues<S>>>;
}

/**
 * Declare a message family. The header struct decides the attribute offset: the kernel reads
 * attributes at NLMSG_ALIGN(sizeof(header)), so headers are declared with their padding.
 */
export function defineRouteMessage<H, const S extends AttributeSpecs>(
  header: StructCodec<H>,
  attributes: AttributeSet<S>,
): RouteMessageFamily<H, S> {
  const attributesAt = align4(header.size);
  // Compiled once the family has decoded a few messages (tier-up.ts).
  const fast = compiledAfterUses(() => compileDecodePlan(header, attributes, attributesAt));

  function decode(payload: Uint8Array, at: number): RouteMessage<H, AttributeValues<S>> {
    return fast()?.(payload) ?? decodeGeneric(payload, at);
  }

  function decodeIn(bytes: Uint8Array, start: number, end: number): RouteMessage<H, AttributeValues<S>> {
    return fast()?.(bytes, start, end) ?? decodeGeneric(bytes.subarray(start, end), start);
  }

  function decodeGeneric(payload: Uint8Array, at: number): RouteMessage<H, AttributeValues<S>> {
    if (payload.length < header.size) {
      throw new DecodeError(header.name, at, `message body of ${payload.length} bytes is shorter than struct ${header.name} (${header.size})`);
    }
    return {
      header: header.decodeAt(payload, at, header.name),
      attributes: attributes.decode(payload.subarray(attributesAt), at + attributesAt, ''),
    };
  }

  function encode(w: Writer, value: RouteMessage<H, AttributeValues<S>>): void {
    header.encode(w, value.header, header.name);
    w.pad();
    attributes.encode(w, value.attributes ?? {}, '');
  }

  return {
    header,
    attributes,
    decode,
    decodeIn,
    encode,
    codec: (name) => ({ name, decode: (payload, _flags, at) => decode(payload, at), encode: (w, value) => encode(w, value) }),
  };
}
