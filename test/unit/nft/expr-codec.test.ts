/**
 * The expression element and list codecs: opaque expressions, wire details kept across a
 * round trip, errors before anything is sent, decode errors that say where, and the attribute
 * spans a kernel error offset maps back to.
 */
import { describe, expect, it } from 'vitest';
import { NLA_F_NESTED } from '../../../src/netlink/constants.js';
import { DecodeError, ValidationError } from '../../../src/netlink/errors.js';
import { encodeRawAttributes } from '../../../src/netlink/raw-attributes.js';
import { Writer } from '../../../src/netlink/writer.js';
import { describeExpression, expressionCodec, expressionListCodec, type Expression } from '../../../src/nft/expressions/index.js';
import { fromHex, hex, rows } from '../../helpers/hex.js';

function encodeList(list: Expression[], w = new Writer()): Uint8Array {
  expressionListCodec.encode(w, list, 'expressions');
  return w.finish().slice();
}
const decodeList = (bytes: Uint8Array): Expression[] => expressionListCodec.decode(bytes, 0, 'expressions');
const text = (s: string): Uint8Array => new TextEncoder().encode(s);
const nul = (s: string): Uint8Array => text(`${s}\0`);

describe('opaque expressions', () => {
  // An expression this version does not model ("queue"), with its data and flags.
  const queue = encodeRawAttributes([
    { type: 1, nested: false, netByteOrder: false, value: nul('queue') },
    { type: 2, nested: true, netByteOrder: false, value: encodeRawAttributes([{ type: 1, nested: false, netByteOrder: false, value: Uint8Array.of(0, 1) }]) },
  ]);
  const list = encodeRawAttributes([{ type: 1, nested: true, netByteOrder: false, value: queue }]);

  it('decode to { type: opaque, name, data } and encode back byte for byte', () => {
    const decoded = decodeList(list);
    expect(decoded).toEqual([{ type: 'opaque', name: 'queue', data: [{ type: 1, nested: false, netByteOrder: false, value: Uint8Array.of(0, 1) }] }]);
    expect(rows(encodeList(decoded))).toBe(rows(list));
  });

  it('can be written from scratch and are described with their raw attributes', () => {
    const value: Expression = { type: 'opaque', name: 'queue', data: [{ type: 1, nested: false, netByteOrder: false, value: Uint8Array.of(0, 1) }] };
    expect(rows(encodeList([value]))).toBe(rows(list));
    expect(describeExpression(value)).toBe('[ queue 1=0x0001 ]');
  });

  it('need a name', () => {
    expect(() => encodeList([{ type: 'opaque', name: '', data: [] }])).toThrow(/expressions\[0\]\.name/);
  });
});

