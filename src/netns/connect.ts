import { connect, type ConnectOptions } from '../netlink/connect.js';
import type { Connection } from '../netlink/connection.js';
import { ValidationError } from '../netlink/errors.js';
import { openNetns, type NetnsRef } from './handle.js';
import { createNetnsConnected, createNetnsConnectedAsync } from './netns.js';

export interface ConnectInNetnsOptions extends Omit<ConnectOptions, 'netnsFd'> {
  /**
   * Create the named namespace first, as createNetns does (an error with `code` `EEXIST` if
   * the name is taken), the socket opened by the same native thread that creates it: cheaper
   * than createNetns then connectInNetns. `ref` must then be a name.
   */
  create?: boolean;
}

/**
 * Open a netlink connection inside a network namespace (a name in /run/netns, a path, an fd
 * or a pid); `undefined` means this process's namespace. The socket is created by a
 * short-lived native thread and stays bound to the namespace for its whole life; no thread
 * of this process changes namespace.
 */
export function connectInNetns(ref: NetnsRef | undefined, options: ConnectInNetnsOptions = {}): Connection {
  const { creating, connectOptions } = parsed(ref, options);
  if (creating !== undefined) return createNetnsConnected(creating, connectOptions);
  if (ref === undefined) return connect(connectOptions);
  const handle = openNetns(ref);
  try {
    return connect({ ...connectOptions, netnsFd: handle.fd });
  } finally {
    handle.close();
  }
}

/**
 * connectInNetns as a promise, for `create`: the namespace and its socket are made on a
 * libuv pool thread, so the event loop is not held for the most of a millisecond the kernel
 * takes to set up a namespace, and other requests go on meanwhile — start it before the host's
 * own requests and the two overlap (bench/scripts/setup-overlap.mjs). Without `create`, it
 * resolves with what connectInNetns returns (opening a socket in an existing namespace takes
 * tens of microseconds). Rejects as connectInNetns throws; input is checked before anything
 * is made. Creations at once are as many as the pool has threads (UV_THREADPOOL_SIZE, 4 by
 * default), the rest queued there.
 */
export async function connectInNetnsAsync(ref: NetnsRef | undefined, options: ConnectInNetnsOptions = {}): Promise<Connection> {
  const { creating, connectOptions } = parsed(ref, options);
  return creating !== undefined ? createNetnsConnectedAsync(creating, connectOptions) : connectInNetns(ref, connectOptions);
}

/** The name of the namespace to create (`create`), and the options of the connection. */
function parsed(ref: NetnsRef | undefined, options: ConnectInNetnsOptions): { creating: string | undefined; connectOptions: Omit<ConnectOptions, 'netnsFd'> } {
  if (options === null || typeof options !== 'object') throw new ValidationError('options', 'must be an object', options);
  const { create, ...connectOptions } = options;
  if (create !== undefined && typeof create !== 'boolean') throw new ValidationError('create', 'must be a boolean', create);
  if (!create) return { creating: undefined, connectOptions };
  if (typeof ref !== 'string') throw new ValidationError('netns', 'creating a namespace needs its name', ref);
  return { creating: ref, connectOptions };
}
