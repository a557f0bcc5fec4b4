/**
 * The seam between the protocol engine and a socket. Production uses the native netlink socket
 * (socket-transport.ts); unit tests use the fake kernel (testing/fake-kernel.ts). Everything
 * above this interface — framing, sequence numbers, acks, dumps — runs identically on both.
 */
export interface TransportHandler {
  /**
   * One whole datagram, the sender's port (0 = the kernel), multicast groups (0 = unicast) and,
   * on NETLINK_LISTEN_ALL_NSID sockets, the id of the peer namespace an event came from.
   * `data` is the receiver's from then on: the transport never writes into it again (decoded
   * objects may keep views of it).
   */
  datagram(data: Uint8Array, senderPort: number, groups: number, nsid?: number): void;
  /** A receive error. ENOBUFS means datagrams were dropped: replies or events are lost. */
  error(err: TransportError): void;
}

export interface TransportError extends Error {
  code?: string;
  errno?: number;
}

export interface Transport {
  /** Our port id (nl_pid) as assigned by the kernel. */
  readonly port: number;
  /** Send one datagram made of the given parts (one sendmsg). */
  send(parts: readonly Uint8Array[]): void;
  /** Start delivering datagrams to `handler`. */
  start(handler: TransportHandler): void;
  /**
   * Read and deliver the datagrams already queued, now rather than on the next turn of the
   * event loop. A transport may hand a long run of them (a large dump) to a reader that
   * delivers them later, in order, and may leave the rest to the next turn once this one has
   * read for long (the socket's: read-turn.ts); whenDrained waits for all of it. `answers`
   * (default 1): how many of them are answers to the datagram just sent, each read as the
   * first of a read would be (read-turn.ts), as when each request was sent alone.
   */
  flush(answers?: number): void;
  /**
   * Call `then` once every datagram queued now has been delivered: at once after a synchronous
   * read, or when a read-ahead in progress has handed over its last one. Netlink requests are
   * processed in the sender's context, so after `send` returns the replies to it (other than
   * dump continuations) are already queued; batches rely on this to know that a message with
   * no reply got none. Without it, flush() reads everything synchronously.
   */
  whenDrained?(then: () => void): void;
  /** Keep the process alive while replies are awaited (true) or not (false). */
  setActive(active: boolean): void;
  /**
   * Resize the socket buffers (SO_SNDBUF/SO_RCVBUF, forced when privileged), e.g. so that a
   * large nf_tables batch and all its acks fit.
   */
  setBufferSizes(sizes: { send?: number; receive?: number }): void;
  /**
   * Whether the socket belongs to a multicast group (events may be queued on it unasked);
   * undefined when the transport cannot tell.
   */
  readonly listening?: boolean;
  /** Join or leave a multicast group. */
  addMembership(group: number): void;
  dropMembership(group: number): void;
  /**
   * A new fd of the network namespace the socket lives in (the caller closes it), for work that
   * is not netlink but must happen in the connection's namespace (a tun device: an ioctl).
   * Absent on transports without a kernel socket.
   */
  namespaceFd?(): number;
  /**
   * The ifindex of the interface named `name` (or with that altname) in the socket's
   * namespace, or 0 if there is none, without a netlink round trip (an ioctl, as
   * if_nametoindex). Absent on transports without a kernel socket.
   */
  interfaceIndex?(name: string): number;
  close(): void;
}
