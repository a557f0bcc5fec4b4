/**
 * veth (<linux/veth.h>). The kernel reports no IFLA_INFO_DATA for veth links (the peer shows
 * as IFLA_LINK and IFLA_LINK_NETNSID); requests carry the peer to create in VETH_INFO_PEER:
 * a whole ifinfomsg + link attributes, which may name another namespace (IFLA_NET_NS_FD).
 */
import { defineAttributeSet, type AttributeValues } from '../../attribute-set.js';
import type { FieldCodec } from '../../field.js';
import type { LinkKindCodecs } from './common.js';

export const VethInfo = {
  VETH_INFO_PEER: 1,
} as const;

function vethData<P>(peer: FieldCodec<P>) {
  return defineAttributeSet('veth', {
    peer: { type: VethInfo.VETH_INFO_PEER, codec: peer },
  }, { nested: false });
}

/** IFLA_INFO_DATA of a veth request; `peer` is `{ header, attributes }` of the peer link. */
export type VethData<P = unknown> = AttributeValues<ReturnType<typeof vethData<P>>['specs']>;

export const vethKind: LinkKindCodecs = {
  kind: 'veth',
  data: (context) => vethData(context.linkMessage),
};
