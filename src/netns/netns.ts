/**
 * Named network namespaces, interoperable with iproute2: `ip netns list` shows the ones made
 * here, and the ones `ip netns add` made can be opened, used and deleted here.
 */
import { readdirSync } from 'node:fs';
import { native } from '../native/binding.js';
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
    const what = isSystemError(err) && err.code === 'EEXIST' ? 'already exists' : 'cannot be created';
    throw withContext(err, `network namespace "${name}" ${what}`, `${NETNS_RUN_DIR}/${name}`);
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

/** Names in /run/netns, sorted; `[]` when the directory does not exist. */
export function listNetns(): string[] {
  try {
    return readdirSync(NETNS_RUN_DIR).sort();
  } catch (err) {
    if (isSystemError(err) && err.code === 'ENOENT') return [];
    throw err;
  }
}
