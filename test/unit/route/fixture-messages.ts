/**
 * Messages out of the captured fixtures (fixtures/route/*.json), for golden-byte tests: what
 * the real `ip` sent, and what the real kernel answered, message by message.
 */
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { NLMSG_HDRLEN } from '../../../src/netlink/constants.js';
import { parseDatagram, splitIgnoredZeroTail, type NetlinkMessage } from '../../../src/netlink/message.js';
import { fromHex } from '../../helpers/hex.js';

const dir = join(dirname(fileURLToPath(import.meta.url)), '..', '..', '..', 'fixtures', 'route');

export interface CapturedMessage extends NetlinkMessage {
  direction: 'request' | 'reply';
  /** Offset of the body in its datagram (for decoders' `at`). */
  at: number;
}

/** Every message of a fixture, in capture order. */
export function capturedMessages(name: string): CapturedMessage[] {
  const fixture = JSON.parse(readFileSync(join(dir, `${name}.json`), 'utf8')) as { datagrams: { direction: 'request' | 'reply'; hex: string }[] };
  return fixture.datagrams.flatMap(({ direction, hex }) =>
    parseDatagram(splitIgnoredZeroTail(fromHex(hex)).messages).map((m) => ({ ...m, direction, at: m.offset + NLMSG_HDRLEN })),
  );
}

/** The last message of `type` sent in `direction` (the scenario's point, after name lookups). */
export function captured(name: string, type: number, direction: 'request' | 'reply' = 'request'): CapturedMessage {
  const found = capturedMessages(name).filter((m) => m.type === type && m.direction === direction);
  const last = found.at(-1);
  if (!last) throw new Error(`fixture ${name} has no ${direction} of type ${type}`);
  return last;
}

/** Every message of `type` in `direction`. */
export function capturedAll(name: string, type: number, direction: 'request' | 'reply' = 'reply'): CapturedMessage[] {
  return capturedMessages(name).filter((m) => m.type === type && m.direction === direction);
}
