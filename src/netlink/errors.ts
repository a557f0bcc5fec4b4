/**
 * Every failure netns-ts reports is one of these classes, so callers can branch on
 * `instanceof` (or `error.name`) instead of parsing messages.
 */
import type { BatchOutcome } from './connection.js';

/** Base class of all netns-ts errors. */
export class NetnsError extends Error {
  override name = 'NetnsError';
}

/** Bad input, caught before anything was sent to the kernel. Nothing was changed. */
export class ValidationError extends NetnsError {
  override name = 'ValidationError';
  /** The input field at fault, e.g. `ifname` or `peer.netns`. */
  readonly field: string;
  readonly value: unknown;
  constructor(field: string, message: string, value?: unknown) {
    super(`${field}: ${message}`);
    this.field = field;
    this.value = value;
  }
}

/** Bytes that do not decode. `path` names the field, `offset` the byte where decoding failed. */
export class DecodeError extends NetnsError {
  override name = 'DecodeError';
  readonly path: string;
  readonly offset: number;
  readonly reason: string;
  constructor(path: string, offset: number, reason: string) {
    super(`${path || '<message>'} @${offset}: ${reason}`);
    this.path = path;
    this.offset = offset;
    this.reason = reason;
  }
}

/** A short description of the request a failure belongs to. */
export interface RequestSummary {
  /** Message type number and, when known, its name (e.g. `RTM_NEWLINK`). */
  type: number;
  typeName?: string;
  flags: number;
  seq: number;
}

/** The kernel rejected a request (NLMSG_ERROR with a negative errno). */
export class NetlinkError extends NetnsError {
  override name = 'NetlinkError';
  /** Positive errno, e.g. 17. */
  readonly errno: number;
  /** Errno name, e.g. `EEXIST`. */
  readonly code: string;
  /** The kernel's extended-ack message, when it gave one. */
  readonly extack?: string;
  /** Byte offset into the request that the kernel pointed at (NLMSGERR_ATTR_OFFS). */
  readonly offset?: number;
  /** The attribute at `offset`, as a path like `linkinfo.data.peer.ifname`. */
  readonly attribute?: string;
  /** Attribute type the kernel reported missing (NLMSGERR_ATTR_MISS_TYPE). */
  readonly missingType?: number;
  /** Path of the nest in which an attribute was missing (NLMSGERR_ATTR_MISS_NEST). */
  readonly missingIn?: string;
  /** What the kernel's policy expected of the attribute, e.g. `a string of at most 15 bytes`. */
  readonly expected?: string;
  readonly request: RequestSummary;
  constructor(init: {
    errno: number;
    code: string;
    description: string;
    request: RequestSummary;
    extack?: string;
    offset?: number;
    attribute?: string;
    missingType?: number;
    missingIn?: string;
    expected?: string;
  }) {
    const what = init.request.typeName ?? `type ${init.request.type}`;
    const why = init.extack ? `: ${init.extack}` : '';
    const detail = [init.attribute && `attribute ${init.attribute}`, init.expected && `expected ${init.expected}`].filter(Boolean).join(', ');
    super(`${what} failed: ${init.code} (${init.description})${why}${detail ? ` (${detail})` : ''}`);
    this.errno = init.errno;
    this.code = init.code;
    this.request = init.request;
    if (init.extack !== undefined) this.extack = init.extack;
    if (init.offset !== undefined) this.offset = init.offset;
    if (init.attribute !== undefined) this.attribute = init.attribute;
    if (init.missingType !== undefined) this.missingType = init.missingType;
    if (init.missingIn !== undefined) this.missingIn = init.missingIn;
    if (init.expected !== undefined) this.expected = init.expected;
  }
}

/** No reply arrived in time. For a write, the change may or may not have happened. */
export class TimeoutError extends NetnsError {
  override name = 'TimeoutError';
  readonly request: RequestSummary;
  readonly timeoutMs: number;
  constructor(request: RequestSummary, timeoutMs: number) {
    super(`${request.typeName ?? `type ${request.type}`} (seq ${request.seq}) got no reply within ${timeoutMs} ms`);
    this.request = request;
    this.timeoutMs = timeoutMs;
  }
}

/**
 * Replies were lost (the socket overran: ENOBUFS) while this request was in flight, so
 * whether the kernel applied it is unknown. Re-read the state before retrying a write.
 */
export class OutcomeUnknownError extends NetnsError {
  override name = 'OutcomeUnknownError';
  readonly request: RequestSummary;
  constructor(request: RequestSummary, cause: string) {
    super(`${request.typeName ?? `type ${request.type}`} (seq ${request.seq}): outcome unknown: ${cause}`);
    this.request = request;
  }
}

/**
 * Replies to a batch were lost (ENOBUFS) while it was read. `outcomes` holds, by message, what
 * did arrive — whatever was still queued was read — and `undefined` where nothing did: a
 * commit confirmation (the ack of a final message) or a failure may be among them.
 */
export class BatchOutcomeUnknownError extends OutcomeUnknownError {
  override name = 'BatchOutcomeUnknownError';
  readonly outcomes: ReadonlyArray<BatchOutcome | undefined>;
  constructor(request: RequestSummary, cause: string, outcomes: ReadonlyArray<BatchOutcome | undefined>) {
    super(request, cause);
    this.outcomes = outcomes;
  }
}

/**
 * A dump kept being interrupted by concurrent changes (NLM_F_DUMP_INTR) after every retry.
 * `partial` holds the last, possibly inconsistent, result.
 */
export class DumpInterruptedError<T = unknown> extends NetnsError {
  override name = 'DumpInterruptedError';
  readonly request: RequestSummary;
  readonly attempts: number;
  readonly partial: T[];
  constructor(request: RequestSummary, attempts: number, partial: T[]) {
    super(`${request.typeName ?? `type ${request.type}`} dump was interrupted by concurrent changes ${attempts} times`);
    this.request = request;
    this.attempts = attempts;
    this.partial = partial;
  }
}

/** The request was cancelled by its AbortSignal, or the connection was closed. */
export class AbortError extends NetnsError {
  override name = 'AbortError';
}
