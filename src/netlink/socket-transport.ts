/**
 * The production Transport: a non-blocking AF_NETLINK socket from the native binding, read
 * when libuv reports it readable. Every datagram is received whole (the binding sizes it with
 * MSG_PEEK|MSG_TRUNC first).
 *
 * A long run of datagrams (a large dump: the kernel builds each next one inside the read of the
 * one before) is read ahead: after READ_AHEAD_AFTER_BYTES read in one go, the rest is read by
 * the binding's read-ahead thread while this thread handles what arrived, so the kernel's work
 * and the decoding overlap instead of taking turns. Datagrams come in the same order either way.
 */
import { native, type NativeError } from '../native/binding.js';
import { NetlinkSockopt, SOL_NETLINK, SOL_SOCKET, SocketSockopt } from './constants.js';
import { NetnsError } from './errors.js';
import { mayReadThisTurn } from './read-turn.js';
import type { Transport, TransportHandler } from './transport.js';

export interface SocketOptions {
  /** Netlink protocol, e.g. NETLINK_ROUTE (0) or NETLINK_NETFILTER (12). */
  protocol: number;
  /** A network namespace fd to open the socket in (the socket stays bound to it). */
  netnsFd?: number;
  /** Multicast groups to join (group numbers, not bit masks). */
  groups?: readonly number[];
  /** SO_RCVBUFFORCE size in bytes (falls back to SO_RCVBUF without CAP_NET_ADMIN). */
  receiveBuffer?: number;
  sendBuffer?: number;
  /** NETLINK_EXT_ACK: error messages and attribute offsets from the kernel (default on). */
  extendedAck?: boolean;
  /** NETLINK_GET_STRICT_CHK: kernel-side dump filtering with strict header checks. */
  strictCheck?: boolean;
  /** NETLINK_CAP_ACK: the kernel does not echo the request in error acks (default on). */
  capAck?: boolean;
  /** NETLINK_NO_ENOBUFS: never report overruns (for event sockets that resync otherwise). */
  noEnobufs?: boolean;
  /**
   * Read long runs of datagrams (large dumps) on a native thread while this one decodes (see
   * above; default on). Off, every datagram is read on the JS thread.
   */
  readAhead?: boolean;
}

/**
 * Bytes read on this thread in one go before the rest is read ahead. A request's answer is one
 * short datagram; 1,000 neighbours or addresses are 76–80 KB (five datagrams on a new socket,
 * whose first dump datagram is small), where a thread adds its start and a wake-up of this one
 * and saves nothing (handing those over made them 1.1–1.3× slower); 11,003 routes are 580 KB,
 * 1,001 links 1.1 MB, 10,000 rules about 4 MB, and those gain.
 */
export const READ_AHEAD_AFTER_BYTES = 128 * 1024;

function setInt(fd: number, level: number, opt: number, value: number): void {
  native.setsockoptInt(fd, level, opt, value);
}

export class SocketTransport implements Transport {
  readonly fd: number;
  readonly port: number;
  private handler: TransportHandler | undefined;
  private closed = false;
  private polling = false;
  /** Whether the poll handle keeps the event loop alive (pollStart starts it unref'd). */
  private active = false;
  private readonly mayReadAhead: boolean;
  /** The read-ahead thread has the socket: nothing is read here until it hands over its end. */
  private readingAhead = false;
  /** Callers of whenDrained waiting for the read-ahead to end. */
  private drained: Array<() => void> = [];
  /** The multicast groups joined. */
  private readonly groups: Set<number>;

  private constructor(fd: number, port: number, readAhead: boolean, groups: readonly number[]) {
    this.fd = fd;
    this.port = port;
    this.mayReadAhead = readAhead;
    this.groups = new Set(groups);
  }

  get listening(): boolean {
    return this.groups.size > 0;
  }

  static open(options: SocketOptions): SocketTransport {
    return SocketTransport.adopt(native.socketOpen(options.protocol, options.netnsFd ?? -1), options);
  }

  /**
   * A transport on `fd`, a netlink socket of `options.protocol` just opened and not yet bound
   * (the one a namespace was created with): its options set and bound as open() does. Closed
   * if that fails.
   */
  static adopt(fd: number, options: Omit<SocketOptions, 'netnsFd'>): SocketTransport {
    try {
      if (options.extendedAck ?? true) setInt(fd, SOL_NETLINK, NetlinkSockopt.NETLINK_EXT_ACK, 1);
      if (options.capAck ?? true) setInt(fd, SOL_NETLINK, NetlinkSockopt.NETLINK_CAP_ACK, 1);
      if (options.strictCheck) setInt(fd, SOL_NETLINK, NetlinkSockopt.NETLINK_GET_STRICT_CHK, 1);
      if (options.noEnobufs) setInt(fd, SOL_NETLINK, NetlinkSockopt.NETLINK_NO_ENOBUFS, 1);
      if (options.receiveBuffer) setBuffer(fd, SocketSockopt.SO_RCVBUFFORCE, SocketSockopt.SO_RCVBUF, options.receiveBuffer);
      if (options.sendBuffer) setBuffer(fd, SocketSockopt.SO_SNDBUFFORCE, SocketSockopt.SO_SNDBUF, options.sendBuffer);
      const port = native.socketBind(fd, 0);
      for (const g of options.groups ?? []) setInt(fd, SOL_NETLINK, NetlinkSockopt.NETLINK_ADD_MEMBERSHIP, g);
      return new SocketTransport(fd, port, options.readAhead ?? true, options.groups ?? []);
    } catch (err) {
      native.socketClose(fd);
      throw err;
    }
  }

