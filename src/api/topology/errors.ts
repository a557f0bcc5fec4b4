import { NetnsError } from '../../netlink/errors.js';

/** Something in the way that this topology did not create: netns-ts will not touch it. */
export class TopologyConflictError extends NetnsError {
  override name = 'TopologyConflictError';
  constructor(readonly object: string, message: string) {
    super(`${object}: ${message}`);
  }
}

/**
 * A step of an apply failed; what that apply had created was rolled back (see `rolledBack`).
 * `step` says what was being done, `cause` the kernel's (or the system's) reason.
 */
export class ApplyError extends NetnsError {
  override name = 'ApplyError';
  constructor(
    readonly step: string,
    override readonly cause: unknown,
    readonly rolledBack: string[],
    readonly rollbackErrors: unknown[],
  ) {
    super(`apply failed at "${step}": ${cause instanceof Error ? cause.message : String(cause)}${rollbackErrors.length ? ` (and ${rollbackErrors.length} rollback step(s) failed)` : ''}`);
  }
}
