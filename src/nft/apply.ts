/**
 * Sending a batch and reading the outcome. Every reply is mapped back to its command. nf_tables
 * applies a batch all or nothing: if any command (or the batch as a whole) failed, nothing was
 * applied — acks the kernel sent for the other commands mean only that they were valid — and
 * the error names the failed command and the kernel's reason. A batch is never split: the
 * socket buffers are grown to hold it and its replies. If replies were lost anyway (the
 * receive buffer overran), the ruleset is re-read to decide whether the batch was committed.
 */
import type { BatchOutcome, Connection, RequestOptions } from '../netlink/connection.js';
import { BatchOutcomeUnknownError, OutcomeUnknownError } from '../netlink/errors.js';
import { NLMSG_HDRLEN, NlmFlags } from '../netlink/constants.js';
import type { NetlinkMessage } from '../netlink/message.js';
import { NftBatchError, NftGenerationChangedError, type CommandFailure } from './batch-errors.js';
import { encodeBatch, type EncodeOptions, type NftBatch } from './batch.js';
import { ERESTART, NftMsg } from './constants.js';
import { nftMessageType, type NfnlBody } from './nfgenmsg.js';
import { netfilterMessageCodec } from './protocol.js';
import { readGeneration } from './reader.js';
import { bufferNeeds, ensureBuffers, repliesMayBeLost } from './socket-buffers.js';
import { verifyBatch } from './verify.js';

/** BATCH_BEGIN and BATCH_END, which may be answered too. */
const BATCH_DELIMITERS = 2;

export interface ApplyOptions extends RequestOptions, EncodeOptions {
  /** Grow the socket's send and receive buffers to fit the batch and its replies (default true). */
  autosizeBuffers?: boolean;
  /**
   * When replies are lost, re-read the ruleset to decide the outcome (default true). For that
   * the generation is read before the batch, when its replies could be lost at all: another
   * request in flight on the connection, a multicast group joined, or a receive buffer smaller
   * than every reply the batch could bring. Otherwise it is left out (a round trip), and should
   * replies be lost all the same, a batch not applied is reported unknown (OutcomeUnknownError).
   */
  verify?: boolean;
}

/** A message the kernel echoed for a command (NLM_F_ECHO), decoded. */
export interface EchoedMessage {
  type: number;
  typeName: string | undefined;
  body: NfnlBody<Record<string, unknown>>;
}

export interface CommandResult {
  index: number;
  description: string;
  /**
   * `acked`: the kernel acknowledged it (ack mode `each`); `silent`: no reply, as expected in
   * ack mode `errors` (the default) once BATCH_END is acked; `unverified`: replies were lost
   * and the ruleset shows the batch applied.
   */
  status: 'acked' | 'silent' | 'unverified';
  /** Echoed objects (with the handles the kernel assigned), when the command asked for them. */
  echo: EchoedMessage[];
}

export interface BatchResult {
  /**
   * `committed`: the replies say so. `committed-after-verification`: replies were lost
   * (ENOBUFS) and re-reading the ruleset showed the batch's effect.
   */
  status: 'committed' | 'committed-after-verification';
  commands: CommandResult[];
  /** The generation after the commit, when the kernel reported it (echo) or it was re-read. */
  generation?: number;
}

function decodeEcho(messages: NetlinkMessage[]): EchoedMessage[] {
  return messages.map((m) => {
    const codec = netfilterMessageCodec(m.type);
    const body = (codec ? codec.decode(m.payload, m.flags, m.offset + NLMSG_HDRLEN) : { raw: m.payload.slice() }) as NfnlBody<Record<string, unknown>>;
    return { type: m.type, typeName: codec?.name, body };
  });
}

/** The handle the kernel assigned, from a command's echo (rules, tables, chains, sets, objects). */
export function echoedHandle(result: CommandResult): bigint | undefined {
  for (const e of result.echo) {
    const h = e.body?.attributes?.handle;
    if (typeof h === 'bigint' && e.typeName !== 'NFT_MSG_NEWGEN') return h;
  }
  return undefined;
}

function interpret(b: NftBatch, descriptions: readonly string[], outcomes: BatchOutcome[], ackEach: boolean): BatchResult | 'lost' {
  const begin = outcomes[0]!;
  const end = outcomes[outcomes.length - 1]!;
  if (begin.status === 'failed') {
    if (begin.error.errno === ERESTART && b.genid !== undefined) throw new NftGenerationChangedError(b.genid, begin.error);
    throw new NftBatchError({ batchError: begin.error });
  }
  const failures: CommandFailure[] = [];
  let silent = 0;
  const commands: CommandResult[] = b.commands.map((_command, index) => {
    const o = outcomes[index + 1]!;
    const description = descriptions[index]!;
    if (o.status === 'failed') failures.push({ index, description, error: o.error });
    if (o.status === 'silent') silent++;
    return { index, description, status: o.status === 'acked' ? 'acked' : 'silent', echo: o.messages.length ? decodeEcho(o.messages) : [] };
  });
  if (failures.length > 0) throw new NftBatchError({ failures });
  if (end.status === 'failed') throw new NftBatchError({ batchError: end.error });
  // The kernel acks BATCH_END only once the batch is committed: that settles it. Without that
  // ack (replies lost, or a kernel that does not ack BATCH_END) the ruleset must tell.
  if (end.status !== 'acked') return 'lost';
  if (ackEach && silent > 0) return 'lost';
  let generation: number | undefined;
  const newgen = nftMessageType(NftMsg.NFT_MSG_NEWGEN);
  for (const c of commands) for (const e of c.echo) if (e.type === newgen) generation = e.body.attributes.id as number;
  return { status: 'committed', commands, ...(generation !== undefined ? { generation } : {}) };
}

