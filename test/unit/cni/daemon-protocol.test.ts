import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { encodeRequest, encodeResponse, parseRequest } from '../../../src/cni/daemon-protocol.js';

const RUNS = Number(process.env.NETNS_TS_PROPERTY_RUNS ?? 1000);
const name = fc.stringMatching(/^[A-Z_][A-Z0-9_]{0,20}$/);
const request = fc.record({ env: fc.dictionary(name, fc.string({ unit: 'grapheme' })), stdin: fc.string({ unit: 'grapheme', maxLength: 2000 }) });

describe('the daemon wire format', () => {
  it('a request parses back to itself, and every strict prefix asks for more bytes (property)', () => {
    fc.assert(
      fc.property(request, fc.nat(), (r, cut) => {
        const bytes = encodeRequest(r);
        expect(parseRequest(bytes)).toEqual(r);
        expect(parseRequest(bytes.subarray(0, cut % bytes.length))).toBeUndefined();
      }),
      { numRuns: RUNS },
    );
  });

  it('refuses bytes that are not a request, and bytes after one', () => {
    expect(() => parseRequest(Buffer.from('GET / HTTP/1.0\r\n'))).toThrow(/not a netns-ts-cni request/);
    const one = encodeRequest({ env: { CNI_COMMAND: 'ADD' }, stdin: '{}' });
    expect(() => parseRequest(Buffer.concat([one, Buffer.from('x')]))).toThrow(/after the end/);
  });

  it('keeps "=" inside values and ignores entries without one, as getenv does', () => {
    const bytes = encodeRequest({ env: { A: 'b=c' }, stdin: '' });
    expect(parseRequest(bytes)).toEqual({ env: { A: 'b=c' }, stdin: '' });
    // An entry "NOEQUALS" spliced in by hand: count 2.
    const u32 = (n: number) => {
      const b = Buffer.alloc(4);
      b.writeUInt32LE(n);
      return b;
    };
    const raw = Buffer.concat([Buffer.from('NTC1'), u32(2), u32(8), Buffer.from('NOEQUALS'), u32(3), Buffer.from('A=1'), u32(0)]);
    expect(parseRequest(raw)).toEqual({ env: { A: '1' }, stdin: '' });
  });

  it('a response is the exit status, the length and the bytes', () => {
    expect([...encodeResponse(1, 'é')]).toEqual([1, 0, 0, 0, 2, 0, 0, 0, 0xc3, 0xa9]);
  });
});
