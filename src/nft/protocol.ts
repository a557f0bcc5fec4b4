/**
 * The netfilter protocol (NETLINK_NETFILTER) for the message registry: a codec for every
 * nf_tables message type and for the batch delimiters, so fixtures, `netns-ts decode` and
 * the trace can show any datagram nft or netns-ts exchanges with the kernel. Message types of
 * other nfnetlink subsystems (conntrack, queue …) are left to the registry's raw fallback.
 */
import type { FieldCodec } from '../netlink/field.js';
import type { MessageCodec, ProtocolCodec } from '../netlink/registry.js';
import { NetlinkProtocol } from '../netlink/constants.js';
import { batchAttributes } from './batch-delimiters.js';
import { chainAttributes } from './chain.js';
import { NfnlMsg, NfnlSubsys, NftMsg, type NftMsgName } from './constants.js';
import { flowtableAttributes } from './flowtable.js';
import { genAttributes } from './gen.js';
import { messageOf, nfnlMessageCodec, subsystemOf } from './nfgenmsg.js';
import { objectAttributes } from './object.js';
import { ruleAttributes } from './rule.js';
import { setElementMessageAttributes } from './set-element.js';
import { setAttributes } from './set.js';
import { tableAttributes } from './table.js';
import { traceAttributes } from './trace.js';

/** Which attribute set each nf_tables message type carries. */
const ATTRIBUTES_BY_MESSAGE: Record<NftMsgName, FieldCodec<any>> = {
  NFT_MSG_NEWTABLE: tableAttributes,
  NFT_MSG_GETTABLE: tableAttributes,
  NFT_MSG_DELTABLE: tableAttributes,
  NFT_MSG_DESTROYTABLE: tableAttributes,
  NFT_MSG_NEWCHAIN: chainAttributes,
  NFT_MSG_GETCHAIN: chainAttributes,
  NFT_MSG_DELCHAIN: chainAttributes,
  NFT_MSG_DESTROYCHAIN: chainAttributes,
  NFT_MSG_NEWRULE: ruleAttributes,
  NFT_MSG_GETRULE: ruleAttributes,
  NFT_MSG_GETRULE_RESET: ruleAttributes,
  NFT_MSG_DELRULE: ruleAttributes,
  NFT_MSG_DESTROYRULE: ruleAttributes,
  NFT_MSG_NEWSET: setAttributes,
  NFT_MSG_GETSET: setAttributes,
  NFT_MSG_DELSET: setAttributes,
  NFT_MSG_DESTROYSET: setAttributes,
  NFT_MSG_NEWSETELEM: setElementMessageAttributes,
  NFT_MSG_GETSETELEM: setElementMessageAttributes,
  NFT_MSG_GETSETELEM_RESET: setElementMessageAttributes,
  NFT_MSG_DELSETELEM: setElementMessageAttributes,
  NFT_MSG_DESTROYSETELEM: setElementMessageAttributes,
  NFT_MSG_NEWGEN: genAttributes,
  NFT_MSG_GETGEN: genAttributes,
  NFT_MSG_TRACE: traceAttributes,
  NFT_MSG_NEWOBJ: objectAttributes,
  NFT_MSG_GETOBJ: objectAttributes,
  NFT_MSG_GETOBJ_RESET: objectAttributes,
  NFT_MSG_DELOBJ: objectAttributes,
  NFT_MSG_DESTROYOBJ: objectAttributes,
  NFT_MSG_NEWFLOWTABLE: flowtableAttributes,
  NFT_MSG_GETFLOWTABLE: flowtableAttributes,
  NFT_MSG_DELFLOWTABLE: flowtableAttributes,
  NFT_MSG_DESTROYFLOWTABLE: flowtableAttributes,
};

/** Message codecs by NFT_MSG_* number (without the subsystem byte). */
export const nftMessageCodecs: ReadonlyMap<number, MessageCodec> = new Map(
  (Object.entries(ATTRIBUTES_BY_MESSAGE) as [NftMsgName, FieldCodec<unknown>][]).map(([name, set]) => [NftMsg[name], nfnlMessageCodec(name, set) as MessageCodec]),
);

const batchCodecs: ReadonlyMap<number, MessageCodec> = new Map([
  [NfnlMsg.NFNL_MSG_BATCH_BEGIN, nfnlMessageCodec('NFNL_MSG_BATCH_BEGIN', batchAttributes) as MessageCodec],
  [NfnlMsg.NFNL_MSG_BATCH_END, nfnlMessageCodec('NFNL_MSG_BATCH_END', batchAttributes) as MessageCodec],
]);

/** The codec of a full netlink message type (subsystem byte included), if known. */
export function netfilterMessageCodec(type: number): MessageCodec | undefined {
  const batch = batchCodecs.get(type);
  if (batch) return batch;
  if (subsystemOf(type) !== NfnlSubsys.NFNL_SUBSYS_NFTABLES) return undefined;
  return nftMessageCodecs.get(messageOf(type));
}

/** NETLINK_NETFILTER for the registry: `registerProtocol(netfilterProtocol)`. */
export const netfilterProtocol: ProtocolCodec = {
  name: 'netfilter',
  protocol: NetlinkProtocol.NETLINK_NETFILTER,
  messageCodec: netfilterMessageCodec,
};

/** `NFT_MSG_NEWRULE`-style name of a message type, for errors and traces. */
export function netfilterTypeName(type: number): string | undefined {
  return netfilterMessageCodec(type)?.name;
}
