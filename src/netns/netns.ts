/**
 * Named network namespaces, interoperable with iproute2: `ip netns list` shows the ones made
 * here, and the ones `ip netns add` made can be opened, used and deleted here.
 */
import { closeSync, fstatSync, openSync, readdirSync } from 'node:fs';
import { native } from '../native/binding.js';
import { socketOptionsOf, type ConnectOptions } from '../netlink/connect.js';
import { Connection } from '../netlink/connection.js';
import { SocketTransport } from '../netlink/socket-transport.js';
import { NETNS_RUN_DIR } from './handle.js';
import { validateNetnsName } from './names.js';
import { isSystemError, withContext } from './system-error.js';

export { NETNS_RUN_DIR };

/**
 * Creates the named namespace `name` (like `ip netns add NAME`). No thread of this process
 * enters it: a native helper thread creates it and bind-mounts it on /run/netns/NAME.
 * @throws ValidationError for a bad name (nothing is created); an error with `code` `EEXIST`
 *   if the name is taken.
 */
export function createNetns(name: string): void {
  validateNetnsName(name);
  try {
    native.netnsCreate(NETNS_RUN_DIR, name);
  } catch (err) {
    throw creationError(err, name);
  }
}

function creationError(err: unknown, name: string): unknown {
  const what = isSystemError(err) && err.code === 'EEXIST' ? 'already exists' : 'cannot be created';
  return withContext(err, `network namespace "${name}" ${what}`, `${NETNS_RUN_DIR}/${name}`);
}

/**
 * createNetns, and a connection inside the new namespace whose socket the thread creating it
 * opened — one helper thread, where createNetns then connectInNetns take two and an open of
 * /run/netns/NAME (see connectInNetns's `create`). All or nothing: if the connection cannot be
 * set up, the namespace is deleted again.
 */
export function createNetnsConnected(name: string, options: Omit<ConnectOptions, 'netnsFd'> = {}): Connection {
  validateNetnsName(name);
  const socket = socketOptionsOf(options);
  let fd: number;
  try {
    fd = native.netnsCreateConnected(NETNS_RUN_DIR, name, socket.protocol);
  } catch (err) {
    throw creationError(err, name);
  }
  return connectionOn(fd, name, socket, options);
}

/**
 * createNetnsConnected without blocking the event loop: the namespace and its socket are made
 * on a libuv pool thread (most of a millisecond of the kernel's work, during which this thread
 * sends other requests, or serves anything else). Rejects as createNetnsConnected throws;
 * input is checked before anything is made.
 */
export async function createNetnsConnectedAsync(name: string, options: Omit<ConnectOptions, 'netnsFd'> = {}): Promise<Connection> {
  validateNetnsName(name);
  const socket = socketOptionsOf(options);
  let fd: number;
  try {
    fd = await native.netnsCreateConnectedAsync(NETNS_RUN_DIR, name, socket.protocol);
  } catch (err) {
    throw creationError(err, name);
  }
  return connectionOn(fd, name, socket, options);
}

/** A connection on the socket `fd` of the namespace `name` just made; the namespace is deleted again if that fails. */
function connectionOn(fd: number, name: string, socket: ReturnType<typeof socketOptionsOf>, options: Omit<ConnectOptions, 'netnsFd'>): Connection {
  let transport: SocketTransport | undefined;
  try {
    transport = SocketTransport.adopt(fd, socket);
    return new Connection(transport, options);
  } catch (err) {
    transport?.close();
    deleteNetns(name);
    throw err;
  }
}

/**
 * Deletes the named namespace `name` (like `ip netns delete NAME`): the name disappears at
 * once; the namespace itself goes away when no process, socket or mount uses it any more.
 * @throws an error with `code` `ENOENT` if there is no such name.
 */
export function deleteNetns(name: string): void {
  validateNetnsName(name);
  try {
    native.netnsDelete(NETNS_RUN_DIR, name);
  } catch (err) {
    const what = isSystemError(err) && err.code === 'ENOENT' ? 'does not exist' : 'cannot be deleted';
    throw withContext(err, `network namespace "${name}" ${what}`, `${NETNS_RUN_DIR}/${name}`);
  }
}

/**
 * Whether /run/netns/NAME is left over from a creation that never finished: an empty regular
 * file with no namespace mounted on it, which a process killed between creating the file and
 * mounting the namespace leaves (`ip netns add` can leave the same). deleteNetns removes it;
 * nothing can connect to it.
 */
export function isStaleNetns(name: string): boolean {
  validateNetnsName(name);
  let fd: number;
  try {
    fd = openSync(`${NETNS_RUN_DIR}/${name}`, 'r');
  } catch (err) {
    if (isSystemError(err) && err.code === 'ENOENT') return false;
    throw err;
  }
  try {
    if (!fstatSync(fd).isFile()) return false;
    native.nsType(fd);
    return false;
  } catch (err) {
    // Not a namespace file: the mount that would make it one is not there.
    if (isSystemError(err) && err.code === 'ENOTTY') return true;
    throw err;
  } finally {
    closeSync(fd);
  }
}

/** Names in /run/netns, sorted; `[]` when the directory does not exist. */
export function listNetns(): string[] {
  try {
    return readdirSync(NETNS_RUN_DIR).sort();
  } catch (err) {
    if (isSystemError(err) && err.code === 'ENOENT') return [];
    throw err;
  }
}
