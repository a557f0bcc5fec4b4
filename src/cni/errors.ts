/**
 * CNI errors as the specification defines them: a numeric code (1–99 well-known, 100+ for
 * the plugin), a short message and details, printed on stdout as
 * `{ cniVersion, code, msg, details }` with a non-zero exit status.
 */

/** The spec's well-known error codes, plus this plugin's own (100 and up). */
export const CniErrorCode = {
  /** Incompatible CNI version. */
  IncompatibleVersion: 1,
  /** Unsupported field in network configuration (the message names key and value). */
  UnsupportedField: 2,
  /** Container unknown or does not exist. */
  UnknownContainer: 3,
  /** Invalid necessary environment variables (the message names them). */
  InvalidEnvironment: 4,
  /** I/O failure, e.g. stdin could not be read. */
  IoFailure: 5,
  /** Failed to decode content (the network configuration, or an IPAM plugin's output). */
  DecodingFailure: 6,
  /** Invalid network configuration. */
  InvalidNetworkConfig: 7,
  /** Try again later: a transient condition (here: the state lock stayed busy). */
  TryAgainLater: 11,
  /** STATUS: the plugin cannot service ADD requests. */
  NotAvailable: 50,
  /** STATUS: not available, and existing containers may have limited connectivity. */
  NotAvailableLimitedConnectivity: 51,
  /** CHECK found the attachment missing or different from what ADD made. */
  CheckFailed: 100,
  /** The kernel (or the host) refused an operation; details say which and why. */
  OperationFailed: 101,
} as const;
export type CniErrorCodeValue = (typeof CniErrorCode)[keyof typeof CniErrorCode];

/** A failure to report to the runtime in the spec's error format. */
export class CniError extends Error {
  override name = 'CniError';
  readonly code: number;
  readonly details: string;
  constructor(code: number, msg: string, details = '') {
    super(msg);
    this.code = code;
    this.details = details;
  }
}

/** Failures that a retry can cure: the ruleset kept changing under us, or the kernel was slow. */
const TRANSIENT: ReadonlySet<string> = new Set(['OptimisticConflictError', 'RulesetChangedError', 'TimeoutError']);

/** The error object of the spec, as printed on stdout. */
export interface CniErrorJson {
  cniVersion: string;
  code: number;
  msg: string;
  details?: string;
}

/**
 * Any thrown value as a CNI error: CniError as is; netns-ts's ValidationError is bad input
 * (invalid network configuration); kernel refusals keep the errno name and the attribute the
 * kernel named; anything else is an operation failure with its message.
 */
export function toCniError(err: unknown): CniError {
  if (err instanceof CniError) return err;
  if (err instanceof Error) {
    if (err.name === 'ValidationError') return new CniError(CniErrorCode.InvalidNetworkConfig, err.message);
    if (TRANSIENT.has(err.name)) return new CniError(CniErrorCode.TryAgainLater, err.message, err.name);
    const e = err as Error & { code?: unknown; attribute?: unknown; extack?: unknown };
    const parts = [typeof e.code === 'string' ? e.code : undefined, typeof e.attribute === 'string' ? `attribute ${e.attribute}` : undefined];
    return new CniError(CniErrorCode.OperationFailed, err.message, parts.filter((p) => p !== undefined).join('; '));
  }
  return new CniError(CniErrorCode.OperationFailed, String(err));
}

export function errorJson(err: CniError, cniVersion: string): CniErrorJson {
  const out: CniErrorJson = { cniVersion, code: err.code, msg: err.message };
  if (err.details !== '') out.details = err.details;
  return out;
}
