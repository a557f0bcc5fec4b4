/**
 * nlmsghdr framing: splitting a datagram into messages and writing one message.
 */
import { Buffer } from 'node:buffer';
import { NLMSG_ALIGNTO, NLMSG_HDRLEN } from './constants.js';
import { DecodeError } from './errors.js';
import { defineStruct } from './struct.js';
import { Writer, type AttributeSpan } from './writer.js';
import type { OutgoingMessage } from './connection.js';

/** struct nlmsghdr */
export const nlmsghdr = defineStruct('nlmsghdr', {
  len: 'u32',
  type: 'u16',
  flags: 'u16',
  seq: 'u32',
  pid: 'u32',
});
export type NlmsgHeader = { len: number; type: number; flags: number; seq: number; pid: number };
/** Field offsets in struct nlmsghdr (len u32 at 0, type u16, flags u16, seq u32, pid u32). */
export const NLMSG_TYPE_OFFSET = 4;
export const NLMSG_FLAGS_OFFSET = 6;
export const NLMSG_SEQ_OFFSET = 8;
export const NLMSG_PID_OFFSET = 12;

/** One netlink message as framed on the wire. `payload` excludes the 16-byte header. */
export interface NetlinkMessage {
  type: number;
  flags: number;
  seq: number;
  /** nlmsg_pid: the port the message is addressed to or from. */
  pid: number;
  payload: Uint8Array;
  /** Offset of this message within its datagram (for error positions). */
  offset: number;
}

/** A message's length rounded up to where the next one starts. */
export const alignMessage = (n: number): number => (n + NLMSG_ALIGNTO - 1) & ~(NLMSG_ALIGNTO - 1);

/** A u32 in place, little-endian: nlmsghdr fields are in host order, read as parseDatagram reads them. */
export function u32At(b: Uint8Array, at: number): number {
  return (b[at]! | (b[at + 1]! << 8) | (b[at + 2]! << 16) | (b[at + 3]! << 24)) >>> 0;
}

/** `datagram` as a plain Uint8Array view: a Buffer's subarray() costs several times more, per attribute. */
export function plainView(datagram: Uint8Array): Uint8Array {
  return Buffer.isBuffer(datagram) ? new Uint8Array(datagram.buffer, datagram.byteOffset, datagram.byteLength) : datagram;
}

/** The message of `len` bytes at `pos` of `data` (checked by the caller). */
export function messageAt(data: Uint8Array, pos: number, len: number): NetlinkMessage {
  return {
    type: data[pos + NLMSG_TYPE_OFFSET]! | (data[pos + NLMSG_TYPE_OFFSET + 1]! << 8),
    flags: data[pos + NLMSG_FLAGS_OFFSET]! | (data[pos + NLMSG_FLAGS_OFFSET + 1]! << 8),
    seq: u32At(data, pos + NLMSG_SEQ_OFFSET),
    pid: u32At(data, pos + NLMSG_PID_OFFSET),
    payload: data.subarray(pos + NLMSG_HDRLEN, pos + len),
    offset: pos,
  };
}

/**
 * Split a datagram into messages. Any length that is too short or runs past the end is a
 * DecodeError: a truncated datagram is never parsed as if it were whole.
 */
export function parseDatagram(datagram: Uint8Array): NetlinkMessage[] {
  const data = plainView(datagram);
  const out: NetlinkMessage[] = [];
  let pos = 0;
  while (pos < data.length) {
    const left = data.length - pos;
    if (left < NLMSG_HDRLEN) throw new DecodeError(`message[${out.length}]`, pos, `${left} trailing bytes, too short for a header`);
    const len = u32At(data, pos);
    if (len < NLMSG_HDRLEN) throw new DecodeError(`message[${out.length}]`, pos, `nlmsg_len ${len} is shorter than the header`);
    if (len > left) throw new DecodeError(`message[${out.length}]`, pos, `nlmsg_len ${len} runs past the datagram (${left} bytes left)`);
    out.push(messageAt(data, pos, len));
    pos += alignMessage(len);
  }
  return out;
}

