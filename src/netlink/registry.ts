/**
 * Message codecs by protocol and type, so any datagram can be decoded to a typed value (and
 * encoded back) without knowing in advance what it holds: used by fixtures, the CLI's
 * `decode` and `--trace`. Families register their message types; types nobody registered
 * decode to their raw payload, which encodes back byte for byte.
 */
import { NLMSG_HDRLEN, NlmsgType } from './constants.js';
import { decodeDoneBody, decodeErrorBody, encodeDoneBody, encodeErrorBody, type DoneBody, type ErrorBody } from './error-message.js';
import { NLMSG_FLAGS_OFFSET, NLMSG_PID_OFFSET, NLMSG_SEQ_OFFSET, NLMSG_TYPE_OFFSET, parseDatagram, splitIgnoredZeroTail, type NetlinkMessage } from './message.js';
import { Writer } from './writer.js';

/** How one message type's body (everything after nlmsghdr) is decoded and encoded. */
export interface MessageCodec<V = unknown> {
  /** The kernel's name, e.g. `RTM_NEWLINK`. */
  name: string;
  decode(payload: Uint8Array, flags: number, at: number): V;
  encode(w: Writer, value: V, flags: number): void;
}

export interface ProtocolCodec {
  /** Short name used in fixtures and the CLI: `route`, `netfilter`. */
  name: string;
  /** Netlink protocol number. */
  protocol: number;
  /** The codec for a family message type (types < NLMSG_MIN_TYPE are handled here). */
  messageCodec(type: number): MessageCodec | undefined;
}

export interface DecodedMessage {
  type: number;
  typeName?: string;
  flags: number;
  seq: number;
  pid: number;
  /** The typed body, or `{ raw }` when no codec is known. */
  body: unknown;
  /** Zero bytes after the last message of a datagram, which the kernel ignores (see splitIgnoredZeroTail). */
  ignoredTail?: Uint8Array;
}

const raw: MessageCodec<{ raw: Uint8Array }> = {
  name: 'raw',
  decode: (payload) => ({ raw: payload.slice() }),
  encode: (w, v) => w.bytes(v.raw),
};

const noop: MessageCodec<{ raw: Uint8Array }> = { ...raw, name: 'NLMSG_NOOP' };
const overrun: MessageCodec<{ raw: Uint8Array }> = { ...raw, name: 'NLMSG_OVERRUN' };
const error: MessageCodec<ErrorBody> = {
  name: 'NLMSG_ERROR',
  decode: (payload, flags, at) => decodeErrorBody(payload, flags, at),
  encode: (w, v, flags) => encodeErrorBody(w, v, flags),
};
const done: MessageCodec<DoneBody> = {
  name: 'NLMSG_DONE',
  decode: (payload, flags, at) => decodeDoneBody(payload, flags, at),
  encode: (w, v) => encodeDoneBody(w, v),
};

/** Control messages, common to every protocol. */
export const controlCodecs: ReadonlyMap<number, MessageCodec> = new Map<number, MessageCodec>([
  [NlmsgType.NLMSG_NOOP, noop as MessageCodec],
  [NlmsgType.NLMSG_ERROR, error as MessageCodec],
  [NlmsgType.NLMSG_DONE, done as MessageCodec],
  [NlmsgType.NLMSG_OVERRUN, overrun as MessageCodec],
]);

const protocols = new Map<string, ProtocolCodec>();

/** Make a protocol's codecs known to decodeMessage and friends. */
export function registerProtocol(codec: ProtocolCodec): void {
  protocols.set(codec.name, codec);
}

export function protocolCodec(name: string): ProtocolCodec | undefined {
  return protocols.get(name);
}

export function registeredProtocols(): ProtocolCodec[] {
  return [...protocols.values()];
}

function codecFor(protocol: string | undefined, type: number): MessageCodec {
  return controlCodecs.get(type) ?? (protocol ? protocols.get(protocol)?.messageCodec(type) : undefined) ?? raw;
}

export function messageTypeName(protocol: string | undefined, type: number): string | undefined {
  const c = codecFor(protocol, type);
  return c === raw ? undefined : c.name;
}

export function decodeMessage(protocol: string | undefined, m: NetlinkMessage): DecodedMessage {
  const codec = codecFor(protocol, m.type);
  const body = codec.decode(m.payload, m.flags, m.offset + NLMSG_HDRLEN);
  if (codec === raw) return { type: m.type, flags: m.flags, seq: m.seq, pid: m.pid, body };
  return { type: m.type, typeName: codec.name, flags: m.flags, seq: m.seq, pid: m.pid, body };
}

/** Decode every message of a datagram. Throws DecodeError on anything malformed. */
export function decodeDatagram(protocol: string | undefined, data: Uint8Array): DecodedMessage[] {
  const { messages, tail } = splitIgnoredZeroTail(data);
  const out = parseDatagram(messages).map((m) => decodeMessage(protocol, m));
  if (tail.length > 0) out[out.length - 1]!.ignoredTail = tail.slice();
  return out;
}

/** Bytes per message to start the datagram buffer with (it grows as needed). */
const MESSAGE_BYTES_GUESS = 512;

/** Write one message (header, body, padding) at the end of `w`. */
function writeDecodedMessage(w: Writer, protocol: string | undefined, m: DecodedMessage): void {
  const start = w.length;
  w.zeros(NLMSG_HDRLEN);
  codecFor(protocol, m.type).encode(w, m.body as never, m.flags);
  const len = w.length - start;
  w.pad();
  w.patchU32(start, len);
  w.patchU16(start + NLMSG_TYPE_OFFSET, m.type);
  w.patchU16(start + NLMSG_FLAGS_OFFSET, m.flags);
  w.patchU32(start + NLMSG_SEQ_OFFSET, m.seq >>> 0);
  w.patchU32(start + NLMSG_PID_OFFSET, (m.pid ?? 0) >>> 0);
}

export function encodeDecodedMessage(protocol: string | undefined, m: DecodedMessage): Uint8Array {
  const w = new Writer(MESSAGE_BYTES_GUESS, 0, { spans: false });
  writeDecodedMessage(w, protocol, m);
  return w.finish().slice();
}

/** Encode messages into one datagram: one buffer for all of them (no copy per message). */
export function encodeDecodedDatagram(protocol: string | undefined, messages: readonly DecodedMessage[]): Uint8Array {
  const w = new Writer(Math.max(1, messages.length) * MESSAGE_BYTES_GUESS, 0, { spans: false });
  for (const m of messages) {
    writeDecodedMessage(w, protocol, m);
    if (m.ignoredTail) w.bytes(m.ignoredTail);
  }
  return w.finish().slice();
}
