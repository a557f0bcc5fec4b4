/**
 * Referring to a network namespace, and holding one open.
 *
 * A namespace is a value you can pass anywhere: a name in /run/netns, a path to any nsfs file
 * (`/proc/PID/ns/net`, a bind mount of one), an fd you already hold, or a pid.
 */
import { closeSync, fstatSync } from 'node:fs';
import { native } from '../native/binding.js';
import { ValidationError } from '../netlink/errors.js';
import { validateNetnsName } from './names.js';
import { withContext } from './system-error.js';

/** Where named namespaces live, as in iproute2 (`ip netns`). */
export const NETNS_RUN_DIR = '/run/netns';

/**
 * A network namespace:
 * - `string` or `{ name }`: a named namespace, `/run/netns/NAME` (as `ip netns` uses);
 * - `{ path }`: any file that is a network namespace, e.g. `/proc/1234/ns/net`;
 * - `{ fd }`: an open namespace fd you own. It is *borrowed*: handles made from it never close it;
 * - `{ pid }`: the namespace of a running process (`/proc/PID/ns/net`).
 */
export type NetnsRef = string | { name: string } | { path: string } | { fd: number } | { pid: number };

/** An open network namespace (a CLOEXEC fd on its nsfs file). */
export interface NetnsHandle extends Disposable {
  /** The namespace fd (O_RDONLY | O_CLOEXEC). Invalid after {@link NetnsHandle.close}. */
  readonly fd: number;
  /** The file it was opened from (`/proc/self/fd/N` for `{ fd }` refs). */
  readonly path: string;
  /** The name, for named namespaces. */
  readonly name?: string;
  /** The namespace's inode number: the same namespace has the same inode wherever it is opened. */
  readonly inode: number;
  /** Device of the nsfs file; `(dev, inode)` identifies a namespace. */
  readonly dev: number;
  /** True for `{ fd }` refs: {@link NetnsHandle.close} leaves the fd open. */
  readonly borrowed: boolean;
  /** Closes the fd (unless borrowed). Idempotent. */
  close(): void;
}

/** Where a ref points, before anything is opened. */
export interface ResolvedNetnsRef {
  path: string;
  name?: string;
  /** Set for `{ fd }` refs. */
  fd?: number;
}

/** Validates a ref and says where it points. Throws {@link ValidationError} for malformed refs. */
export function resolveNetnsRef(ref: NetnsRef): ResolvedNetnsRef {
  if (typeof ref === 'string') return named(ref);
  if (ref === null || typeof ref !== 'object') {
    throw new ValidationError('netns', 'expected a name, { name }, { path }, { fd } or { pid }', ref);
  }
  if ('name' in ref) return named(ref.name);
  if ('path' in ref) {
    if (typeof ref.path !== 'string' || ref.path.length === 0 || ref.path.includes('\0')) {
      throw new ValidationError('netns.path', 'must be a non-empty string without NUL', ref.path);
    }
    return { path: ref.path };
  }
  if ('fd' in ref) {
    if (!Number.isInteger(ref.fd) || ref.fd < 0) throw new ValidationError('netns.fd', 'must be a non-negative integer', ref.fd);
    return { path: `/proc/self/fd/${ref.fd}`, fd: ref.fd };
  }
  if ('pid' in ref) {
    if (!Number.isInteger(ref.pid) || ref.pid <= 0) throw new ValidationError('netns.pid', 'must be a positive integer', ref.pid);
    return { path: `/proc/${ref.pid}/ns/net` };
  }
  throw new ValidationError('netns', 'expected a name, { name }, { path }, { fd } or { pid }', ref);
}

function named(name: string): ResolvedNetnsRef {
  validateNetnsName(name);
  // A validated name is one path component: no join (and its normalising) needed.
  return { path: `${NETNS_RUN_DIR}/${name}`, name };
}

/** A human description of a ref for error messages. */
export function describeNetnsRef(ref: ResolvedNetnsRef): string {
  if (ref.name !== undefined) return `network namespace "${ref.name}"`;
  if (ref.fd !== undefined) return `network namespace fd ${ref.fd}`;
  return `network namespace ${ref.path}`;
}

