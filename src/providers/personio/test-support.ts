/**
 * What the Personio tests share beyond src/testing (not used by production code): a context for an emulator, and
 * emulators with an adapter, closed after each test.
 */
import { memoryState, providerContext } from '../../testing/provider-context.js';
import type { ConnectionState, ProviderContext } from '../types.js';
import type { Employee } from '../../model/index.js';
import { type PersonioAdapter, type PersonioAdapterOptions, createPersonioAdapter } from './adapter.js';
import { type EmulatorOptions, type PersonioEmulator, startEmulator } from './emulator/server.js';

export function contextFor(
  baseUrl: string,
  credentials: { client_id: string; client_secret: string },
  state: ConnectionState = memoryState(),
): ProviderContext {
  return providerContext({ connectionId: 'con_test_personio', baseUrl, credentials, state });
}

const open: PersonioEmulator[] = [];

/** An emulator (250 employees unless told) and an adapter for it: 2 retries, 2 s read timeout unless given. */
export async function emulatorWithAdapter(
  emulator: EmulatorOptions = {},
  options: PersonioAdapterOptions = {},
) {
  const emu = await startEmulator({ employees: 250, seed: 11, ...emulator });
  open.push(emu);
  const adapter = createPersonioAdapter(contextFor(emu.baseUrl, emu.credentials), {
    retries: 2,
    readTimeoutMs: 2_000,
    ...options,
  });
  return { emu, adapter };
}

/** Closes every emulator `emulatorWithAdapter` started (an `afterEach`). */
export async function closeEmulators(): Promise<void> {
  await Promise.all(open.splice(0).map((e) => e.close()));
}

/** A sink that keeps what it is given and can start again, as the API's fetch jobs do (ListSink.restart). */
export function collectingSink<T>() {
  const sink = {
    pushed: [] as T[],
    pushes: 0,
    restarts: 0,
    expected: null as number | null,
    expect(total: number) {
      sink.expected = total;
    },
    push(items: readonly T[]) {
      sink.pushes++;
      sink.pushed.push(...items);
    },
    restart() {
      sink.restarts++;
      sink.pushed = [];
    },
  };
  return sink;
}

/** `adapter.employees` through a `collectingSink`: the list as the API would serve it, and the sink. */
export async function streamedEmployees(adapter: PersonioAdapter) {
  const sink = collectingSink<Employee>();
  const rest = await adapter.employees(sink);
  return { list: [...sink.pushed, ...rest], sink };
}
