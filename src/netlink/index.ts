/**
 * The netlink core: framing, attributes, errors and the connection engine. Protocol families
 * (rtnetlink, nf_tables) build on these pieces.
 */
export * from './constants.js';
export * from './errors.js';
export * from './addresses.js';
export { Writer, align4, joinPath, type AttributeSpan } from './writer.js';
export type { FieldCodec, CodecValue, CodecShape } from './field.js';
export * from './fields.js';
export { decodeKernelText, encodeKernelText, escapeForDisplay, kernelTextByteLength } from './text.js';
export { decodeRawAttributes, encodeRawAttributes, writeRawAttributes, type RawAttribute } from './raw-attributes.js';
export { defineAttributeSet, lazy, forgetLayout, type AttributeSet, type AttributeSpec, type AttributeSpecs, type AttributeValues } from './attribute-set.js';
export { defineStruct, defineGrowableStruct, type StructCodec, type StructFixedValue, type StructGrowableValue } from './struct.js';
export { parseDatagram, encodeMessage, bodyWriter, nlmsghdr, type NetlinkMessage, type NlmsgHeader, type MessageHeaderInit } from './message.js';
export { decodeErrorBody, encodeErrorBody, decodeDoneBody, encodeDoneBody, extackAttributes, type ErrorBody, type DoneBody, type Extack } from './error-message.js';
export { policyAttributes, describePolicy, type AttributePolicy } from './policy.js';
export { attributeAt, netlinkErrorFrom } from './request-error.js';
export type { Transport, TransportHandler, TransportError } from './transport.js';
export { Connection, type OutgoingMessage, type RequestOptions, type DumpOptions, type StreamingDumpOptions, type BodyDumpOptions, type BatchOutcome, type ConnectionOptions, type ConnectionStats } from './connection.js';
export { EventStream, type ConnectionEvent } from './event-stream.js';
export { SocketTransport, type SocketOptions } from './socket-transport.js';
export { connect, type ConnectOptions } from './connect.js';
export * from './registry.js';
export { toJsonValue, fromJsonValue, type JsonValue } from './json.js';
