/**
 * An attribute set with one attribute of every codec kind the core has (integers, strings,
 * flags, bytes, addresses, enums, bit sets, a nest that contains itself, repeated attributes,
 * fixed and growable structs), for the core's property tests; and a byte mutator for
 * "arbitrary bytes only ever give a value or a DecodeError" properties.
 */
import fc from 'fast-check';
import { defineAttributeSet, lazy } from '../../src/netlink/attribute-set.js';
import type { FieldCodec } from '../../src/netlink/field.js';
import { binary, cstring, enumOf, flag, flagsOf, ipAddress, linkAddress, s32, u16, u16be, u32, u32be, u64, u8 } from '../../src/netlink/fields.js';
import { defineGrowableStruct, defineStruct } from '../../src/netlink/struct.js';

/** A nest holding itself (through `lazy`), as linkinfo and nf_tables expressions do. */
export const inner = defineAttributeSet('inner', {
  name: { type: 1, codec: cstring },
  port: { type: 2, codec: u16be },
  addr: { type: 3, codec: ipAddress },
  self: { type: 4, codec: lazy((): FieldCodec<unknown> => inner as FieldCodec<unknown>) },
});

/** The specs of the sample set (tests add their own attributes after them). */
export const sampleSpecs = {
  a8: { type: 1, codec: u8 },
  a16: { type: 2, codec: u16 },
  a32: { type: 3, codec: u32 },
  b32: { type: 4, codec: u32be },
  s: { type: 5, codec: s32 },
  big: { type: 6, codec: u64 },
  str: { type: 7, codec: cstring },
  yes: { type: 8, codec: flag },
  blob: { type: 9, codec: binary },
  mac: { type: 10, codec: linkAddress },
  mode: { type: 11, codec: enumOf(u32, { one: 1, two: 2 }) },
  bits: { type: 12, codec: flagsOf(u32, { up: 1, broadcast: 2, loopback: 8 }) },
  nest: { type: 13, codec: inner },
  many: { type: 14, codec: cstring, repeated: true },
  stats: { type: 15, codec: defineGrowableStruct('s', { rx: 'u64', tx: 'u32', _p: { pad: 4 } }) },
  hdr: { type: 16, codec: defineStruct('h', { family: 'u8', _p: { pad: 3 }, index: 's32' }) },
} as const;

/** `bytes` with up to 6 bytes overwritten, then cut at any length. */
export const mutate = (bytes: Uint8Array): fc.Arbitrary<Uint8Array> =>
  fc.tuple(fc.array(fc.tuple(fc.nat(), fc.integer({ min: 0, max: 255 })), { maxLength: 6 }), fc.nat()).map(([flips, cut]) => {
    const out = bytes.slice();
    for (const [at, v] of flips) if (out.length) out[at % out.length] = v;
    return out.subarray(0, out.length ? cut % (out.length + 1) : 0);
  });
