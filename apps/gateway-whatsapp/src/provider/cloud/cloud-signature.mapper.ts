import { createHmac, timingSafeEqual } from 'node:crypto';

/** X-Hub-Signature-256 of a body: `sha256=` + hex HMAC-SHA256 keyed with the app secret. */
export function hubSignature(appSecret: string, rawBody: Buffer | string): string {
  return 'sha256=' + createHmac('sha256', appSecret).update(rawBody).digest('hex');
}

/**
 * Does `header` sign exactly these bytes? Compared in constant time over equal-length buffers
 * (a length mismatch is refused before comparing, which leaks only the length of a public format).
 */
export function isValidHubSignature(
  appSecret: string,
  rawBody: Buffer,
  header: string | undefined,
): boolean {
  if (typeof header !== 'string' || !header.startsWith('sha256=')) return false;
  const expected = Buffer.from(hubSignature(appSecret, rawBody), 'utf8');
  const given = Buffer.from(header.trim().toLowerCase(), 'utf8');
  return given.length === expected.length && timingSafeEqual(given, expected);
}

/** The verify token of the GET handshake, compared in constant time (hashed to equal lengths). */
export function isValidVerifyToken(expected: string, given: unknown): boolean {
  if (typeof given !== 'string') return false;
  const a = createHmac('sha256', 'verify-token').update(expected).digest();
  const b = createHmac('sha256', 'verify-token').update(given).digest();
  return timingSafeEqual(a, b);
}
