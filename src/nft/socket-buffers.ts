/**
 * Growing a connection's socket buffers to fit a batch. A batch is one datagram, so the send
 * buffer must hold all of it (netlink refuses larger ones with EMSGSIZE), and the replies
 * (one ack per command, echoes) must fit the receive buffer or the kernel drops them
 * (ENOBUFS). Buffers only ever grow here; the transport forces the size when privileged.
 */
import { SOL_SOCKET, SocketSockopt } from '../netlink/constants.js';
import type { Connection } from '../netlink/connection.js';

/** What the kernel charges per ack datagram (struct sk_buff plus a small head), rounded up. */
export const ACK_TRUESIZE_ESTIMATE = 1024;
/** Slack for everything else that may be queued on the socket. */
export const BUFFER_SLACK = 64 * 1024;

export interface BufferNeeds {
  send: number;
  receive: number;
}

/** Buffer sizes for a batch of `size` bytes with `replies` acks and `echoBytes` of echoes. */
export function bufferNeeds(size: number, replies: number, echoBytes: number): BufferNeeds {
  // Echoed objects come back about as large as they were sent, in page-sized datagrams.
  return { send: size + BUFFER_SLACK, receive: replies * ACK_TRUESIZE_ESTIMATE + echoBytes * 2 + BUFFER_SLACK };
}

/**
 * Whether the replies to a batch of `commands` (each may be answered, with an error when ack
 * mode is `errors`) and `echoBytes` of echoes could be lost on `conn`: unless the connection
 * is idle, belongs to no multicast group and its receive buffer holds every reply the batch
 * can bring (the estimate bufferNeeds sizes buffers by, plus its slack), the kernel may drop
 * some (ENOBUFS). Unknown counts as possible. `receive`: the buffer's size if already read
 * (ensureBuffers returns it).
 */
export function repliesMayBeLost(conn: Connection, commands: number, echoBytes: number, receive = current(conn, SocketSockopt.SO_RCVBUF)): boolean {
  if (!conn.isIdle || conn.transport.listening !== false) return true;
  return receive === undefined || bufferNeeds(0, commands, echoBytes).receive > receive;
}

/** Current size of a buffer, when the transport can tell (the kernel reports double). */
function current(conn: Connection, option: number): number | undefined {
  const t = conn.transport as { getOption?: (level: number, option: number) => number };
  return t.getOption ? t.getOption(SOL_SOCKET, option) / 2 : undefined;
}

const grown = new WeakMap<Connection, BufferNeeds>();

/**
 * Grow the connection's buffers to at least `needs`; never shrinks them. Returns the receive
 * buffer's size as the socket reports it afterwards (undefined when the transport cannot tell),
 * for repliesMayBeLost.
 */
export function ensureBuffers(conn: Connection, needs: BufferNeeds): number | undefined {
  const known = grown.get(conn) ?? { send: 0, receive: 0 };
  const receive = current(conn, SocketSockopt.SO_RCVBUF);
  const have = {
    send: Math.max(known.send, current(conn, SocketSockopt.SO_SNDBUF) ?? 0),
    receive: Math.max(known.receive, receive ?? 0),
  };
  const sizes: { send?: number; receive?: number } = {};
  if (needs.send > have.send) sizes.send = needs.send;
  if (needs.receive > have.receive) sizes.receive = needs.receive;
  if (sizes.send === undefined && sizes.receive === undefined) return receive;
  conn.transport.setBufferSizes(sizes);
  grown.set(conn, { send: Math.max(have.send, needs.send), receive: Math.max(have.receive, needs.receive) });
  // Read again: without privileges the kernel caps what was asked for.
  return sizes.receive === undefined ? receive : current(conn, SocketSockopt.SO_RCVBUF);
}
