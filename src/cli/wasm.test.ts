import { describe, expect, it } from 'vitest';
import { runModuleScript } from '../testing/processes.js';

/**
 * Compilation lines V8 prints (`--trace-wasm-compilation-times`) for a child that compiles a small wasm module and
 * calls its function a million times, so it is hot; `baseline` first calls `keepWasmOnBaseline`, as a node does at
 * start, before the module is compiled (as undici compiles llhttp at its first connection).
 */
function compilations(baseline: boolean): string {
  // (module (func (export "f") (param i32 i32) (result i32) local.get 0 local.get 1 i32.add))
  const wasm = [
    0, 0x61, 0x73, 0x6d, 1, 0, 0, 0, 1, 7, 1, 0x60, 2, 0x7f, 0x7f, 1, 0x7f, 3, 2, 1, 0, 7, 5, 1, 1, 0x66, 0,
    0, 0x0a, 9, 1, 7, 0, 0x20, 0, 0x20, 1, 0x6a, 0x0b,
  ];
  const out = runModuleScript(
    [
      "const { keepWasmOnBaseline } = await import('./src/cli/wasm.ts');",
      baseline ? 'keepWasmOnBaseline();' : '',
      `const { instance } = await WebAssembly.instantiate(new Uint8Array(${JSON.stringify(wasm)}));`,
      'let s = 0;',
      'for (let i = 0; i < 1e6; i++) s = instance.exports.f(s, i) | 0;',
      // The optimizing tier compiles on a background thread: give it time to finish and print.
      'await new Promise((resolve) => setTimeout(resolve, 1500));',
      'console.log(`sum ${s}`);',
    ],
    ['--trace-wasm-compilation-times'],
  );
  expect(out.status, out.stderr).toBe(0);
  expect(out.stdout).toMatch(/sum /);
  return out.stdout;
}

describe('keepWasmOnBaseline', () => {
  it('keeps a hot wasm function on Liftoff (V8 tiers it up to TurboFan otherwise)', () => {
    const own = compilations(false);
    expect(own).toMatch(/using TurboFan/);
    const baseline = compilations(true);
    expect(baseline).toMatch(/using Liftoff/);
    expect(baseline).not.toMatch(/using TurboFan/);
  }, 70_000);
});
