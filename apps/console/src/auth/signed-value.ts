import { createHmac } from 'node:crypto';
import { safeEqual } from '@omnigate/crypto';

/**
 * `base64url(JSON).base64url(HMAC-SHA256(purpose ␀ body))`: the purpose keeps a value signed for
 * one use (a session) from being accepted for another (the OIDC state cookie). Pure.
 */
export function signValue(secret: string, purpose: string, value: unknown): string {
  const body = Buffer.from(JSON.stringify(value)).toString('base64url');
  return `${body}.${mac(secret, purpose, body)}`;
}

/** The decoded JSON, or null when malformed or not signed with this secret for this purpose. */
export function openSignedValue(secret: string, purpose: string, signed: string): unknown {
  const parts = signed.split('.');
  if (parts.length !== 2 || !parts[0] || !parts[1]) return null;
  const [body, sig] = parts as [string, string];
  if (!safeEqual(sig, mac(secret, purpose, body))) return null;
  try {
    return JSON.parse(Buffer.from(body, 'base64url').toString('utf8')) as unknown;
  } catch {
    return null;
  }
}

export function mac(secret: string, purpose: string, body: string): string {
  return createHmac('sha256', secret).update(`${purpose}\0${body}`).digest('base64url');
}
