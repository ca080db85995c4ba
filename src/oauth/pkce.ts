/** PKCE (RFC 7636), S256 only: `plain` offers nothing against a stolen code, so OAuth 2.1 drops it. */
import { createHash, timingSafeEqual } from 'node:crypto';

const CHALLENGE_OR_VERIFIER = /^[A-Za-z0-9\-._~]{43,128}$/;

export function isValidChallenge(value: string): boolean {
  return CHALLENGE_OR_VERIFIER.test(value);
}

export function isValidVerifier(value: string): boolean {
  return CHALLENGE_OR_VERIFIER.test(value);
}

export function s256(verifier: string): string {
  return createHash('sha256').update(verifier, 'ascii').digest('base64url');
}

/** Constant-time: the challenge is a hash, but the comparison need not leak how much of it matched. */
export function verifierMatches(verifier: string, challenge: string): boolean {
  if (!isValidVerifier(verifier)) return false;
  const a = Buffer.from(s256(verifier));
  const b = Buffer.from(challenge);
  return a.length === b.length && timingSafeEqual(a, b);
}
