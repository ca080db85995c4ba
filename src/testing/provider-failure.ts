/** For provider tests: the ProviderError a call fails with. Not imported by production code. */
import { ProviderError } from '../providers/errors.js';

/** The ProviderError `p` rejects with; anything else (another error, or success) fails the test. */
export async function failure(p: Promise<unknown>): Promise<ProviderError> {
  try {
    await p;
  } catch (err) {
    if (err instanceof ProviderError) return err;
    throw err;
  }
  throw new Error('expected the call to fail');
}
