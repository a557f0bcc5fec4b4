import { describe, expect, it } from 'vitest';
import { decodeErrorBody, encodeErrorBody } from '../../src/netlink/error-message.js';
import { parseDatagram } from '../../src/netlink/message.js';
import { netlinkErrorFrom } from '../../src/netlink/request-error.js';
import { Writer } from '../../src/netlink/writer.js';
import { fromHex, rows } from '../helpers/hex.js';

// The kernel's (6.18) full, uncapped answer to an RTM_NEWLINK whose IFLA_IFNAME holds 16 bytes,
// read from a raw socket with NETLINK_EXT_ACK on: ERANGE, the request echoed, then extack
// TLVs — message, offset 32 (the IFLA_IFNAME header) and the policy (NUL string, max 15 bytes).
const reply = fromHex(
  'a000000002000002010000002f210000deffffff48000000100005060100000000000000000000000000000000000000000000001500030078787878787878787878787878787878000000001000120009000100766574680000000027000100417474726962757465206661696c656420706f6c6963792076616c69646174696f6e0000080002002000000014000480080007000f000000080001000b000000',
);

describe('NLMSG_ERROR with extended ack', () => {
  const [msg] = parseDatagram(reply);
  const body = decodeErrorBody(msg!.payload, msg!.flags, 16);

  it('decodes errno, the echoed request and every extack TLV', () => {
    expect(msg!.flags).toBe(0x200); // NLM_F_ACK_TLVS, not capped
    expect(body.error).toBe(-34);
    expect(body.request).toEqual({ len: 72, type: 16, flags: 0x0605, seq: 1, pid: 0 });
    expect(body.requestPayload).toHaveLength(56);
    expect(body.extack).toEqual({
      message: 'Attribute failed policy validation',
      offset: 32,
      policy: { maxLength: 15, type: 'string' },
    });
  });

  it('re-encodes to the same bytes', () => {
    const w = new Writer();
    encodeErrorBody(w, body, msg!.flags);
    expect(rows(w.finish())).toBe(rows(msg!.payload));
  });

  it('becomes a NetlinkError that says what the kernel expected', () => {
    const err = netlinkErrorFrom(body, { type: 16, typeName: 'RTM_NEWLINK', flags: 0x605, seq: 1 }, [{ start: 32, end: 53, path: 'ifname' }]);
    expect(err.code).toBe('ERANGE');
    expect(err.attribute).toBe('ifname');
    expect(err.expected).toBe('a string of at most 15 bytes');
    expect(err.message).toBe(
      'RTM_NEWLINK failed: ERANGE (result too large): Attribute failed policy validation (attribute ifname, expected a string of at most 15 bytes)',
    );
  });
});
