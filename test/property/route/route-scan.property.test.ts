/**
 * The route scanner (route-scan.ts) holds to the generic way: for any route message, it either
 * gives up (undefined) or gives what decoding the message and converting it (toRoute) gives —
 * the same fields, the same `message`, kept or dropped by a selection exactly as the decoded
 * message is. Also for mutated bytes: whatever it accepts, the generic decoder decodes, so
 * reading `message` later never throws.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { formatIp } from '../../../src/netlink/addresses.js';
import { DecodeError } from '../../../src/netlink/errors.js';
import { bodyWriter } from '../../../src/netlink/message.js';
import { routeMessage, rtmsg, type RouteMessageValue } from '../../../src/netlink/route/route.js';
import { scanRoute, selected, type RouteSelection } from '../../../src/route/route-scan.js';
import { toRoute } from '../../../src/route/route-view.js';
import { arbitraryOf, RUNS } from '../../helpers/arbitrary.js';
import { mutate } from '../../helpers/sample-set.js';
import { routeAttributesArbitrary } from './route-arbitraries.js';

const AF_INET = 2;
const AF_INET6 = 10;
/** Where the body sits in its datagram (after the nlmsghdr), for error offsets. */
const AT = 16;
const ANY: RouteSelection = { family: 0, table: undefined, protocol: 0, type: 0, oif: undefined };

const u32 = fc.integer({ min: 0, max: 0xffffffff });
const address = (family: number) => fc.uint8Array({ minLength: family === AF_INET ? 4 : 16, maxLength: family === AF_INET ? 4 : 16 }).map(formatIp);

/** Mostly the attributes the scanner reads, of the header's family; sometimes any other. */
const commonRoute: fc.Arbitrary<RouteMessageValue> = fc
  .tuple(arbitraryOf(rtmsg), fc.constantFrom(AF_INET, AF_INET6, AF_INET, 7))
  .chain(([header, family]) =>
    fc.record({
      header: fc.constant({ ...(header as RouteMessageValue['header']), family }),
      attributes: fc.oneof(
        { weight: 4, arbitrary: fc.record({ table: u32, dst: address(family === 7 ? AF_INET : family), priority: u32, gateway: address(family === 7 ? AF_INET : family), oif: u32, prefsrc: address(family === 7 ? AF_INET : family), iif: u32, src: address(family === 7 ? AF_INET : family), pref: fc.integer({ min: 0, max: 255 }) }, { requiredKeys: [] }) },
        { weight: 1, arbitrary: routeAttributesArbitrary },
      ),
    }),
  ) as fc.Arbitrary<RouteMessageValue>;

const selection: fc.Arbitrary<RouteSelection> = fc.record({
  family: fc.constantFrom(0, AF_INET, AF_INET6),
  table: fc.option(fc.constantFrom(254, 255, 0), { nil: undefined }),
  protocol: fc.constantFrom(0, 2, 3, 4),
  type: fc.constantFrom(0, 1, 2),
  oif: fc.option(fc.integer({ min: 0, max: 3 }), { nil: undefined }),
});

function bodyOf(value: RouteMessageValue): Uint8Array | undefined {
  const w = bodyWriter();
  try {
    routeMessage.encode(w, value);
  } catch {
    return undefined; // a value the encoder refuses (e.g. a pref name it has no number for)
  }
  return w.finish().slice();
}

/** A Route's own fields as a plain object (RouteView keeps `message` behind a getter). */
const fieldsOf = (route: object): Record<string, unknown> => Object.fromEntries(Object.entries(route).filter(([k]) => k !== 'message'));

/** The attribute types the scanner reads, and one it does not (RTA_METRICS). */
const SCANNED_TYPES = [1, 2, 3, 4, 5, 6, 7, 12, 15, 20, 8];

