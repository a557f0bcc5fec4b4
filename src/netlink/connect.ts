import { checkConnectionOptions, checkSocketOptions } from './connect-options.js';
import { NetlinkProtocol } from './constants.js';
import { Connection, type ConnectionOptions } from './connection.js';
import { SocketTransport, type SocketOptions } from './socket-transport.js';

const DEFAULT_RECEIVE_BUFFER = 1024 * 1024;

export interface ConnectOptions extends Partial<SocketOptions>, ConnectionOptions {}

/**
 * Open a netlink connection (default NETLINK_ROUTE, in the caller's namespace unless
 * `netnsFd` is given). To connect inside a named namespace, use `connectInNetns` from the
 * namespace module, which resolves names, paths and pids to an fd.
 */
export function connect(options: ConnectOptions = {}): Connection {
  return new Connection(SocketTransport.open(socketOptionsOf(options)), options);
}

/**
 * The socket options a connection opens with: the caller's over the defaults. @throws
 * ValidationError for an option of the wrong type or range (before any socket is opened).
 */
export function socketOptionsOf(options: ConnectOptions): SocketOptions {
  checkSocketOptions(options);
  checkConnectionOptions(options);
  const protocol = options.protocol ?? NetlinkProtocol.NETLINK_ROUTE;
  return {
    // As iproute2 does: room for a window of answers (see ConnectionOptions.maxInFlight).
    receiveBuffer: DEFAULT_RECEIVE_BUFFER,
    ...options,
    protocol,
    strictCheck: options.strictCheck ?? protocol === NetlinkProtocol.NETLINK_ROUTE,
  };
}
