/**
 * A batch as a pure value: commands between NFNL_MSG_BATCH_BEGIN and NFNL_MSG_BATCH_END,
 * optionally pinned to a ruleset generation (NFNL_BATCH_GENID). The kernel applies a batch all
 * or nothing. Serializing writes every message body into one buffer (one Writer for the whole
 * batch, however large, recording no spans: a message's spans are found again if asked for),
 * so a 10,000-rule batch costs no per-message allocations beyond the views handed to the
 * connection, which sends it as one datagram.
 */
import { NlmFlags } from '../netlink/constants.js';
import type { OutgoingMessage } from '../netlink/connection.js';
import { ValidationError } from '../netlink/errors.js';
import { NLMSG_HDRLEN } from '../netlink/constants.js';
import { bodyWriter } from '../netlink/message.js';
import { Writer, type AttributeSpan } from '../netlink/writer.js';
import { batchAttributes } from './batch-delimiters.js';
import { describeCommand, type NftCommand } from './command.js';
import { NfnlMsg, NfnlSubsys, NftMsg } from './constants.js';
import { nftMessageType, writeNfgenmsg } from './nfgenmsg.js';
import { PreparedRuleCommand } from './prepared-rule.js';
import { nftMessageCodecs } from './protocol.js';
import { writeRuleBody } from './rule-body.js';

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
/** BATCH_BEGIN and BATCH_END around the commands. */
const BATCH_DELIMITERS = 2;
/** Initial buffer per command (a DNAT rule is about 360 bytes; the buffer grows as needed). */
const BYTES_PER_COMMAND = 512;

/** Write a batch delimiter's body (nfgenmsg and the optional generation id). */
function writeDelimiter(w: Writer, genid: number | undefined): void {
  writeNfgenmsg(w, 'unspec', NfnlSubsys.NFNL_SUBSYS_NFTABLES);
  batchAttributes.encode(w, genid === undefined ? {} : { genid }, '');
}

/** Write a command's body. @throws ValidationError (naming the command) when it does not encode. */
function writeCommand(w: Writer, command: NftCommand, i: number): void {
  // A prepared rule's body is its template's bytes with the values in (checked when added).
  if (command instanceof PreparedRuleCommand) return command.writeBody(w);
  // An `add rule` built in code, written straight (the same bytes; anything else declined).
  if (writeRuleBody(w, command)) return;
  const msg = NftMsg[command.type as keyof typeof NftMsg];
  const codec = msg === undefined ? undefined : nftMessageCodecs.get(msg);
  if (!codec) throw new ValidationError(`batch.commands[${i}].type`, `is not an nf_tables message type`, command.type);
  try {
    codec.encode(w, { family: command.family, version: 0, resId: 0, attributes: command.attributes }, 0);
  } catch (err) {
    if (err instanceof ValidationError) throw new ValidationError(`batch.commands[${i}] (${describeCommand(command)}).${err.field}`, err.message.slice(err.field.length + 2), err.value);
    throw err;
  }
}

/**
 * The spans of one message, relative to its nlmsghdr: found by writing its body again, alone,
 * with spans recorded. The batch itself records none (half a million attributes for 10,000
 * rules); spans are wanted only when the kernel rejects a message, to name the attribute.
 */
function spansOfBody(write: (w: Writer) => void): AttributeSpan[] {
  const w = bodyWriter();
  write(w);
  return w.spans;
}

/**
 * A message of an encoded batch. Its spans are found again when read (spansOfBody): they are
 * wanted only if the kernel rejects it, and recording them for every attribute of every
 * message would cost more than the rest of the encoding.
 */
class CommandMessage implements OutgoingMessage {
  readonly type: number;
  private found: AttributeSpan[] | undefined;
  constructor(
    readonly flags: number,
    readonly payload: Uint8Array,
    private readonly command: NftCommand,
    private readonly index: number,
    private readonly description: string,
  ) {
    this.type = nftMessageType(NftMsg[command.type]);
  }

  get spans(): AttributeSpan[] {
    const command = this.command;
    if (command instanceof PreparedRuleCommand) return command.spans;
    return (this.found ??= spansOfBody((w) => writeCommand(w, command, this.index)));
  }

  get typeName(): string {
    return `${this.command.type} (${this.description})`;
  }
}

class DelimiterMessage implements OutgoingMessage {
  private found: AttributeSpan[] | undefined;
  constructor(
    readonly type: number,
    readonly flags: number,
    readonly payload: Uint8Array,
    private readonly genid: number | undefined,
  ) {}

  get spans(): AttributeSpan[] {
    return (this.found ??= spansOfBody((w) => writeDelimiter(w, this.genid)));
  }

  get typeName(): string {
    return this.type === NfnlMsg.NFNL_MSG_BATCH_BEGIN ? 'NFNL_MSG_BATCH_BEGIN' : 'NFNL_MSG_BATCH_END';
  }
}

/** Serialize a batch. @throws ValidationError for a command that does not encode. */
export function encodeBatch(b: NftBatch, options: EncodeOptions = {}): EncodedBatch {
  if (!b || !Array.isArray(b.commands)) throw new ValidationError('batch.commands', 'must be an array of commands', b);
  if (b.genid !== undefined && (!Number.isInteger(b.genid) || b.genid < 0 || b.genid > U32_MAX)) throw new ValidationError('batch.genid', 'must be a u32 generation id', b.genid);
  const ackFlag = options.ack === 'each' ? NlmFlags.NLM_F_ACK : 0;
  const w = new Writer(Math.max(BYTES_PER_COMMAND, (b.commands.length + BATCH_DELIMITERS) * BYTES_PER_COMMAND), 0, { spans: false });
  // Where each message body starts in the shared buffer (the last entry: where the batch ends).
  const starts: number[] = [];
  starts.push(w.length);
  writeDelimiter(w, b.genid);
  for (let i = 0; i < b.commands.length; i++) {
    starts.push(w.length);
    writeCommand(w, b.commands[i]!, i);
  }
  starts.push(w.length);
  writeDelimiter(w, undefined);
  starts.push(w.length);
  const bytes = w.finish();
  const size = bytes.length + NLMSG_HDRLEN * (starts.length - 1);
  const last = starts.length - 2;
  const descriptions: string[] = [];
  const messages: OutgoingMessage[] = [];
  for (let i = 0; i <= last; i++) {
    const payload = bytes.subarray(starts[i]!, starts[i + 1]!);
    // An ack for BATCH_END comes only after a successful commit: the batch's confirmation.
    if (i === 0) messages.push(new DelimiterMessage(NfnlMsg.NFNL_MSG_BATCH_BEGIN, 0, payload, b.genid));
    else if (i === last) messages.push(new DelimiterMessage(NfnlMsg.NFNL_MSG_BATCH_END, NlmFlags.NLM_F_ACK, payload, undefined));
    else {
      const command = b.commands[i - 1]!;
      const description = describeCommand(command);
      descriptions.push(description);
      messages.push(new CommandMessage((command.flags ?? 0) | ackFlag, payload, command, i - 1, description));
    }
  }
  return { messages, size, descriptions };
}
