/** Shared pieces of the fault tests: a minimal RTM_GETLINK codec and bulk link setup with `ip -batch`. */
import { execFileSync } from 'node:child_process';
import { defineAttributeSet } from '../../../src/netlink/attribute-set.js';
import type { Connection, OutgoingMessage } from '../../../src/netlink/connection.js';
import { cstring } from '../../../src/netlink/fields.js';
import { bodyWriter } from '../../../src/netlink/message.js';
import { defineStruct } from '../../../src/netlink/struct.js';

const ifinfomsg = defineStruct('ifinfomsg', { family: 'u8', _pad: { pad: 1 }, type: 'u16', index: 's32', flags: 'u32', change: 'u32' });
const linkAttrs = defineAttributeSet('link', {
  ifname: { type: 3, codec: cstring }, // IFLA_IFNAME
  linkinfo: { type: 18, codec: defineAttributeSet('linkinfo', { kind: { type: 1, codec: cstring } }) }, // IFLA_LINKINFO
});
export const RTM_NEWLINK = 16;
export const RTM_DELLINK = 17;
export const RTM_GETLINK = 18;

export function linkMessage(type: number, attrs: Parameters<typeof linkAttrs.encode>[1], index = 0): OutgoingMessage {
  const w = bodyWriter();
  ifinfomsg.encode(w, { family: 0, type: 0, index, flags: 0, change: 0 }, 'ifinfomsg');
  linkAttrs.encode(w, attrs, '');
  return { type, payload: w.finish().slice(), spans: w.spans };
}

export interface LinkSummary {
  index: number;
  name: string;
}

export function decodeLinks(messages: Array<{ type: number; payload: Uint8Array }>): LinkSummary[] {
  return messages
    .filter((m) => m.type === RTM_NEWLINK)
    .map((m) => ({ index: ifinfomsg.decodeAt(m.payload, 16, 'ifinfomsg').index, name: linkAttrs.decode(m.payload.subarray(16), 32, '').ifname ?? '' }));
}

export async function dumpLinks(conn: Connection): Promise<LinkSummary[]> {
  return decodeLinks(await conn.dump({ type: RTM_GETLINK, payload: new Uint8Array(16) }));
}

/** Create `count` bridges named PREFIX0… in namespace `netns` with one `ip -batch` run. */
export function addBridges(netns: string, prefix: string, count: number): void {
  const lines = Array.from({ length: count }, (_, i) => `link add ${prefix}${i} type bridge`).join('\n');
  execFileSync('ip', ['-n', netns, '-batch', '-'], { input: `${lines}\n` });
}

/** `ip -n NS -j link` as sorted names. */
export function ipLinkNames(netns: string): string[] {
  return (JSON.parse(execFileSync('ip', ['-n', netns, '-j', 'link'], { encoding: 'utf8' })) as Array<{ ifname: string }>).map((l) => l.ifname).sort();
}
