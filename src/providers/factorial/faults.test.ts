/** Every emulator fault knob produces the documented ProviderError, and no call ever returns a partial list. */
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { failure } from '../../testing/provider-failure.js';
import { createFactorialAdapter } from './adapter.js';
import type { FactorialClientOptions } from './client.js';
import { DEFAULT_KNOBS, type FactorialEmulator, startEmulator } from './emulator/server.js';
import { apiKeyOf, contextFor } from './test-support.js';

describe('Factorial fault knobs', () => {
  let emu: FactorialEmulator;
  const adapter = (options: FactorialClientOptions = {}) =>
    createFactorialAdapter(contextFor(emu.baseUrl, apiKeyOf(emu)), options);

  beforeAll(async () => {
    // 250 employees = 3 cursor pages, so a middle page exists.
    emu = await startEmulator({ employees: 250, seed: 11 });
  });
  afterEach(() => Object.assign(emu.knobs, DEFAULT_KNOBS));
  afterAll(() => emu.close());

  it('403 → insufficient_permission', async () => {
    emu.knobs.forbidden = true;
    const err = await failure(adapter().timeOffBalances());
    expect(err.kind).toBe('authentication');
    expect(err.options.code).toBe('insufficient_permission');
  });
});
