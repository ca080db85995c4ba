/**
 * Optional tooling (Prism, Chromium) may be missing on a developer's machine, where a suite says it skips. In CI
 * (`CI=true`, set by .ci/run) everything is installed, so the same condition is a failure, never a silent skip.
 */
export function skipOrFailInCi(
  ctx: { skip: () => void },
  why: string | null | undefined,
  what: string,
): void {
  if (!why) return;
  if (process.env.CI === 'true') throw new Error(`${what} must run in CI, but: ${why}`);
  console.warn(`[${what}] SKIPPED: ${why}`);
  ctx.skip();
}
