/**
 * What every command of the `netns-ts` CLI receives: where to print, which namespace to work
 * in, the output switches of `ip` (-j -p -d -s), tracing, and a connection factory. The
 * one-shot binary, batch mode and the REPL all build one of these, so a command runs the same
 * way in each (and batch mode reuses its connections across lines).
 */
import type { Connection } from '../netlink/connection.js';

/** How `--trace` / `.trace` prints the messages a connection sends and receives. */
export interface TraceOptions {
  /** Also print each message as hex rows (`--trace=hex`, `.trace hex`). */
  hex: boolean;
  /** Where trace lines go (stderr by default, so stdout stays parseable). */
  write(line: string): void;
}

export interface CliContext {
  /** Print one line of regular output (stdout). */
  out(line: string): void;
  /** Print one line of diagnostics (stderr): warnings, notes. Errors are thrown, not printed. */
  err(line: string): void;
  /** Namespace to work in (`-n NS`, or the REPL's `.netns`); `undefined` = the caller's own. */
  netns?: string;
  /** `-j`: print JSON shaped like `ip -j` / `nft -j`. */
  json: boolean;
  /** `-p`: pretty-print the JSON (indented). */
  pretty: boolean;
  /** `-d`: details (link kind data, etc.). */
  details: boolean;
  /** `-s`: statistics. */
  stats: boolean;
  /** `-4` / `-6` (ip's address family filter); `undefined` = both. */
  family?: 4 | 6;
  /** Set when tracing is on: every message sent and received is printed decoded. */
  trace?: TraceOptions;
  /**
   * A connection for `protocol` (e.g. `NetlinkProtocol.NETLINK_NETFILTER`) inside `this.netns`,
   * with tracing hooked in. Cached per (namespace, protocol) and closed by the CLI when it
   * exits, so commands must not close it themselves. It reads `this.netns`: a context derived
   * with `{ ...ctx, netns: 'blue' }` connects in `blue` (call it as `ctx.connect(…)`).
   */
  connect(protocol: number): Connection;
  /** Stops long-running commands (`ip monitor`): Ctrl-C in the REPL, SIGINT for the binary. */
  signal?: AbortSignal;
  /** Tell the CLI a namespace was deleted (`ip netns del`), so it closes its connections there. */
  netnsDeleted?(name: string): void;
}
