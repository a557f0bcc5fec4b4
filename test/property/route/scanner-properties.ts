/**
 * The properties every listing scanner (src/route/*-scan.ts) must have against the generic way
 * (decode the message, then convert it): it gives up, or gives the same typed object — fields,
 * keys, `message`, JSON — kept by a selection exactly when the decoded message is; and whatever
 * bytes it accepts, mutated or made of attributes of any length and repeats, the generic
 * decoder decodes, so reading `message` later cannot throw. Each branch must be reached, or
 * the property says nothing about it.
 */
import fc from 'fast-check';
import { expect, it } from 'vitest';
import { DecodeError } from '../../../src/netlink/errors.js';
import { bodyWriter } from '../../../src/netlink/message.js';
import { RUNS } from '../../helpers/arbitrary.js';
import { mutate } from '../../helpers/sample-set.js';

/** Where a body sits in its datagram (after the nlmsghdr), for error offsets. */
const AT = 16;
/** Bytes after the body in its datagram: a scanner must stop at the body's end. */
const TAIL = 12;

/** Bytes of the datagram's memory before the datagram (a view that does not start at 0). */
const LEAD = 8;

/**
 * The body inside a datagram, as a dump hands it over (bytes, start, end): header bytes before
 * it and the start of another message after it, none of them zero, so a scanner reading outside
 * the body reads something else than the decoder does; the datagram itself a view starting
 * LEAD bytes into its memory, so a `message` made from the memory without the view's offset
 * would be made of other bytes.
 */
function scanInDatagram<M, S>(t: ScannerUnderTest<M, S>, body: Uint8Array, selection: S): ReturnType<ScannerUnderTest<M, S>['scan']> {
  const datagram = new Uint8Array(new ArrayBuffer(LEAD + AT + body.length + TAIL), LEAD).fill(0xa5);
  datagram.set(body, AT);
  return t.scan(datagram, AT, AT + body.length, selection);
}

export interface ScannerUnderTest<M, S> {
  /** The message family's codec. */
  codec: { encode(w: ReturnType<typeof bodyWriter>, value: M): void; decode(bytes: Uint8Array, at: number): M };
  /** The body is `bytes[start, end)`; `start` is its offset in the datagram `bytes`. */
  scan(bytes: Uint8Array, start: number, end: number, selection: S): { message: M } | null | undefined;
  /** The generic way's conversion (toRoute, toNeighbour). */
  convert(message: M): object;
  /** The generic way's selection, as the client applies it to a decoded message. */
  selects(selection: S, message: M): boolean;
  /** The same selection written out in the test, independently of the module. */
  expectedKept(selection: S, message: M): boolean;
  /** Messages mostly of the common case; selections; one that keeps everything a body holds. */
  messages: fc.Arbitrary<M>;
  selections: fc.Arbitrary<S>;
  keepAll(body: Uint8Array): S;
  /** Bodies made of the family header and attributes of the scanned types, any length, repeats. */
  rawBodies: fc.Arbitrary<Uint8Array>;
}

function bodyOf<M>(codec: ScannerUnderTest<M, unknown>['codec'], value: M): Uint8Array | undefined {
  const w = bodyWriter();
  try {
    codec.encode(w, value);
  } catch {
    return undefined; // a value the encoder refuses
  }
  return w.finish().slice();
}

/** An object's own fields as a plain object (a scanned view keeps `message` behind a getter). */
const fieldsOf = (value: object): Record<string, unknown> => Object.fromEntries(Object.entries(value).filter(([k]) => k !== 'message'));

/** A scanned object equals the generic way's for the same decoded message. */
function expectSame<M, S>(t: ScannerUnderTest<M, S>, scanned: { message: M }, decoded: M): void {
  const expected = t.convert(decoded);
  expect(fieldsOf(scanned)).toEqual(fieldsOf(expected));
  expect(Object.keys(scanned)).toEqual(Object.keys(fieldsOf(expected)));
  expect(scanned.message).toEqual(decoded);
  expect(JSON.parse(JSON.stringify(scanned))).toEqual(JSON.parse(JSON.stringify(expected)));
}

