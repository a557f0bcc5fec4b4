/** Opening the container's namespace named by CNI_NETNS, with the spec's error for a missing one. */
import { openNetns, type NetnsHandle } from '../netns/handle.js';
import { CniError, CniErrorCode } from './errors.js';

/** @throws CniError 3 (container unknown) when the namespace does not exist or is not one. */
export function openContainerNetns(path: string): NetnsHandle {
  try {
    return openNetns({ path });
  } catch (err) {
    const code = (err as { code?: unknown }).code;
    if (code === 'ENOENT' || (err as Error).name === 'ValidationError') {
      throw new CniError(CniErrorCode.UnknownContainer, `the container's network namespace ${path} does not exist or is not a network namespace`, (err as Error).message);
    }
    throw err;
  }
}

/** The namespace if it is still there (DEL), undefined otherwise. */
export function openIfPresent(path: string | undefined): NetnsHandle | undefined {
  if (path === undefined) return undefined;
  try {
    return openNetns({ path });
  } catch {
    return undefined;
  }
}
