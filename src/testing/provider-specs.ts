/** Where the vendored provider specs live (spec/providers, copies of ../shared/reference/providers; see spec/README.md). */
import path from 'node:path';

export const PROVIDER_SPECS_DIR = path.resolve(import.meta.dirname, '../../spec/providers');

/** Absolute path of a vendored provider spec file, e.g. `providerSpec('deel', 'openapi.yaml')`. */
export function providerSpec(...parts: string[]): string {
  return path.join(PROVIDER_SPECS_DIR, ...parts);
}