/** Decode, or the DecodeError the generic decoder throws. */
function decodeOrError<M>(t: ScannerUnderTest<M, unknown>, bytes: Uint8Array): M | DecodeError {
  try {
    return t.codec.decode(bytes, AT);
  } catch (err) {
    if (!(err instanceof DecodeError)) throw err;
    return err;
  }
}

/** Register the three properties (call inside a `describe`). */
export function scannerProperties<M, S>(t: ScannerUnderTest<M, S>): void {
  it('gives up, or gives the generic way\'s object, kept by a selection exactly when the decoded message is', () => {
    let scanned = 0;
    let gaveUp = 0;
    fc.assert(
      fc.property(t.messages, t.selections, (value, s) => {
        const body = bodyOf(t.codec, value);
        if (!body) return;
        const decoded = t.codec.decode(body, AT);
        // The generic way's selection (for what the scanner gives up on) agrees too.
        expect(t.selects(s, decoded)).toBe(t.expectedKept(s, decoded));
        const result = scanInDatagram(t, body, s);
        if (result === undefined) {
          gaveUp++;
          return;
        }
        scanned++;
        expect(result !== null).toBe(t.expectedKept(s, decoded));
        if (result !== null) expectSame(t, result, decoded);
      }),
      { numRuns: RUNS },
    );
    expect(scanned).toBeGreaterThan(RUNS / 4);
    expect(gaveUp).toBeGreaterThan(0);
  });

  it('never accepts bytes the generic decoder refuses (mutated messages)', () => {
    let accepted = 0;
    const mutated = t.messages
      .map((v) => bodyOf(t.codec, v))
      .filter((b): b is Uint8Array => b !== undefined)
      .chain(mutate);
    fc.assert(
      fc.property(mutated, (bytes) => {
        const result = scanInDatagram(t, bytes, t.keepAll(bytes));
        if (!result) return;
        accepted++;
        const decoded = decodeOrError(t, bytes);
        if (decoded instanceof DecodeError) throw new Error(`scanned bytes the decoder refuses: ${decoded.message}`);
        expectSame(t, result, decoded);
      }),
      { numRuns: RUNS },
    );
    expect(accepted).toBeGreaterThan(0);
  });

  it('gives up on any length or repeat the generic decoder would not read the same way', () => {
    let accepted = 0;
    fc.assert(
      fc.property(t.rawBodies, (bytes) => {
        const result = scanInDatagram(t, bytes, t.keepAll(bytes));
        if (!result) return;
        accepted++;
        const decoded = decodeOrError(t, bytes);
        expect(decoded).not.toBeInstanceOf(DecodeError);
        expectSame(t, result, decoded as M);
      }),
      { numRuns: RUNS },
    );
    expect(accepted).toBeGreaterThan(RUNS / 20);
  });
}

/**
 * Bodies of a family header (`headerLength` bytes, the family first) and attributes of
 * `types`, of the given lengths, in any order and number, some with flag bits: lengths,
 * repeats and flags of every kind.
 */
export function rawBodies(families: number[], headerLength: number, types: number[], lengths: number[]): fc.Arbitrary<Uint8Array> {
  return fc
    .tuple(
      fc.constantFrom(...families),
      fc.uint8Array({ minLength: headerLength - 1, maxLength: headerLength - 1 }),
      fc.array(
        // Now and then NLA_F_NESTED (0x80) or NLA_F_NET_BYTEORDER (0x40) in the type's high byte.
        fc.record({ type: fc.constantFrom(...types), length: fc.constantFrom(...lengths), flags: fc.constantFrom(0, 0, 0, 0x80, 0x40) }),
        { maxLength: 6 },
      ),
    )
    .map(([family, header, attributes]) => {
      const body: number[] = [family, ...header];
      for (const { type, length, flags } of attributes) {
        const len = 4 + length;
        body.push(len & 0xff, len >> 8, type, flags);
        for (let i = 0; i < length; i++) body.push((i * 37 + type) & 0xff);
        while (body.length % 4) body.push(0);
      }
      return Uint8Array.from(body);
    });
}