/**
 * Kernel quirk: netlink_rcv_skb() stops, silently, at a message whose nlmsg_len is shorter
 * than a header. iproute2 relies on that: `ip addr show` sends its 24-byte RTM_GETADDR in a
 * 152-byte datagram whose tail is zeros. This finds such an all-zero tail after at least one
 * message, so request captures decode (and re-encode byte for byte) instead of failing.
 * Returns the datagram without the tail, and the tail (empty when there is none).
 */
export function splitIgnoredZeroTail(data: Uint8Array): { messages: Uint8Array; tail: Uint8Array } {
  const view = new DataView(data.buffer, data.byteOffset, data.byteLength);
  let pos = 0;
  while (data.length - pos >= NLMSG_HDRLEN) {
    const len = view.getUint32(pos, true);
    if (len === 0 && pos > 0 && data.subarray(pos).every((b) => b === 0)) {
      return { messages: data.subarray(0, pos), tail: data.subarray(pos) };
    }
    if (len < NLMSG_HDRLEN || len > data.length - pos) break;
    pos += alignMessage(len);
  }
  return { messages: data, tail: data.subarray(data.length) };
}

export interface MessageHeaderInit {
  type: number;
  flags: number;
  seq: number;
  pid?: number;
}

/** Write one message: header, then `payload` (already aligned by its encoder). */
export function encodeMessage(header: MessageHeaderInit, payload: Uint8Array): Uint8Array {
  const w = new Writer(NLMSG_HDRLEN + payload.length);
  w.u32(NLMSG_HDRLEN + payload.length);
  w.u16(header.type);
  w.u16(header.flags);
  w.u32(header.seq >>> 0);
  w.u32((header.pid ?? 0) >>> 0);
  w.bytes(payload);
  w.pad();
  return w.finish();
}

/** Bytes of a datagram of messages with these payload lengths, each with its header and padding. */
export function framedSize(payloadLengths: readonly number[]): number {
  let size = 0;
  for (const n of payloadLengths) size += alignMessage(NLMSG_HDRLEN + n);
  return size;
}

/**
 * Write one message (nlmsghdr, payload) at `at` of a datagram being assembled (`view` over the
 * same bytes); returns where the next one starts. Padding is left as it is: zero in a fresh
 * buffer.
 */
/** Write the nlmsghdr of a message with a payload of `payloadLength` bytes at `at`. */
export function writeHeaderAt(view: DataView, at: number, header: MessageHeaderInit, payloadLength: number): void {
  view.setUint32(at, NLMSG_HDRLEN + payloadLength, true);
  view.setUint16(at + NLMSG_TYPE_OFFSET, header.type, true);
  view.setUint16(at + NLMSG_FLAGS_OFFSET, header.flags, true);
  view.setUint32(at + NLMSG_SEQ_OFFSET, header.seq >>> 0, true);
  view.setUint32(at + NLMSG_PID_OFFSET, (header.pid ?? 0) >>> 0, true);
}

export function writeMessageAt(view: DataView, datagram: Uint8Array, at: number, header: MessageHeaderInit, payload: Uint8Array): number {
  writeHeaderAt(view, at, header, payload.length);
  datagram.set(payload, at + NLMSG_HDRLEN);
  return at + alignMessage(NLMSG_HDRLEN + payload.length);
}

/** Start a message body writer whose spans are relative to the future nlmsghdr. */
export function bodyWriter(initialSize = 256): Writer {
  return new Writer(initialSize, NLMSG_HDRLEN);
}

/**
 * A message to send with what body writer `w` holds: the payload is a view of the writer's
 * bytes (which is not written again), and the spans are made only if an error needs them.
 */
export function outgoingOf(w: Writer, type: number, flags: number, typeName?: string): OutgoingMessage {
  return new WrittenMessage(w, type, flags, typeName);
}

/** outgoingOf's message: a class, so its `spans` getter is the prototype's, not a closure made per request. */
class WrittenMessage implements OutgoingMessage {
  readonly payload: Uint8Array;
  constructor(
    private readonly writer: Writer,
    readonly type: number,
    readonly flags: number,
    readonly typeName: string | undefined,
  ) {
    this.payload = writer.finish();
  }

  get spans(): AttributeSpan[] {
    return this.writer.spans;
  }
}
