/**
 * `--trace` / `.trace on|hex`: every datagram a CLI connection sends or receives, decoded with
 * the registered codecs and printed as a tree (direction, type, flags by name, seq, port,
 * attributes), optionally followed by hex rows. Bytes that do not decode are shown as hex with
 * the decode error, never dropped.
 */
import type { ConnectionOptions } from '../netlink/connection.js';
import { NLMSG_HDRLEN } from '../netlink/constants.js';
import { parseDatagram } from '../netlink/message.js';
import { decodeMessage, registeredProtocols } from '../netlink/registry.js';
import type { TraceOptions } from './context.js';
import { messageLines } from './message-text.js';
import { hexRows } from './tree.js';

/** The registered codec name (`route`, `netfilter`) of a netlink protocol number. */
export function protocolName(protocol: number): string | undefined {
  return registeredProtocols().find((p) => p.protocol === protocol)?.name;
}

/** Lines describing one datagram. */
export function traceLines(protocol: number, direction: 'send' | 'receive', data: Uint8Array, groups: number, hex: boolean): string[] {
  const arrow = direction === 'send' ? 'send' : 'recv';
  const via = groups !== 0 ? ` (multicast group mask 0x${groups.toString(16)})` : '';
  const out: string[] = [];
  let shown = 0;
  try {
    const name = protocolName(protocol);
    // Each message with its own hex rows, so a long dump reads message by message.
    for (const m of parseDatagram(data)) {
      out.push(...messageLines(decodeMessage(name, m), `${arrow}${via} `, '    '));
      shown = m.offset + NLMSG_HDRLEN + m.payload.length;
      if (hex) out.push(...hexRows(data.subarray(m.offset, shown), '    '));
    }
  } catch (err) {
    out.push(`${arrow}${via} ${data.length - shown} bytes that do not decode: ${(err as Error).message}`);
    out.push(...hexRows(data.subarray(shown), '    '));
  }
  return out;
}

/** A Connection `trace` option that prints while `current()` returns trace options. */
export function traceHook(protocol: number, current: () => TraceOptions | undefined): NonNullable<ConnectionOptions['trace']> {
  return (direction, data, _port, groups) => {
    const t = current();
    if (t === undefined) return;
    for (const line of traceLines(protocol, direction, data, groups, t.hex)) t.write(line);
  };
}
