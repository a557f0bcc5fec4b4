/**
 * The native binding (native/*.c, built by node-gyp during `npm install`).
 *
 * It is deliberately protocol-free: sockets, readiness and namespace syscalls. Every function
 * is synchronous and non-blocking; failures throw a {@link NativeError}. Namespace work runs on
 * a short-lived native thread, never on the JS thread or a libuv pool thread, so no thread of
 * this process ever changes network namespace.
 */
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';

/**
 * A failed system call, shaped like Node's own system errors.
 * `message` reads like `socket: EPERM (Operation not permitted)`.
 */
export type NativeError = Error & {
  /** errno name, e.g. `ENOBUFS`. */
  code: string;
  /** Positive errno number, e.g. 105. */
  errno: number;
  /** The call that failed, e.g. `recv`, `setns`, `mount`. */
  syscall: string;
};

/** One datagram, received whole. */
export interface ReceivedDatagram {
  /** Exactly the datagram's bytes (a fresh Buffer, never reused). */
  data: Buffer;
  /** Sender's port id (`nl_pid`); 0 is the kernel. */
  pid: number;
  /** Multicast group mask the datagram was sent to (`nl_groups`); 0 for unicast. */
  groups: number;
  /**
   * Peer namespace id the datagram came from, present only with NETLINK_LISTEN_ALL_NSID and
   * only for events from another namespace (the NETLINK_LISTEN_ALL_NSID control message).
   */
  nsid?: number;
}

/** The functions exported by `netns_native.node`. */
export interface NativeBinding {
  /**
   * `socket(AF_NETLINK, SOCK_RAW | SOCK_NONBLOCK | SOCK_CLOEXEC, protocol)`.
   * When `netnsFd >= 0` the socket is created inside that network namespace (by a helper
   * thread that joins it and exits) and stays bound to it for its whole life; `-1` means the
   * process's own namespace.
   * @returns the socket fd.
   */
  socketOpen(protocol: number, netnsFd: number): number;

  /**
   * Binds with `nl_pid = 0` (the kernel assigns a unique port id) and the legacy group mask
   * `groups` (use NETLINK_ADD_MEMBERSHIP for groups above 32).
   * @returns the assigned port id (`nl_pid` from getsockname).
   */
  socketBind(fd: number, groups: number): number;

  /**
   * `setsockopt(fd, level, optname, &value, sizeof(int))`, e.g. level SOL_NETLINK (270) with
   * NETLINK_EXT_ACK, NETLINK_GET_STRICT_CHK, NETLINK_CAP_ACK, NETLINK_ADD/DROP_MEMBERSHIP,
   * NETLINK_NO_ENOBUFS, NETLINK_LISTEN_ALL_NSID, or SOL_SOCKET (1) with SO_RCVBUF(FORCE),
   * SO_SNDBUF(FORCE). `value` is a 32-bit signed integer.
   */
  setsockoptInt(fd: number, level: number, optname: number, value: number): void;

  /** `getsockopt` of an int-sized option (SO_RCVBUF reports the kernel's doubled value). */
  getsockoptInt(fd: number, level: number, optname: number): number;

  /**
   * Sends one datagram to the kernel (`nl_pid` 0) with a single `sendmsg` whose iovec holds
   * all `buffers` in order, so header and payload need not be concatenated.
   * @returns bytes sent.
   */
  socketSend(fd: number, buffers: readonly Uint8Array[]): number;

  /**
   * Receives the next datagram whole: sized with `recv(MSG_PEEK | MSG_TRUNC)`, then read into
   * a Buffer of exactly that size.
   * @returns the datagram, or `null` when none is queued (EAGAIN).
   * @throws NativeError `ENOBUFS` when the kernel dropped datagrams for this socket (the
   *   error is consumed: the next call reads on), `EMSGSIZE` if a datagram was still truncated,
   *   any other receive error as is.
   */
  socketRecv(fd: number): ReceivedDatagram | null;

  /**
   * Watches `fd` with libuv and calls `onReadable` each time it is readable (or has a pending
   * error such as ENOBUFS). The callback must drain the socket with {@link socketRecv} until it
   * returns null (a pending error left unread stops the watcher rather than spinning).
   * The watcher starts unref'd: it does not keep the process alive until {@link pollRef}.
   * An exception thrown by `onReadable` becomes an uncaught exception.
   * @throws NativeError `EEXIST` if `fd` is already polled.
   */
  pollStart(fd: number, onReadable: () => void): void;

  /** Stops and releases the watcher of `fd`. A no-op if there is none (safe to call twice). */
  pollStop(fd: number): void;

  /**
   * Whether the watcher of `fd` keeps the event loop alive: ref while replies are awaited,
   * unref when idle. @throws NativeError `EBADF` if `fd` is not polled.
   */
  pollRef(fd: number, ref: boolean): void;

  /**
   * Drains `fd` on a short-lived native thread while the JS thread works: the kernel builds a
   * dump's next datagram inside the reader's recvmsg(), so reading there lets that work overlap
   * with decoding here. The thread reads as {@link socketRecv} does until the socket is empty
   * (EAGAIN; it never waits), and hands over, in order: each datagram as
   * `onDatagram(datagram)`, a receive error as `onDatagram(null, error)` (after ENOBUFS it reads
   * on, after any other it stops), then the end as `onDatagram(null)`. The fd's watcher is
   * stopped meanwhile and started again just before the end is handed over; closing the socket
   * with {@link socketClose} cancels the reading (the thread reads its own dup of the fd, never
   * a socket that reuses the number).
   * @returns false, starting nothing, when `fd` is not polled or is already read ahead.
   */
  readAhead(fd: number, onDatagram: (datagram: ReceivedDatagram | null, error?: NativeError) => void): boolean;