describe('the kernel form survives a round trip', () => {
  it('list elements and NFTA_EXPR_DATA without NLA_F_NESTED (nla_nest_start_noflag)', () => {
    const masq = encodeRawAttributes([
      { type: 1, nested: false, netByteOrder: false, value: nul('masq') },
      { type: 2, nested: false, netByteOrder: false, value: fromHex('0800010000000004') },
    ]);
    const list = encodeRawAttributes([{ type: 1, nested: false, netByteOrder: false, value: masq }]);
    const decoded = decodeList(list);
    expect(decoded).toEqual([{ type: 'masq', flags: ['random'] }]);
    expect(rows(encodeList(decoded))).toBe(rows(list));
  });

  it('an objref name with its NUL (nla_put_string), while nft sends it without', () => {
    const objref = (name: Uint8Array) =>
      encodeRawAttributes([{ type: 1, nested: true, netByteOrder: false, value: encodeRawAttributes([
        { type: 1, nested: false, netByteOrder: false, value: nul('objref') },
        { type: 2, nested: true, netByteOrder: false, value: encodeRawAttributes([
          { type: 1, nested: false, netByteOrder: false, value: fromHex('00000001') },
          { type: 2, nested: false, netByteOrder: false, value: name },
        ]) },
      ]) }]);
    for (const form of [nul('foo'), text('foo')]) {
      const decoded = decodeList(objref(form));
      expect(decoded).toEqual([{ type: 'objref', immType: 'counter', immName: 'foo' }]);
      expect(rows(encodeList(decoded))).toBe(rows(objref(form)));
    }
    // Built in code: nft's form.
    expect(rows(encodeList([{ type: 'objref', immType: 'counter', immName: 'foo' }]))).toBe(rows(objref(text('foo'))));
  });

  it('notrack without NFTA_EXPR_DATA, as both nft and the kernel write it', () => {
    const list = encodeRawAttributes([{ type: 1, nested: true, netByteOrder: false, value: encodeRawAttributes([{ type: 1, nested: false, netByteOrder: false, value: nul('notrack') }]) }]);
    expect(decodeList(list)).toEqual([{ type: 'notrack' }]);
    expect(rows(encodeList([{ type: 'notrack' }]))).toBe(rows(list));
  });

  it('unknown attributes inside a known expression, in their place', () => {
    const cmpData = encodeRawAttributes([
      { type: 1, nested: false, netByteOrder: false, value: fromHex('00000001') },
      { type: 9, nested: false, netByteOrder: true, value: fromHex('abcd') },
      { type: 2, nested: false, netByteOrder: false, value: fromHex('00000000') },
      { type: 3, nested: true, netByteOrder: false, value: fromHex('0500010006000000') }, // NFTA_DATA_VALUE 06
    ]);
    const list = encodeRawAttributes([{ type: 1, nested: true, netByteOrder: false, value: encodeRawAttributes([
      { type: 1, nested: false, netByteOrder: false, value: nul('cmp') },
      { type: 2, nested: true, netByteOrder: false, value: cmpData },
    ]) }]);
    const [decoded] = decodeList(list);
    expect(decoded).toMatchObject({ type: 'cmp', sreg: 1, op: 'eq', unknown: [{ type: 9, netByteOrder: true, value: fromHex('abcd') }] });
    expect(rows(encodeList([decoded!]))).toBe(rows(list));
  });
});

describe('bad input is a ValidationError before anything is written', () => {
  const cases: Array<[string, unknown, RegExp]> = [
    ['an unknown type', { type: 'teleport' }, /expressions\[0\]\.type: unknown expression 'teleport'/],
    ['no type', { sreg: 1 }, /expressions\[0\]: must be an expression object/],
    ['a missing required attribute', { type: 'cmp', sreg: 1, op: 'eq' }, /expressions\[0\]\.cmp: missing data/],
    ['an unknown attribute', { type: 'counter', packts: 1n }, /expressions\[0\]\.counter\.packts: is not an attribute of counter/],
    ['an unknown enum value', { type: 'meta', key: 'colour', dreg: 1 }, /expressions\[0\]\.meta\.key: unknown value 'colour'/],
    ['an unknown NAT flag', { type: 'masq', flags: ['sticky'] }, /expressions\[0\]\.masq\.flags: unknown flag sticky/],
    ['an unknown lookup flag', { type: 'lookup', sreg: 1, set: 's', flags: ['sometimes'] }, /expressions\[0\]\.lookup\.flags: unknown flag sometimes/],
    ['a register out of range', { type: 'immediate', dreg: -1, data: { value: Uint8Array.of(1) } }, /expressions\[0\]\.immediate\.dreg/],
    ['an empty data value', { type: 'cmp', sreg: 1, op: 'eq', data: { value: new Uint8Array() } }, /expressions\[0\]\.cmp\.data\.value: must be 1 to 64 bytes/],
    ['a load and a write at once', { type: 'payload', sreg: 1, dreg: 1, base: 'network', offset: 0, len: 1 }, /exactly one of dreg \(load\) and sreg \(write\)/],
    ['a too long log prefix', { type: 'log', prefix: 'x'.repeat(128) }, /expressions\[0\]\.log\.prefix: must be at most 127 bytes/],
  ];
  for (const [what, value, message] of cases) {
    it(what, () => {
      const w = new Writer();
      expect(() => expressionListCodec.encode(w, [value as Expression], 'expressions')).toThrow(ValidationError);
      expect(() => expressionListCodec.encode(new Writer(), [value as Expression], 'expressions')).toThrow(message);
    });
  }

  it('a list that is not an array', () => {
    expect(() => expressionListCodec.encode(new Writer(), {} as never, 'expressions')).toThrow(ValidationError);
  });
});

