/**
 * WebAssembly in a long-running node stays on V8's baseline compiler (Liftoff; V8's `--liftoff-only`), set when
 * `affix serve` and `affix worker` start (src/cli/lifecycle.ts). The one WebAssembly a node runs is undici's HTTP
 * response parser (llhttp), for every provider and webhook request. Its main function is 34 KB of wasm, which V8's
 * optimizing tier (TurboFan) compiles once per process as soon as it is hot, in the middle of the first long provider
 * walk: 130–170 ms of CPU on a quiet 2-core machine (300–440 ms under load) and about 42 MB of compiler memory on top
 * of the walk's own peak. Warm, the baseline code parsed 300 responses of 1 MB and 20,000 small ones in the same CPU
 * time within the noise (docs/benchmarks.md, "HiBob P2, third pass").
 */
import v8 from 'node:v8';

export function keepWasmOnBaseline(): void {
  v8.setFlagsFromString('--liftoff-only');
}
