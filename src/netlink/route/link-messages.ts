/**
 * Link messages (RTM_NEWLINK, RTM_DELLINK, RTM_GETLINK, RTM_SETLINK, and RTM_NEWLINKPROP /
 * RTM_DELLINKPROP for alternative names): struct ifinfomsg, then
 * IFLA_* attributes at the next 4-byte boundary. The attribute set variant is chosen from
 * NLM_F_REQUEST and the header's family (see link-attributes.ts).
 */
import type { AttributeSet } from '../attribute-set.js';
import { DecodeError } from '../errors.js';
import type { FieldCodec } from '../field.js';
import type { MessageCodec } from '../registry.js';
import { align4, type Writer } from '../writer.js';
import { AddressFamily, RtmType } from './constants.js';
import { linkAttributeSet, type LinkAttributes, type LinkFamilyVariant } from './link-attributes.js';
import { directionOf, type Direction } from './link-direction.js';
import { ifinfomsg, type IfInfoMsg } from './link-header.js';

/** A decoded link message body. */
export interface LinkMessage {
  header: IfInfoMsg;
  attributes: LinkAttributes;
}

const ATTRIBUTES_AT = align4(ifinfomsg.size);

function familyVariant(family: number): LinkFamilyVariant {
  if (family === AddressFamily.AF_BRIDGE) return 'bridge';
  if (family === AddressFamily.AF_INET6) return 'inet6';
  return 'unspec';
}

const variants = new Map<string, AttributeSet<any>>();

/** The attribute set for messages of this direction and header family. */
export function linkAttributesFor(direction: Direction, family: number): AttributeSet<any> {
  const variant = familyVariant(family);
  const key = `${direction}/${variant}`;
  let set = variants.get(key);
  if (!set) {
    set = linkAttributeSet(direction, variant, peerCodec);
    variants.set(key, set);
  }
  return set;
}

/** Decode a link message body (everything after nlmsghdr). `at` is its offset, for errors. */
export function decodeLinkMessage(payload: Uint8Array, nlmsgFlags: number, at = 0): LinkMessage {
  if (payload.length < ifinfomsg.size) {
    throw new DecodeError('ifinfomsg', at, `link message of ${payload.length} bytes is shorter than struct ifinfomsg (${ifinfomsg.size})`);
  }
  const header = ifinfomsg.decodeAt(payload, at, 'ifinfomsg');
  const set = linkAttributesFor(directionOf(nlmsgFlags), header.family);
  const attributes = set.decode(payload.subarray(ATTRIBUTES_AT), at + ATTRIBUTES_AT, '') as LinkAttributes;
  return { header, attributes };
}

/** Write a link message body. Attribute spans are recorded under their paths. */
export function encodeLinkMessage(w: Writer, value: LinkMessage, nlmsgFlags: number): void {
  ifinfomsg.encode(w, value.header, 'ifinfomsg');
  w.pad();
  linkAttributesFor(directionOf(nlmsgFlags), value.header.family).encode(w, (value.attributes ?? {}) as never, '');
}

/**
 * VETH_INFO_PEER: a whole link message body nested in an attribute. Its attribute paths are
 * prefixed by the enclosing path (`linkinfo.data.peer.ifname`).
 */
function peerCodec(direction: Direction): FieldCodec<LinkMessage> {
  return {
    kind: 'link-message',
    nested: false,
    decode(bytes, at, path) {
      if (bytes.length < ifinfomsg.size) throw new DecodeError(path, at, `peer of ${bytes.length} bytes is shorter than struct ifinfomsg`);
      const header = ifinfomsg.decodeAt(bytes, at, `${path}.header`);
      const set = linkAttributesFor(direction, header.family);
      return { header, attributes: set.decode(bytes.subarray(ATTRIBUTES_AT), at + ATTRIBUTES_AT, `${path}.attributes`) as LinkAttributes };
    },
    encode(w, value, path) {
      ifinfomsg.encode(w, value.header, `${path}.header`);
      w.pad();
      linkAttributesFor(direction, value.header.family).encode(w, (value.attributes ?? {}) as never, path);
    },
  };
}

function codec(name: string): MessageCodec<LinkMessage> {
  return { name, decode: decodeLinkMessage, encode: encodeLinkMessage };
}

/** Message codecs for the registry, by message type (merged into the route protocol). */
export const linkMessageCodecs: ReadonlyMap<number, MessageCodec> = new Map<number, MessageCodec>([
  [RtmType.RTM_NEWLINK, codec('RTM_NEWLINK') as MessageCodec],
  [RtmType.RTM_DELLINK, codec('RTM_DELLINK') as MessageCodec],
  [RtmType.RTM_GETLINK, codec('RTM_GETLINK') as MessageCodec],
  [RtmType.RTM_SETLINK, codec('RTM_SETLINK') as MessageCodec],
  // Link properties (alternative names) use the same ifinfomsg + IFLA_* body.
  [RtmType.RTM_NEWLINKPROP, codec('RTM_NEWLINKPROP') as MessageCodec],
  [RtmType.RTM_DELLINKPROP, codec('RTM_DELLINKPROP') as MessageCodec],
]);
