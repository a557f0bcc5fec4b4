import type { Writer } from './writer.js';

/**
 * How one attribute payload is written and read. Width and byte order belong to the codec
 * (`u32` vs `u32be`), never to a decoder mode. `at` is the payload's offset in the message,
 * for errors.
 */
export interface FieldCodec<T> {
  /** Short description used in errors and the trace, e.g. `u32be` or `nested(link)`. */
  readonly kind: string;
  /** Set NLA_F_NESTED when this attribute is written (unless a decoded layout says otherwise). */
  readonly nested?: boolean;
  /** Set NLA_F_NET_BYTEORDER when written. */
  readonly netByteOrder?: boolean;
  encode(w: Writer, value: T, path: string): void;
  decode(bytes: Uint8Array, at: number, path: string): T;
  /** Optional check of a value before encoding; returns an error text or undefined. */
  validate?(value: T): string | undefined;
  /** What values look like, for generators (property tests) and tooling. */
  readonly shape?: CodecShape;
}

/** A description of a codec's value space, derived from the same declarations. */
export type CodecShape =
  | { t: 'int'; min: number; max: number }
  | { t: 'bigint'; signed: boolean }
  | { t: 'flag' }
  | { t: 'bytes'; length?: number }
  | { t: 'string' }
  | { t: 'ip'; family?: 4 | 6 }
  | { t: 'lladdr' }
  | { t: 'enum'; values: Record<string, number>; base: CodecShape }
  | { t: 'flags'; values: Record<string, number>; base: CodecShape }
  | { t: 'set'; specs: Record<string, { type: number; codec: FieldCodec<unknown>; repeated?: boolean }> }
  | { t: 'struct'; fields: Record<string, unknown>; growable: boolean };

/** The value type a codec produces. */
export type CodecValue<C> = C extends FieldCodec<infer T> ? T : never;
