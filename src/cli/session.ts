/**
 * The state one run of the CLI keeps across commands: where output goes, the default
 * namespace (the REPL's `.netns`), tracing, and the open connections — one per namespace and
 * protocol, reused by every following command (batch mode depends on it to be fast) and closed
 * when the session ends.
 */
import type { Connection, ConnectionOptions } from '../netlink/connection.js';
import { messageTypeName } from '../netlink/registry.js';
import { connectInNetns } from '../netns/connect.js';
import type { CliContext, TraceOptions } from './context.js';
import { protocolName, traceHook } from './trace.js';

/** Where a session prints. */
export interface CliIO {
  out(line: string): void;
  err(line: string): void;
}

export const stdio: CliIO = {
  out: (line) => process.stdout.write(`${line}\n`),
  err: (line) => process.stderr.write(`${line}\n`),
};

/** Opens a connection in a namespace; tests pass one over a FakeKernel. */
export type Connector = (netns: string | undefined, protocol: number, options: ConnectionOptions) => Connection;

const defaultConnector: Connector = (netns, protocol, options) => connectInNetns(netns, { ...options, protocol });

/**
 * Open connections kept at most; the least recently used is closed beyond this (a batch that
 * visits a thousand namespaces must not hold a thousand sockets).
 */
const MAX_CONNECTIONS = 64;

export class CliSession {
  /** Tracing for every connection of the session (changed live by `.trace`). */
  trace: TraceOptions | undefined;
  /** Namespace used when a command names none (`.netns NAME`). */
  netns: string | undefined;
  private readonly connections = new Map<string, { netns: string | undefined; connection: Connection }>();
  private readonly connector: Connector;
  /** How many connections the session has opened (batch mode opens one per namespace and protocol). */
  opened = 0;

  constructor(
    readonly io: CliIO = stdio,
    options: { trace?: TraceOptions; netns?: string; connector?: Connector } = {},
  ) {
    this.trace = options.trace;
    this.netns = options.netns;
    this.connector = options.connector ?? defaultConnector;
  }

  /** The session's connection for `protocol` in `netns`, opened on first use. */
  connection(netns: string | undefined, protocol: number): Connection {
    const key = `${netns ?? ''}\0${protocol}`;
    const found = this.connections.get(key);
    if (found !== undefined) {
      // Most recently used last, so the first entry is the one to evict.
      this.connections.delete(key);
      this.connections.set(key, found);
      return found.connection;
    }
    const connection = this.connector(netns, protocol, {
      trace: traceHook(protocol, () => this.trace),
      // Looked up per call: the codecs are registered only once a trace or decode needs them.
      describeType: (type) => messageTypeName(protocolName(protocol), type),
    });
    this.opened++;
    this.connections.set(key, { netns, connection });
    if (this.connections.size > MAX_CONNECTIONS) {
      const [oldestKey, oldest] = this.connections.entries().next().value!;
      this.connections.delete(oldestKey);
      oldest.connection.close();
    }
    return connection;
  }

  /** Close the connections held in namespace `name` (after it is deleted, so it can go away). */
  forgetNetns(name: string): void {
    for (const [key, entry] of this.connections) {
      if (entry.netns !== name) continue;
      entry.connection.close();
      this.connections.delete(key);
    }
  }

  /** A command context on this session; `overrides` are the command's own options (-n, -j …). */
  context(overrides: Partial<Pick<CliContext, 'netns' | 'json' | 'pretty' | 'details' | 'stats' | 'family'>> = {}): CliContext {
    const session = this;
    const ctx: CliContext = {
      out: (line) => session.io.out(line),
      err: (line) => session.io.err(line),
      json: false,
      pretty: false,
      details: false,
      stats: false,
      // Reads `this`, so a context derived with `{ ...ctx, netns }` connects in its own namespace.
      connect(protocol: number): Connection {
        return session.connection(this.netns, protocol);
      },
      netnsDeleted: (name) => session.forgetNetns(name),
    };
    const netns = overrides.netns ?? this.netns;
    if (netns !== undefined) ctx.netns = netns;
    if (this.trace !== undefined) ctx.trace = this.trace;
    for (const key of ['json', 'pretty', 'details', 'stats'] as const) if (overrides[key] !== undefined) ctx[key] = overrides[key];
    if (overrides.family !== undefined) ctx.family = overrides.family;
    return ctx;
  }

  close(): void {
    for (const { connection } of this.connections.values()) connection.close();
    this.connections.clear();
  }
}
