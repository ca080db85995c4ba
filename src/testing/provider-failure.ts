/** For tests of provider failures. Not imported by production code. */
import { ProviderError } from '../providers/errors.js';

/**
 * The ProviderError `p` rejects with; a test failure if it resolves, and the original error if it rejects with
 * anything else.
 * @example
 * const err = await failure(adapter.employees());
 * expect(err.kind).toBe('bad_response');
 */
export async function failure(p: Promise<unknown>): Promise<ProviderError> {
  try {
    await p;
  } catch (err) {
    if (err instanceof ProviderError) return err;
    throw err;
  }
  throw new Error('expected the call to fail');
}