/**
 * Opens a network namespace. Close the handle when done (or `using ns = openNetns(...)`).
 * @throws an error with `code` `ENOENT` naming the namespace if it does not exist;
 *   {@link ValidationError} for a malformed ref or a file that is not a network namespace.
 */
export function openNetns(ref: NetnsRef): NetnsHandle {
  const resolved = resolveNetnsRef(ref);
  if (resolved.fd !== undefined) return adoptBorrowed(resolved.fd, resolved);
  let opened: [fd: number, nstype: number, inode: number, dev: number];
  try {
    // One call opens the file and says what it is (Node's openSync and fstatSync ran about
    // twenty functions of argument checks and Stats building, paid cold by a setup's first open).
    opened = native.nsOpen(resolved.path);
  } catch (err) {
    const what = describeNetnsRef(resolved);
    const code = (err as { code?: string }).code;
    const message = code === 'ENOENT' ? `${what} does not exist (${resolved.path})` : `cannot open ${what}`;
    throw withContext(err, message, resolved.path);
  }
  const [fd, kind, inode, dev] = opened;
  try {
    checkKind(kind, resolved);
  } catch (err) {
    closeSync(fd);
    throw err;
  }
  return new Handle(fd, resolved, inode, dev, false);
}

/** A handle on an fd the caller owns (a `{ fd }` ref), after checking what it is. */
function adoptBorrowed(fd: number, resolved: ResolvedNetnsRef): NetnsHandle {
  assertNetworkNamespace(fd, resolved);
  const st = fstatSync(fd);
  return new Handle(fd, resolved, st.ino, st.dev, true);
}

/** CLONE_NEWNET, the kind of namespace `ioctl(NS_GET_NSTYPE)` reports for a network namespace. */
const CLONE_NEWNET = 0x40000000;

const NAMESPACE_KINDS: Record<number, string> = {
  0x00020000: 'a mount namespace', // CLONE_NEWNS
  0x02000000: 'a cgroup namespace', // CLONE_NEWCGROUP
  0x04000000: 'a UTS namespace', // CLONE_NEWUTS
  0x08000000: 'an IPC namespace', // CLONE_NEWIPC
  0x10000000: 'a user namespace', // CLONE_NEWUSER
  0x20000000: 'a PID namespace', // CLONE_NEWPID
  0x00000080: 'a time namespace', // CLONE_NEWTIME
};

/**
 * Checking the kind here turns "setns: EINVAL" later into a clear error now, e.g. for a stale
 * /run/netns entry whose namespace mount is gone (an empty regular file).
 */
function assertNetworkNamespace(fd: number, ref: ResolvedNetnsRef): void {
  let kind: number;
  try {
    kind = native.nsType(fd);
  } catch (err) {
    if ((err as { code?: string }).code === 'ENOTTY') kind = 0;
    else throw withContext(err, `cannot inspect ${describeNetnsRef(ref)}`, ref.path);
  }
  checkKind(kind, ref);
}

/** Throws unless `kind` (a CLONE_NEW* flag, 0 for a file that is no namespace) is a network namespace. */
function checkKind(kind: number, ref: ResolvedNetnsRef): void {
  if (kind === CLONE_NEWNET) return;
  if (kind === 0) {
    throw new ValidationError('netns', `${describeNetnsRef(ref)} is not a network namespace (not a namespace file: ${ref.path})`, ref.path);
  }
  const what = NAMESPACE_KINDS[kind] ?? `namespace kind 0x${kind.toString(16)}`;
  throw new ValidationError('netns', `${describeNetnsRef(ref)} is not a network namespace (it is ${what})`, ref.path);
}

class Handle implements NetnsHandle {
  readonly fd: number;
  readonly path: string;
  readonly name?: string;
  readonly inode: number;
  readonly dev: number;
  readonly borrowed: boolean;
  private open = true;

  constructor(fd: number, ref: ResolvedNetnsRef, inode: number, dev: number, borrowed: boolean) {
    this.fd = fd;
    this.path = ref.path;
    if (ref.name !== undefined) this.name = ref.name;
    this.inode = inode;
    this.dev = dev;
    this.borrowed = borrowed;
  }

  close(): void {
    if (!this.open) return;
    this.open = false;
    if (!this.borrowed) closeSync(this.fd);
  }

  [Symbol.dispose](): void {
    this.close();
  }
}