/**
 * The replies that arrived although others were lost (ENOBUFS). A failure among them settles
 * the batch (all or nothing: not applied), and so does the ack of BATCH_END (committed) —
 * unless a command's echo may be among the lost, or every command was to be acked; otherwise
 * the ruleset must tell ('lost').
 */
function interpretPartial(b: NftBatch, descriptions: readonly string[], partial: ReadonlyArray<BatchOutcome | undefined>, ackEach: boolean): BatchResult | 'lost' {
  const echoLost = b.commands.some((c, i) => ((c.flags ?? 0) & NlmFlags.NLM_F_ECHO) !== 0 && partial[i + 1] === undefined);
  if (echoLost && !partial.some((o) => o?.status === 'failed')) return 'lost';
  // Nothing arrived for a message: silent as far as is known (interpret then asks the ruleset
  // unless BATCH_END's ack arrived).
  const outcomes = partial.map((o): BatchOutcome => o ?? { status: 'silent', seq: 0, messages: [] });
  return interpret(b, descriptions, outcomes, ackEach);
}

/**
 * Send `b` as one nfnetlink batch and report the outcome.
 * @throws NftBatchError (nothing applied: which command failed and why), NftGenerationChangedError
 *   (the batch's NFNL_BATCH_GENID is stale), OutcomeUnknownError (replies lost and the ruleset
 *   cannot tell), ValidationError (bad input; nothing sent).
 */
export async function applyBatch(conn: Connection, b: NftBatch, options: ApplyOptions = {}): Promise<BatchResult> {
  const encoded = encodeBatch(b, options);
  if (b.commands.length === 0) return { status: 'committed', commands: [] };
  const verify = options.verify ?? true;
  const echoBytes = b.commands.some((c) => (c.flags ?? 0) & NlmFlags.NLM_F_ECHO) ? encoded.size : 0;
  let receive: number | undefined;
  if (options.autosizeBuffers ?? true) {
    const acks = options.ack === 'each' ? b.commands.length : 0;
    receive = ensureBuffers(conn, bufferNeeds(encoded.size, acks + BATCH_DELIMITERS, echoBytes));
  }
  // The generation before the batch lets a batch whose replies were lost be verified (was it
  // applied or not?). It is read only when replies could be lost: it is a round trip of its own,
  // which the C floor does not make (about 0.1 ms of a small setup: bench/scripts/setup-ab.mjs).
  // Should replies be lost all the same, verifying without it still tells an applied batch; one
  // not applied is then reported unknown rather than not applied.
  const mayLose = verify && b.genid === undefined && repliesMayBeLost(conn, b.commands.length + BATCH_DELIMITERS, echoBytes, receive);
  const before = b.genid ?? (mayLose ? await readGeneration(conn, options) : undefined);
  let result: BatchResult | 'lost';
  try {
    result = interpret(b, encoded.descriptions, await conn.batch(encoded.messages, options), options.ack === 'each');
  } catch (err) {
    if (!(err instanceof OutcomeUnknownError)) throw err;
    result = err instanceof BatchOutcomeUnknownError ? interpretPartial(b, encoded.descriptions, err.outcomes, options.ack === 'each') : 'lost';
    if (result === 'lost' && !verify) throw err;
  }
  if (result !== 'lost') return result;
  const summary = { type: encoded.messages[0]!.type, typeName: 'NFNL_MSG_BATCH_BEGIN', flags: 0, seq: 0 };
  if (!verify) throw new OutcomeUnknownError(summary, 'replies to the batch were lost; the ruleset was not re-read (verify: false)');
  const verdict = await verifyBatch(conn, b.commands, before, options);
  if (verdict.verdict === 'applied') {
    return {
      status: 'committed-after-verification',
      generation: verdict.generation,
      commands: encoded.descriptions.map((description, index) => ({ index, description, status: 'unverified', echo: [] })),
    };
  }
  if (verdict.verdict === 'not-applied') {
    throw new NftBatchError({ verified: 'not-applied', message: `batch not applied: replies were lost (receive buffer overran) and re-reading the ruleset shows ${verdict.reason}` });
  }
  throw new OutcomeUnknownError(
    summary,
    `replies were lost (receive buffer overran) and re-reading the ruleset cannot tell whether the batch was applied: ${verdict.reason}`,
  );
}
