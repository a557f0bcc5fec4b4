/**
 * fast-check arbitraries for link messages. Most codecs describe their values with a shape
 * (test/helpers/arbitrary.ts); the link-specific ones whose values a shape cannot describe
 * (the kind-dispatching IFLA_LINKINFO, devconf records, u64 arrays, the veth peer) are
 * generated here, by codec kind, and everything else is delegated to the shared helper.
 */
import fc from 'fast-check';
import type { AttributeSet } from '../../../src/netlink/attribute-set.js';
import type { FieldCodec } from '../../../src/netlink/field.js';
import { ipv4DevconfIndex, ipv6DevconfIndex } from '../../../src/netlink/route/af-spec-devconf.js';
import { linkKinds, slaveKindOf } from '../../../src/netlink/route/link-info/linkinfo.js';
import type { Direction } from '../../../src/netlink/route/link-direction.js';
import { linkAttributesFor } from '../../../src/netlink/route/link-messages.js';
import { arbitraryFor, unknownAttributes } from '../../helpers/arbitrary.js';

const MAX_DEPTH = 2;
const text = fc.string({ unit: 'binary', maxLength: 16 }).filter((s) => !s.includes('\0'));
const bytes = fc.uint8Array({ maxLength: 24 });

/** A devconf record: the first k known names (the kernel always sends a prefix) and maybe more. */
function devconf(names: string[], signed: boolean): fc.Arbitrary<Record<string, unknown>> {
  const value = signed ? fc.integer({ min: -(2 ** 31), max: 2 ** 31 - 1 }) : fc.integer({ min: 0, max: 2 ** 32 - 1 });
  return fc.tuple(fc.array(value, { maxLength: names.length }), fc.option(fc.array(value, { minLength: 1, maxLength: 4 }), { nil: undefined })).map(([values, more]) => {
    const out: Record<string, unknown> = {};
    const all = more ? [...values, ...new Array<number>(names.length - values.length).fill(0)] : values;
    all.forEach((v, i) => (out[names[i]!] = v));
    if (more) out.more = more;
    return out;
  });
}

const ipv4Names = Object.keys(ipv4DevconfIndex);
const ipv6Names = Object.keys(ipv6DevconfIndex);

function kindData(kind: string | undefined, direction: Direction, depth: number): fc.Arbitrary<unknown> {
  const data = kind === undefined ? undefined : linkKinds.get(kind)?.data;
  if (!data) return bytes;
  if (typeof data === 'function') {
    // veth: the peer is a whole link message.
    return depth >= MAX_DEPTH ? fc.constant({}) : fc.record({ peer: linkMessageArbitrary(direction, 0, depth + 1) }, { requiredKeys: [] });
  }
  return codecArbitrary(data, direction, depth);
}

function linkInfo(direction: Direction, depth: number): fc.Arbitrary<unknown> {
  const kinds = fc.option(fc.oneof(fc.constantFrom(...linkKinds.keys(), 'bridge_slave'), text), { nil: undefined });
  return fc.tuple(kinds, fc.option(fc.constantFrom('bridge', 'bond'), { nil: undefined })).chain(([kind, slaveKind]) => {
    const master = slaveKindOf(kind, slaveKind);
    const slave = master !== undefined && linkKinds.get(master)?.slaveData ? codecArbitrary(linkKinds.get(master)!.slaveData!, direction, depth) : bytes;
    return fc.record(
      {
        ...(kind !== undefined ? { kind: fc.constant(kind) } : {}),
        data: kindData(kind, direction, depth),
        xstats: bytes,
        ...(slaveKind !== undefined ? { slaveKind: fc.constant(slaveKind) } : {}),
        slaveData: slave,
      },
      { requiredKeys: [...(kind !== undefined ? ['kind' as const] : []), ...(slaveKind !== undefined ? ['slaveKind' as const] : [])] },
    );
  });
}

/** Values for any codec used in link messages. */
export function codecArbitrary(codec: FieldCodec<any>, direction: Direction, depth: number): fc.Arbitrary<unknown> {
  switch (codec.kind) {
    case 'nested(linkinfo)':
      return linkInfo(direction, depth);
    case 'devconf(ipv4 devconf)':
      return devconf(ipv4Names, false);
    case 'devconf(ipv6 devconf)':
      return devconf(ipv6Names, true);
    case 'u64[]':
      return fc.array(fc.bigInt({ min: 0n, max: 2n ** 64n - 1n }), { maxLength: 6 });
    case 'link-message':
      return depth >= MAX_DEPTH ? fc.constant({ header: { family: 0, type: 0, index: 0, flags: 0, change: 0 }, attributes: {} }) : linkMessageArbitrary(direction, 0, depth + 1);
  }
  const shape = codec.shape;
  if (shape?.t === 'set') return setArbitrary(codec as AttributeSet<any>, direction, depth);
  return arbitraryFor(shape);
}

/** An attribute set's values, some unknown attributes included. */
export function setArbitrary(set: AttributeSet<any>, direction: Direction, depth: number): fc.Arbitrary<Record<string, unknown>> {
  const rec: Record<string, fc.Arbitrary<unknown>> = {};
  for (const [key, spec] of Object.entries(set.specs) as Array<[string, { codec: FieldCodec<any>; repeated?: boolean }]>) {
    const one = codecArbitrary(spec.codec, direction, depth);
    rec[key] = spec.repeated ? fc.array(one, { minLength: 1, maxLength: 3 }) : one;
  }
  const known = new Set(Object.values(set.specs).map((s) => (s as { type: number }).type));
  return fc.tuple(fc.record(rec, { requiredKeys: [] }), fc.option(unknownAttributes(known), { nil: undefined })).map(([v, unknown]) => (unknown ? { ...v, unknown } : v));
}

const header = (family: number) =>
  fc.record({
    family: fc.constant(family),
    type: fc.integer({ min: 0, max: 0xffff }),
    index: fc.integer({ min: -(2 ** 31), max: 2 ** 31 - 1 }),
    flags: fc.integer({ min: 0, max: 2 ** 32 - 1 }),
    change: fc.integer({ min: 0, max: 2 ** 32 - 1 }),
  });

/** A whole link message body (ifinfomsg + attributes) for a direction and header family. */
export function linkMessageArbitrary(direction: Direction, family: number, depth = 0) {
  return fc.record({ header: header(family), attributes: setArbitrary(linkAttributesFor(direction, family), direction, depth) });
}
