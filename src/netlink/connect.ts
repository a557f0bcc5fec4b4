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
  const protocol = options.protocol ?? NetlinkProtocol.NETLINK_ROUTE;
  const transport = SocketTransport.open({
    // As iproute2 does: room for a window of answers (see ConnectionOptions.maxInFlight).
    receiveBuffer: DEFAULT_RECEIVE_BUFFER,
    ...options,
    protocol,
    strictCheck: options.strictCheck ?? protocol === NetlinkProtocol.NETLINK_ROUTE,
  });
  return new Connection(transport, options);
}
