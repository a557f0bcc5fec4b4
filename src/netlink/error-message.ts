/**
 * The body of NLMSG_ERROR (an ack when error is 0) and NLMSG_DONE, with extended-ack TLVs.
 *
 * Kernel layout (net/netlink/af_netlink.c, netlink_ack): s32 error, then the request's
 * nlmsghdr, then — unless the ack is capped (NLM_F_CAPPED, or always for a 0 ack) — the rest of
 * the request, then extack TLVs when NLM_F_ACK_TLVS is set. NLMSGERR_ATTR_OFFS counts from the
 * start of the request's nlmsghdr.
 */
import { NLMSG_HDRLEN, NlmFlags } from './constants.js';
import { defineAttributeSet, type AttributeValues } from './attribute-set.js';
import { binary, cstring, u32 } from './fields.js';
import { policyAttributes } from './policy.js';
import { DecodeError } from './errors.js';
import { nlmsghdr, type NlmsgHeader } from './message.js';
import type { Writer } from './writer.js';

/** enum nlmsgerr_attrs */
export const extackAttributes = defineAttributeSet('extack', {
  message: { type: 1, codec: cstring }, // NLMSGERR_ATTR_MSG
  offset: { type: 2, codec: u32 }, // NLMSGERR_ATTR_OFFS
  cookie: { type: 3, codec: binary }, // NLMSGERR_ATTR_COOKIE
  policy: { type: 4, codec: policyAttributes }, // NLMSGERR_ATTR_POLICY
  missingType: { type: 5, codec: u32 }, // NLMSGERR_ATTR_MISS_TYPE
  missingNest: { type: 6, codec: u32 }, // NLMSGERR_ATTR_MISS_NEST
});
export type Extack = AttributeValues<typeof extackAttributes.specs>;

export interface ErrorBody {
  /** As on the wire: 0 for an ack, a negative errno for a failure. */
  error: number;
  /** Header of the request this answers. */
  request: NlmsgHeader;
  /** The request's payload, when the kernel echoed it (uncapped acks). */
  requestPayload?: Uint8Array;
  extack?: Extack;
}

const align4 = (n: number): number => (n + 3) & ~3;

export function decodeErrorBody(payload: Uint8Array, flags: number, at = NLMSG_HDRLEN): ErrorBody {
  if (payload.length < 4 + NLMSG_HDRLEN) throw new DecodeError('error', at, `want at least ${4 + NLMSG_HDRLEN} bytes, got ${payload.length}`);
  const error = new DataView(payload.buffer, payload.byteOffset, 4).getInt32(0, true);
  const request = nlmsghdr.decodeAt(payload.subarray(4), at + 4, 'error.request') as NlmsgHeader;
  const body: ErrorBody = { error, request };
  let pos = 4 + NLMSG_HDRLEN;
  if (!(flags & NlmFlags.NLM_F_CAPPED)) {
    const echoed = Math.max(0, request.len - NLMSG_HDRLEN);
    if (pos + echoed > payload.length) throw new DecodeError('error.requestPayload', at + pos, `echoed request of ${echoed} bytes runs past the message`);
    if (echoed > 0 || request.len > NLMSG_HDRLEN) body.requestPayload = payload.slice(pos, pos + echoed);
    pos = align4(pos + echoed);
  }
  if (flags & NlmFlags.NLM_F_ACK_TLVS && pos < payload.length) {
    body.extack = extackAttributes.decode(payload.subarray(pos), at + pos, 'extack');
  } else if (pos < payload.length) {
    throw new DecodeError('error', at + pos, `${payload.length - pos} unexpected trailing bytes without NLM_F_ACK_TLVS`);
  }
  return body;
}

export function encodeErrorBody(w: Writer, body: ErrorBody, flags: number): void {
  w.s32(body.error);
  nlmsghdr.encode(w, body.request, 'error.request');
  if (!(flags & NlmFlags.NLM_F_CAPPED) && body.requestPayload) {
    w.bytes(body.requestPayload);
    w.pad();
  }
  if (body.extack) extackAttributes.encode(w, body.extack, 'extack');
}

/** NLMSG_DONE body: an int (0, or the dump's negative errno), then optional extack TLVs. */
export interface DoneBody {
  /** Absent when the kernel sent DONE with an empty payload. */
  error?: number;
  extack?: Extack;
}

export function decodeDoneBody(payload: Uint8Array, flags: number, at = NLMSG_HDRLEN): DoneBody {
  // Some families (older nfnetlink paths) send DONE with no payload at all.
  if (payload.length === 0) return {};
  if (payload.length < 4) throw new DecodeError('done', at, `want 4 bytes, got ${payload.length}`);
  const body: DoneBody = { error: new DataView(payload.buffer, payload.byteOffset, 4).getInt32(0, true) };
  if (payload.length > 4) {
    if (!(flags & NlmFlags.NLM_F_ACK_TLVS)) throw new DecodeError('done', at + 4, `${payload.length - 4} unexpected trailing bytes`);
    body.extack = extackAttributes.decode(payload.subarray(4), at + 4, 'extack');
  }
  return body;
}

export function encodeDoneBody(w: Writer, body: DoneBody): void {
  if (body.error === undefined) return;
  w.s32(body.error);
  if (body.extack) extackAttributes.encode(w, body.extack, 'extack');
}