describe('decode errors say where', () => {
  it('an expression without a name', () => {
    const list = encodeRawAttributes([{ type: 1, nested: true, netByteOrder: false, value: encodeRawAttributes([{ type: 2, nested: true, netByteOrder: false, value: new Uint8Array() }]) }]);
    expect(() => decodeList(list)).toThrow(DecodeError);
    expect(() => decodeList(list)).toThrow(/expressions\[0\] @4: expression without NFTA_EXPR_NAME/);
  });

  it('a short attribute deep inside: the path names the expression and the attribute', () => {
    const bytes = encodeList([
      { type: 'counter' },
      { type: 'cmp', sreg: 1, op: 'eq', data: { value: Uint8Array.of(1) } },
    ]);
    // Make the cmp's NFTA_CMP_OP (4 bytes) 2 bytes long: patch its length, and shrink the nests.
    const at = hex(bytes).indexOf('0800020000000000') / 2;
    const broken = bytes.slice();
    new DataView(broken.buffer).setUint16(at, 6, true);
    const error = (() => {
      try {
        decodeList(broken);
      } catch (e) {
        return e;
      }
      return undefined;
    })();
    expect(error).toBeInstanceOf(DecodeError);
    expect((error as DecodeError).path).toBe('expressions[1].cmp.op');
  });

  it('an attribute other than NFTA_LIST_ELEM in the list (the kernel refuses those)', () => {
    const list = encodeRawAttributes([{ type: 2, nested: true, netByteOrder: false, value: new Uint8Array() }]);
    expect(() => decodeList(list)).toThrow(/expressions\[0\] @0: attribute type 2 in an expression list/);
  });
});

describe('encoding', () => {
  it('writes list elements and data nests with NLA_F_NESTED, the name with its NUL', () => {
    const bytes = encodeList([{ type: 'counter' }]);
    const view = new DataView(bytes.buffer);
    expect(view.getUint16(2, true)).toBe(1 | NLA_F_NESTED); // NFTA_LIST_ELEM
    expect(view.getUint16(6, true)).toBe(1); // NFTA_EXPR_NAME
    expect(hex(bytes.subarray(8, 16))).toBe(hex(nul('counter')));
    expect(view.getUint16(18, true)).toBe(2 | NLA_F_NESTED); // NFTA_EXPR_DATA
  });

  it('records where each attribute went, so a kernel error offset names it', () => {
    const w = new Writer(256, 16);
    encodeList([{ type: 'counter' }, { type: 'cmp', sreg: 1, op: 'eq', data: { value: Uint8Array.of(1) } }], w);
    const paths = w.spans.map((s) => s.path);
    expect(paths).toContain('expressions[1].cmp.data.value');
    expect(paths).toContain('expressions[1].cmp.op');
    expect(paths).toContain('expressions[0]');
    const op = w.spans.find((s) => s.path === 'expressions[1].cmp.op')!;
    expect(op.start).toBeGreaterThanOrEqual(16);
  });

  it('a single expression codec for set elements and dynset', () => {
    const w = new Writer();
    expressionCodec.encode(w, { type: 'counter', packets: 1n, bytes: 2n }, 'expr');
    expect(expressionCodec.decode(w.finish().slice(), 0, 'expr')).toEqual({ type: 'counter', bytes: 2n, packets: 1n });
  });
});
