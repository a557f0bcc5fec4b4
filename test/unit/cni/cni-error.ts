import { CniError } from '../../../src/cni/errors.js';

/** The CniError `f` throws (anything else, or nothing, fails the test). */
export function errorOf(f: () => unknown): CniError {
  try {
    f();
  } catch (err) {
    if (err instanceof CniError) return err;
    throw err;
  }
  throw new Error('expected a CniError');
}
