/**
 * Strings that libnftnl sends without a terminating NUL (mnl_attr_put_str, e.g. the object name
 * of objref) while the kernel dumps the same attribute with one (nla_put_string). Both decode to
 * the same text; which form was on the wire is remembered per expression (see expression.ts).
 */
import type { FieldCodec } from '../../netlink/field.js';
import { cstring } from '../../netlink/fields.js';
import { encodeKernelText } from '../../netlink/text.js';

/** A string written without a NUL; reading stops at a NUL if there is one. */
export const unterminatedString: FieldCodec<string> = {
  ...cstring,
  kind: 'string(no NUL)',
  encode(w, v) {
    w.bytes(encodeKernelText(v));
  },
};

/** Each string codec and the one writing the other form. */
export const otherStringForm: ReadonlyMap<FieldCodec<unknown>, FieldCodec<unknown>> = new Map<FieldCodec<unknown>, FieldCodec<unknown>>([
  [cstring as FieldCodec<unknown>, unterminatedString as FieldCodec<unknown>],
  [unterminatedString as FieldCodec<unknown>, cstring as FieldCodec<unknown>],
]);

/** Whether a codec writes a terminating NUL (only meaningful for the two codecs above). */
export function writesNul(codec: FieldCodec<unknown>): boolean {
  return codec === (cstring as FieldCodec<unknown>);
}