  send(parts: readonly Uint8Array[]): void {
    if (this.closed) throw new NetnsError('socket is closed');
    native.socketSend(this.fd, parts as Uint8Array[]);
  }

  start(handler: TransportHandler): void {
    this.handler = handler;
    if (!this.polling) {
      native.pollStart(this.fd, () => this.read(false));
      this.polling = true;
    }
  }

  flush(answers = 1): void {
    this.read(false, answers);
  }

  whenDrained(then: () => void): void {
    if (!this.readingAhead) {
      this.read(true);
      then();
    } else this.drained.push(then);
  }

  /**
   * Deliver the datagrams queued. Without `drain`, reading stops when this turn of the event
   * loop has read for long enough (read-turn.ts; the rest comes on the next turn), and a long
   * run goes to the read-ahead thread; with it, everything queued now is delivered here. The
   * first `answers` datagrams count as the start of a read (see flush).
   */
  private read(drain: boolean, answers = 1): void {
    const handler = this.handler;
    if (!handler || this.readingAhead) return;
    let bytes = 0;
    for (let n = 0; !this.closed; n++) {
      if (!drain && !mayReadThisTurn(n < answers)) return;
      let got: ReturnType<typeof native.socketRecv>;
      try {
        got = native.socketRecv(this.fd);
      } catch (err) {
        const e = err as NativeError;
        handler.error(e);
        // ENOBUFS only reports lost datagrams; the socket keeps working, so keep reading.
        if (e.code === 'ENOBUFS') continue;
        return;
      }
      if (got === null) return;
      bytes += got.data.length;
      // Only for replies awaited (a dump): events alone never start a thread, which would keep
      // the process alive for as long as they kept coming. The thread starts before this
      // datagram is handled, so its reading overlaps that handling too (a listing decodes
      // everything held so far there: 0.3 ms for the first 128 KiB of routes); what it reads
      // is delivered in later turns of the loop, after this one.
      const handedOver = bytes >= READ_AHEAD_AFTER_BYTES && !drain && this.active && this.mayReadAhead && this.handOver(handler);
      handler.datagram(got.data, got.pid, got.groups, got.nsid);
      if (handedOver) return;
    }
  }

  /** Let the read-ahead thread read the rest; false if it could not start (read on here). */
  private handOver(handler: TransportHandler): boolean {
    this.readingAhead = native.readAhead(this.fd, (got, error) => {
      if (got !== null) {
        if (!this.closed) handler.datagram(got.data, got.pid, got.groups, got.nsid);
      } else if (error !== undefined) {
        if (!this.closed) handler.error(error);
      } else {
        // The end: the socket is polled again (the binding restarted the watcher first).
        this.readingAhead = false;
        const waiting = this.drained;
        this.drained = [];
        try {
          if (!this.closed) this.read(waiting.length > 0);
        } finally {
          for (const then of waiting) then();
        }
      }
    });
    return this.readingAhead;
  }

  setActive(active: boolean): void {
    // Called as every request starts and ends: the native call only when the state changes.
    if (!this.polling || this.closed || active === this.active) return;
    native.pollRef(this.fd, active);
    this.active = active;
  }

  setBufferSizes(sizes: { send?: number; receive?: number }): void {
    if (sizes.send) setBuffer(this.fd, SocketSockopt.SO_SNDBUFFORCE, SocketSockopt.SO_SNDBUF, sizes.send);
    if (sizes.receive) setBuffer(this.fd, SocketSockopt.SO_RCVBUFFORCE, SocketSockopt.SO_RCVBUF, sizes.receive);
  }

  addMembership(group: number): void {
    setInt(this.fd, SOL_NETLINK, NetlinkSockopt.NETLINK_ADD_MEMBERSHIP, group);
    this.groups.add(group);
  }

  dropMembership(group: number): void {
    setInt(this.fd, SOL_NETLINK, NetlinkSockopt.NETLINK_DROP_MEMBERSHIP, group);
    this.groups.delete(group);
  }

  namespaceFd(): number {
    if (this.closed) throw new NetnsError('socket is closed');
    return native.socketNetns(this.fd);
  }

  interfaceIndex(name: string): number {
    if (this.closed) throw new NetnsError('socket is closed');
    return native.socketIfindex(this.fd, name);
  }

  /** Read a socket option (for tests and diagnostics). */
  getOption(level: number, option: number): number {
    return native.getsockoptInt(this.fd, level, option);
  }

  close(): void {
    if (this.closed) return;
    this.closed = true;
    native.socketClose(this.fd);
  }
}

/** Try the privileged *FORCE option first (can exceed rmem_max), then the plain one. */
function setBuffer(fd: number, forced: number, plain: number, size: number): void {
  try {
    setInt(fd, SOL_SOCKET, forced, size);
  } catch {
    setInt(fd, SOL_SOCKET, plain, size);
  }
}