  /** Stops polling `fd` if it is polled, then closes it. Use this, not fs.closeSync. */
  socketClose(fd: number): void;

  /**
   * A new fd (close-on-exec) of the network namespace socket `fd` lives in (`ioctl(SIOCGSKNS)`);
   * the caller closes it.
   */
  socketNetns(fd: number): number;

  /**
   * The ifindex of the interface named `name` in the network namespace socket `fd` lives in
   * (`ioctl(SIOCGIFINDEX)`, as if_nametoindex does; altnames resolve too), or 0 when there is
   * no such interface or the name has IFNAMSIZ bytes or more.
   */
  socketIfindex(fd: number, name: string): number;

  /**
   * Like `ip netns add NAME` with NETNS_RUN_DIR = `runDir`: makes `runDir` a shared mount,
   * creates `runDir/name` (O_EXCL) and bind-mounts a new network namespace on it (created by a
   * helper thread). On failure nothing is left behind.
   * @throws NativeError `EEXIST` if the name is taken, `EINVAL` for a name that is not a
   *   single path component.
   */
  netnsCreate(runDir: string, name: string): void;

  /**
   * netnsCreate and a netlink socket of `protocol` inside the new namespace, opened by the same
   * helper thread (no second thread to join it). On failure neither is left behind.
   * @returns the socket fd (as socketOpen's).
   */
  netnsCreateConnected(runDir: string, name: string, protocol: number): number;

  /**
   * netnsCreateConnected with the JS thread free meanwhile: the work runs on a libuv pool
   * thread (which starts the helper thread and joins it; it never changes namespace itself),
   * and the promise settles on the JS thread. @returns the socket fd; rejects with the
   * NativeError netnsCreateConnected would throw. Bad arguments throw at once.
   */
  netnsCreateConnectedAsync(runDir: string, name: string, protocol: number): Promise<number>;

  /**
   * Like `ip netns delete NAME`: lazy unmount (MNT_DETACH) then unlink. The namespace lives on
   * while processes or sockets still use it. @throws NativeError `ENOENT` if there is no such name.
   */
  netnsDelete(runDir: string, name: string): void;

  /**
   * Opens a namespace file (O_RDONLY | O_CLOEXEC) and says what it is, in one call:
   * `[fd, nstype, inode, dev]`, nstype as {@link NativeBinding.nsType} gives it, or 0 when the
   * file is not a namespace at all (the fd is open either way: the caller closes it).
   * @throws NativeError from open, fstat or the ioctl (other than ENOTTY).
   */
  nsOpen(path: string): [fd: number, nstype: number, inode: number, dev: number];

  /**
   * The kind of namespace `fd` refers to, as its CLONE_NEW* flag (`ioctl(NS_GET_NSTYPE)`):
   * `0x40000000` (CLONE_NEWNET) for a network namespace.
   * @throws NativeError `ENOTTY` if `fd` is not a namespace file at all.
   */
  nsType(fd: number): number;

  /**
   * Writes `value` to `path` (which must start with `/proc/sys/` and contain no `..`
   * component) from inside namespace `netnsFd` (`-1`: this process's namespace), in one write.
   */
  sysctlWrite(netnsFd: number, path: string, value: string): void;

  /** Reads a `/proc/sys/` file from inside namespace `netnsFd` (`-1`: ours), content as is. */
  sysctlRead(netnsFd: number, path: string): string;

  /**
   * Like `ip tuntap add`: opens /dev/net/tun inside namespace `netnsFd` (`-1`: ours), TUNSETIFF
   * with `flags` (IFF_TUN or IFF_TAP, IFF_NO_PI, IFF_VNET_HDR, IFF_MULTI_QUEUE), then
   * TUNSETOWNER / TUNSETGROUP unless `-1`, and TUNSETPERSIST last, so a failure at any step
   * leaves no device. Returns the device's name.
   * @throws NativeError `EBUSY` if a link of that name exists, `EPERM` without CAP_NET_ADMIN.
   */
  tunCreate(netnsFd: number, name: string, flags: number, owner: number, group: number): string;
}

const addonUrl = new URL('../../build/Release/netns_native.node', import.meta.url);

function load(): NativeBinding {
  const require = createRequire(import.meta.url);
  try {
    return require(fileURLToPath(addonUrl)) as NativeBinding;
  } catch (cause) {
    const why = cause instanceof Error ? cause.message : String(cause);
    throw new Error(
      `netns-ts: cannot load the native binding ${fileURLToPath(addonUrl)} (${why}). ` +
        'It is built by node-gyp when `npm install` runs: run `npm install` (or `npx node-gyp rebuild`) ' +
        'in the package directory, with python3, make and a C compiler available.',
      { cause },
    );
  }
}

/** The loaded native binding. Loading happens on first import and throws if it was not built. */
export const native: NativeBinding = load();

/**
 * Absolute path of the `netns-exec` helper executable:
 * `netns-exec [--name NAME] (NSPATH | --fd N) -- PROGRAM [ARGS...]`.
 */
export const netnsExecPath: string = fileURLToPath(new URL('../../build/Release/netns-exec', import.meta.url));
