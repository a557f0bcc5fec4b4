import { connect, type ConnectOptions } from '../netlink/connect.js';
import type { Connection } from '../netlink/connection.js';
import { openNetns, type NetnsRef } from './handle.js';

/**
 * Open a netlink connection inside a network namespace (a name in /run/netns, a path, an fd
 * or a pid); `undefined` means this process's namespace. The socket is created by a
 * short-lived native thread and stays bound to the namespace for its whole life; no thread
 * of this process changes namespace.
 */
export function connectInNetns(ref: NetnsRef | undefined, options: Omit<ConnectOptions, 'netnsFd'> = {}): Connection {
  if (ref === undefined) return connect(options);
  const handle = openNetns(ref);
  try {
    return connect({ ...options, netnsFd: handle.fd });
  } finally {
    handle.close();
  }
}
