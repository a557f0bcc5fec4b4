/**
 * Flag fields that check their names before encoding: an unknown flag is a ValidationError
 * naming the attribute (fields.ts's flagsOf alone would throw a RangeError mid-encode).
 */
import type { FieldCodec } from '../../netlink/field.js';
import { flagsOf } from '../../netlink/fields.js';
import { directFlagsWriter, directWriterOf, withDirectWriter } from '../../netlink/direct-write.js';

/** `flagsOf(base, table)` plus validation of the flag names and numbers. */
export function checkedFlagsOf<const N extends string>(base: FieldCodec<number>, table: Record<N, number>): FieldCodec<Array<N | number>> {
  const codec = flagsOf(base, table);
  const checked: FieldCodec<Array<N | number>> = {
    ...codec,
    validate(v) {
      if (!Array.isArray(v)) return 'must be an array of flag names';
      const bad = v.find((f) => (typeof f === 'number' ? !Number.isInteger(f) || f < 0 || f > 0xffffffff : !Object.hasOwn(table, f)));
      return bad === undefined ? undefined : `unknown flag ${String(bad)} (known: ${Object.keys(table).join(', ')})`;
    },
  };
  return withDirectWriter(checked, () => {
    const direct = directWriterOf(base);
    return direct && directFlagsWriter(direct, table, true);
  });
}
