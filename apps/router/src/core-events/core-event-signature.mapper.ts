import { createHmac, timingSafeEqual } from 'node:crypto';

/** Why a core event's signature was refused (the reason in the 401 and the metric label). */
export type SignatureRefusal = 'not_configured' | 'missing' | 'malformed' | 'mismatch' | 'stale';

export type SignatureCheck =
  { ok: true; timestamp: number } | { ok: false; reason: SignatureRefusal };

/** Default replay window: a signature older (or further ahead) than this is refused. */
export const SIGNATURE_TOLERANCE_S = 300;

const HEADER_RE = /^t=(\d{1,12}),v1=([0-9a-f]{64})$/;

/** The X-Core-Signature value for a body at a time (what the bank sends). Pure. */
export function signCoreEvent(
  secret: string,
  rawBody: Buffer | string,
  unixSeconds: number,
): string {
  const mac = createHmac('sha256', secret).update(`${unixSeconds}.`).update(rawBody).digest('hex');
  return `t=${unixSeconds},v1=${mac}`;
}

/**
 * Checks `t=<unix seconds>,v1=<hex HMAC-SHA256 of "<t>.<raw body>">`: the MAC in constant time
 * over the exact bytes received, then the timestamp within ±toleranceS of now (a captured
 * request replayed later is refused even though its MAC is right). Pure.
 */
export function verifyCoreSignature(
  header: string | undefined,
  rawBody: Buffer | undefined,
  secret: string | undefined,
  nowSeconds: number,
  toleranceS = SIGNATURE_TOLERANCE_S,
): SignatureCheck {
  if (!secret) return { ok: false, reason: 'not_configured' };
  if (!header) return { ok: false, reason: 'missing' };
  const match = HEADER_RE.exec(header.trim());
  if (!match || rawBody === undefined) return { ok: false, reason: 'malformed' };
  const timestamp = Number(match[1]);
  const expected = Buffer.from(signCoreEvent(secret, rawBody, timestamp).slice(-64), 'hex');
  const given = Buffer.from(match[2]!, 'hex');
  if (!timingSafeEqual(expected, given)) return { ok: false, reason: 'mismatch' };
  if (Math.abs(nowSeconds - timestamp) > toleranceS) return { ok: false, reason: 'stale' };
  return { ok: true, timestamp };
}