/** An rtmsg followed by attributes of those types, of any length, repeated or not. */
const rawRoute: fc.Arbitrary<Uint8Array> = fc
  .tuple(
    fc.constantFrom(AF_INET, AF_INET6),
    fc.uint8Array({ minLength: 11, maxLength: 11 }),
    fc.array(fc.record({ type: fc.constantFrom(...SCANNED_TYPES), length: fc.constantFrom(0, 1, 2, 3, 4, 5, 8, 16, 32, 33) }), { maxLength: 6 }),
  )
  .map(([family, header, attributes]) => {
    const body: number[] = [family, ...header];
    for (const { type, length } of attributes) {
      const len = 4 + length;
      body.push(len & 0xff, len >> 8, type, 0);
      for (let i = 0; i < length; i++) body.push((i * 37 + type) & 0xff);
      while (body.length % 4) body.push(0);
    }
    return Uint8Array.from(body);
  });

describe('route scanner (property)', () => {
  it('gives up, or gives toRoute(decode(message)), kept by a selection exactly when the decoded message is', () => {
    let scanned = 0;
    let gaveUp = 0;
    fc.assert(
      fc.property(commonRoute, selection, (value, s) => {
        const body = bodyOf(value);
        if (!body) return;
        const route = scanRoute(body, AT, s);
        if (route === undefined) {
          gaveUp++;
          return;
        }
        scanned++;
        const decoded = routeMessage.decode(body, AT);
        if (route === null) {
          expect(selected(s, decoded)).toBe(false);
          return;
        }
        expect(selected(s, decoded)).toBe(true);
        const expected = toRoute(decoded);
        expect(fieldsOf(route)).toEqual(fieldsOf(expected));
        expect(Object.keys(route).sort()).toEqual(Object.keys(fieldsOf(expected)).sort());
        expect(route.message).toEqual(decoded);
        expect(JSON.parse(JSON.stringify(route))).toEqual(JSON.parse(JSON.stringify(expected)));
      }),
      { numRuns: RUNS },
    );
    // Both ways must be taken, or the property says nothing about one of them.
    expect(scanned).toBeGreaterThan(RUNS / 4);
    expect(gaveUp).toBeGreaterThan(0);
  });

  it('never accepts bytes the generic decoder refuses (mutated messages)', () => {
    let accepted = 0;
    const mutated = commonRoute
      .map(bodyOf)
      .filter((b): b is Uint8Array => b !== undefined)
      .chain(mutate);
    fc.assert(
      fc.property(mutated, (bytes) => {
        const route = scanRoute(bytes, AT, ANY);
        if (route === undefined || route === null) return;
        accepted++;
        let decoded: RouteMessageValue;
        try {
          decoded = routeMessage.decode(bytes, AT);
        } catch (err) {
          if (err instanceof DecodeError) throw new Error(`scanned bytes the decoder refuses: ${err.message}`);
          throw err;
        }
        expect(route.message).toEqual(decoded);
        expect(fieldsOf(route)).toEqual(fieldsOf(toRoute(decoded)));
      }),
      { numRuns: RUNS },
    );
    // Some mutations leave a message the scanner reads (a changed value, not a broken frame).
    expect(accepted).toBeGreaterThan(0);
  });

  it('gives up on any length or repeat the generic decoder would not read the same way', () => {
    let accepted = 0;
    fc.assert(
      fc.property(rawRoute, (bytes) => {
        const route = scanRoute(bytes, AT, ANY);
        let decoded: RouteMessageValue | DecodeError;
        try {
          decoded = routeMessage.decode(bytes, AT);
        } catch (err) {
          if (!(err instanceof DecodeError)) throw err;
          decoded = err;
        }
        if (route === undefined) return;
        accepted++;
        expect(decoded).not.toBeInstanceOf(DecodeError);
        const message = decoded as RouteMessageValue;
        expect(route!.message).toEqual(message);
        expect(fieldsOf(route!)).toEqual(fieldsOf(toRoute(message)));
      }),
      { numRuns: RUNS },
    );
    expect(accepted).toBeGreaterThan(RUNS / 20);
  });
});
