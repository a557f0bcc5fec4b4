/** ctnetlink message codecs (for decoding, tracing and fixtures). */
import type { MessageCodec } from '../netlink/registry.js';
import { nfnlMessageCodec } from '../nft/nfgenmsg.js';
import { NfnlSubsys, NFNL_SUBSYS_SHIFT } from '../nft/constants.js';
import { conntrackAttributes } from './attributes.js';
import { CtMsg, ctMsgName } from './constants.js';

export function ctMessageType(msg: number): number {
  return (NfnlSubsys.NFNL_SUBSYS_CTNETLINK << NFNL_SUBSYS_SHIFT) | msg;
}

/** Message type → codec, for the ctnetlink messages netns-ts sends and receives. */
export const conntrackMessageCodecs: ReadonlyMap<number, MessageCodec> = new Map(
  [CtMsg.IPCTNL_MSG_CT_NEW, CtMsg.IPCTNL_MSG_CT_GET, CtMsg.IPCTNL_MSG_CT_DELETE].map((msg) => [
    ctMessageType(msg),
    nfnlMessageCodec(ctMsgName.get(msg)!, conntrackAttributes) as MessageCodec,
  ]),
);
