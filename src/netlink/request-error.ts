/**
 * Turning an NLMSG_ERROR into a NetlinkError that names what failed: the errno, the kernel's
 * extended-ack message, and the attribute the kernel pointed at, as a path recovered from the
 * spans the encoder recorded while writing the request.
 */
import { describeErrno } from './constants.js';
import type { ErrorBody, DoneBody } from './error-message.js';
import { NetlinkError, type RequestSummary } from './errors.js';
import { describePolicy } from './policy.js';
import type { AttributeSpan } from './writer.js';

/** The attribute whose header starts at `offset`, else the innermost one containing it. */
export function attributeAt(spans: readonly AttributeSpan[] | undefined, offset: number | undefined): string | undefined {
  if (!spans || offset === undefined) return undefined;
  let best: AttributeSpan | undefined;
  for (const s of spans) {
    if (s.start === offset) return s.path;
    if (s.start <= offset && offset < s.end && (!best || s.end - s.start < best.end - best.start)) best = s;
  }
  return best?.path;
}

export function netlinkErrorFrom(body: ErrorBody | DoneBody, request: RequestSummary, spans?: readonly AttributeSpan[]): NetlinkError {
  const errno = Math.abs(body.error ?? 0);
  const { code, description } = describeErrno(errno);
  const ext = body.extack;
  const offset = ext?.offset;
  const attribute = attributeAt(spans, offset);
  const missingIn = attributeAt(spans, ext?.missingNest);
  return new NetlinkError({
    errno,
    code,
    description,
    request,
    ...(ext?.message !== undefined ? { extack: ext.message } : {}),
    ...(offset !== undefined ? { offset } : {}),
    ...(attribute !== undefined ? { attribute } : {}),
    ...(ext?.missingType !== undefined ? { missingType: ext.missingType } : {}),
    ...(missingIn !== undefined ? { missingIn } : {}),
    ...(ext?.policy !== undefined ? { expected: describePolicy(ext.policy) } : {}),
  });
}
