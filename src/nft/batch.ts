/**
 * A batch as a pure value: commands between NFNL_MSG_BATCH_BEGIN and NFNL_MSG_BATCH_END,
 * optionally pinned to a ruleset generation (NFNL_BATCH_GENID). The kernel applies a batch all
 * or nothing. Serializing writes every message body into one buffer (one Writer for the whole
 * batch, however large), so a 10,000-rule batch costs no per-message allocations beyond the
 * views handed to the connection, which sends it as one datagram.
 */
import { NlmFlags } from '../netlink/constants.js';
import type { OutgoingMessage } from '../netlink/connection.js';
import { ValidationError } from '../netlink/errors.js';
import { NLMSG_HDRLEN } from '../netlink/constants.js';
import { Writer, type AttributeSpan } from '../netlink/writer.js';
import { batchAttributes } from './batch-delimiters.js';
import { describeCommand, type NftCommand } from './command.js';
import { NfnlMsg, NfnlSubsys, NftMsg } from './constants.js';
import { nftMessageType, writeNfgenmsg } from './nfgenmsg.js';
import { nftMessageCodecs } from './protocol.js';

/** A batch: the commands, in order, and optionally the generation it was computed against. */
export interface NftBatch {
  commands: readonly NftCommand[];
  /**
   * NFNL_BATCH_GENID: apply only if the ruleset is still at this generation; otherwise the
   * kernel refuses the whole batch with ERESTART (see {@link NftGenerationChangedError}).
   */
  genid?: number;
}

/** Build a batch value. */
export function batch(commands: readonly NftCommand[], options: { genid?: number } = {}): NftBatch {
  return options.genid === undefined ? { commands } : { commands, genid: options.genid };
}

export interface EncodeOptions {
  /**
   * `errors` (default, as nft does): the kernel answers only the commands that fail, each
   * error mapped back to its command, and acks BATCH_END once the batch is committed.
   * `each`: every command is acked as well (10,000 more replies for 10,000 rules; the receive
   * buffer is grown to hold them).
   */
  ack?: 'each' | 'errors';
}

export interface EncodedBatch {
  /** BATCH_BEGIN, the commands, BATCH_END: what `Connection.batch` sends as one datagram. */
  messages: OutgoingMessage[];
  /** Total datagram size in bytes (headers included). */
  size: number;
  /** What each command does in nft's words (`add rule ip nat POSTROUTING`), by index. */
  descriptions: string[];
}

const U32_MAX = 0xffffffff;
/** Initial buffer per command (a DNAT rule is about 360 bytes; the buffer grows as needed). */
const BYTES_PER_COMMAND = 256;

/** Serialize a batch. @throws ValidationError for a command that does not encode. */
export function encodeBatch(b: NftBatch, options: EncodeOptions = {}): EncodedBatch {
  if (!b || !Array.isArray(b.commands)) throw new ValidationError('batch.commands', 'must be an array of commands', b);
  if (b.genid !== undefined && (!Number.isInteger(b.genid) || b.genid < 0 || b.genid > U32_MAX)) throw new ValidationError('batch.genid', 'must be a u32 generation id', b.genid);
  const ackFlag = options.ack === 'each' ? NlmFlags.NLM_F_ACK : 0;
  const w = new Writer(Math.max(BYTES_PER_COMMAND, b.commands.length * BYTES_PER_COMMAND));
  const bounds: { start: number; end: number; spanFrom: number; spanTo: number }[] = [];
  const delimiter = (genid: number | undefined): void => {
    const start = w.length;
    const spanFrom = w.spans.length;
    writeNfgenmsg(w, 'unspec', NfnlSubsys.NFNL_SUBSYS_NFTABLES);
    batchAttributes.encode(w, genid === undefined ? {} : { genid }, '');
    bounds.push({ start, end: w.length, spanFrom, spanTo: w.spans.length });
  };
  delimiter(b.genid);
  b.commands.forEach((command, i) => {
    const start = w.length;
    const spanFrom = w.spans.length;
    const msg = NftMsg[command.type as keyof typeof NftMsg];
    const codec = msg === undefined ? undefined : nftMessageCodecs.get(msg);
    if (!codec) throw new ValidationError(`batch.commands[${i}].type`, `is not an nf_tables message type`, command.type);
    try {
      codec.encode(w, { family: command.family, version: 0, resId: 0, attributes: command.attributes }, 0);
    } catch (err) {
      if (err instanceof ValidationError) throw new ValidationError(`batch.commands[${i}] (${describeCommand(command)}).${err.field}`, err.message.slice(err.field.length + 2), err.value);
      throw err;
    }
    bounds.push({ start, end: w.length, spanFrom, spanTo: w.spans.length });
  });
  delimiter(undefined);
  const bytes = w.finish();
  const spans = w.spans;
  let size = 0;
  const descriptions: string[] = [];
  const messages = bounds.map((bound, i): OutgoingMessage => {
    // Spans were recorded relative to the shared buffer; make them relative to each message's
    // nlmsghdr, as the connection expects for mapping extack offsets to attribute names.
    const shift = NLMSG_HDRLEN - bound.start;
    const own: AttributeSpan[] = spans.slice(bound.spanFrom, bound.spanTo);
    for (const s of own) {
      s.start += shift;
      s.end += shift;
    }
    size += NLMSG_HDRLEN + bound.end - bound.start;
    if (i === 0) return { type: NfnlMsg.NFNL_MSG_BATCH_BEGIN, flags: 0, payload: bytes.subarray(bound.start, bound.end), spans: own, typeName: 'NFNL_MSG_BATCH_BEGIN' };
    // An ack for BATCH_END comes only after a successful commit: the batch's confirmation.
    if (i === bounds.length - 1) return { type: NfnlMsg.NFNL_MSG_BATCH_END, flags: NlmFlags.NLM_F_ACK, payload: bytes.subarray(bound.start, bound.end), spans: own, typeName: 'NFNL_MSG_BATCH_END' };
    const command = b.commands[i - 1]!;
    const type = nftMessageType(NftMsg[command.type]);
    const description = describeCommand(command);
    descriptions.push(description);
    return { type, flags: (command.flags ?? 0) | ackFlag, payload: bytes.subarray(bound.start, bound.end), spans: own, typeName: `${command.type} (${description})` };
  });
  return { messages, size, descriptions };
}
