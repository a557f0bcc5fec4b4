/**
 * How a batch fails. nf_tables applies a batch all or nothing, so one failed command means
 * none of the batch took effect, whatever the kernel acked for the others.
 */
import { describeErrno } from '../netlink/constants.js';
import { NetnsError, type NetlinkError } from '../netlink/errors.js';
import { ERESTART } from './constants.js';

/** `ENOENT (no such file or directory): extack text [attribute chain]` */
function reason(e: NetlinkError): string {
  // libuv has no name for ERESTART; the kernel uses it for a stale NFNL_BATCH_GENID.
  const { code, description } = e.errno === ERESTART ? { code: 'ERESTART', description: 'ruleset generation changed' } : describeErrno(e.errno);
  return `${code} (${description})${e.extack ? `: ${e.extack}` : ''}${e.attribute ? ` [attribute ${e.attribute}]` : ''}`;
}

/** One command the kernel refused. */
export interface CommandFailure {
  /** Index in `batch.commands`. */
  index: number;
  /** nft's words for the command, e.g. `add rule ip nat POSTROUTING`. */
  description: string;
  /** The kernel's errno, extack message and the attribute it pointed at. */
  error: NetlinkError;
}

/** The batch was not applied: nothing in it took effect. */
export class NftBatchError extends NetnsError {
  override name = 'NftBatchError';
  /** Every command the kernel refused, in batch order (empty when the batch as a whole was refused). */
  readonly failures: readonly CommandFailure[];
  /** Set when the kernel refused the batch as a whole (BATCH_BEGIN or BATCH_END answered with an error). */
  readonly batchError?: NetlinkError;
  /** Set when replies were lost and re-reading the ruleset showed the batch was not applied. */
  readonly verified?: 'not-applied';
  constructor(init: { failures?: readonly CommandFailure[]; batchError?: NetlinkError; verified?: 'not-applied'; message?: string }) {
    const failures = init.failures ?? [];
    const first = failures[0];
    const more = failures.length > 1 ? ` (and ${failures.length - 1} more failed command${failures.length > 2 ? 's' : ''})` : '';
    const message = init.message
      ?? (first ? `batch not applied: command ${first.index} (${first.description}) failed: ${reason(first.error)}${more}` : `batch not applied: ${init.batchError ? reason(init.batchError) : 'refused by the kernel'}`);
    super(message);
    this.failures = failures;
    if (init.batchError) this.batchError = init.batchError;
    if (init.verified) this.verified = init.verified;
  }

  /** The first refused command. */
  get firstFailure(): CommandFailure | undefined {
    return this.failures[0];
  }
}

/**
 * The batch carried NFNL_BATCH_GENID and the ruleset had moved on (ERESTART): nothing was
 * applied. Re-read the ruleset, recompute the batch, and try again.
 */
export class NftGenerationChangedError extends NftBatchError {
  override name = 'NftGenerationChangedError';
  /** The generation the batch was computed against. */
  readonly expected: number;
  constructor(expected: number, batchError: NetlinkError) {
    super({ batchError, message: `batch not applied: the ruleset is no longer at generation ${expected} (ERESTART); re-read and retry` });
    this.expected = expected;
  }
}
