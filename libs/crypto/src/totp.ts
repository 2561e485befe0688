import { createHmac, randomBytes } from 'node:crypto';
import { createBase32Plugin, createCryptoPlugin } from '@otplib/core';
import type { HashAlgorithm } from '@otplib/core';
import { generateSync, verifySync } from '@otplib/totp';
import { generateTOTP } from '@otplib/uri';
import { safeEqual } from './timing-safe';

/**
 * TOTP (RFC 6238) on otplib 13's own TOTP, HOTP and URI packages with node:crypto and a local
 * base32: the `otplib` entry point loads its default plugins (@scure/base, @noble/hashes), which
 * are ESM only and do not load under jest on Node 20. SHA-1, 6 digits, 30 s: what every
 * authenticator app speaks.
 */
export const TOTP_PERIOD_S = 30;

const ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';

/** RFC 4648 base32, no padding. Pure. */
export function base32Encode(data: Uint8Array): string {
  let bits = 0;
  let value = 0;
  let out = '';
  for (const byte of data) {
    value = (value << 8) | byte;
    bits += 8;
    while (bits >= 5) {
      out += ALPHABET[(value >>> (bits - 5)) & 31];
      bits -= 5;
    }
  }
  if (bits > 0) out += ALPHABET[(value << (5 - bits)) & 31];
  return out;
}

/** RFC 4648 base32 (case-insensitive, padding and spaces ignored); throws on another character. */
export function base32Decode(text: string): Uint8Array {
  const clean = text.toUpperCase().replace(/[\s=]/g, '');
  const out: number[] = [];
  let bits = 0;
  let value = 0;
  for (const ch of clean) {
    const i = ALPHABET.indexOf(ch);
    if (i < 0) throw new Error('not base32');
    value = (value << 5) | i;
    bits += 5;
    if (bits >= 8) {
      out.push((value >>> (bits - 8)) & 255);
      bits -= 8;
    }
  }
  return Uint8Array.from(out);
}

const crypto = createCryptoPlugin({
  name: 'node',
  algorithms: ['sha1', 'sha256', 'sha512'],
  hmac: (algorithm: HashAlgorithm, key: Uint8Array, data: Uint8Array) =>
    new Uint8Array(createHmac(algorithm, key).update(data).digest()),
  randomBytes: (n: number) => new Uint8Array(randomBytes(n)),
  constantTimeEqual: (a, b) =>
    safeEqual(
      typeof a === 'string' ? a : Buffer.from(a).toString('hex'),
      typeof b === 'string' ? b : Buffer.from(b).toString('hex'),
    ),
});
const base32 = createBase32Plugin({ name: 'rfc4648', encode: base32Encode, decode: base32Decode });

/** A new secret: 20 random bytes (RFC 4226's recommended 160 bits), base32. */
export function newTotpSecret(): string {
  return base32Encode(randomBytes(20));
}

/** The code of `secret` at `epochMs`. */
export function totpCode(secret: string, epochMs: number): string {
  return generateSync({
    secret,
    epoch: Math.floor(epochMs / 1000),
    period: TOTP_PERIOD_S,
    crypto,
    base32,
  });
}

/**
 * The time step `code` matches at `epochMs`, one step either side (a phone a little off, a code
 * typed as it turned), or null. The caller refuses a step already used (replay).
 */
export function totpStep(secret: string, code: string, epochMs: number): number | null {
  if (!/^\d{6}$/.test(code)) return null;
  const r = verifySync({
    secret,
    token: code,
    epoch: Math.floor(epochMs / 1000),
    period: TOTP_PERIOD_S,
    epochTolerance: TOTP_PERIOD_S,
    crypto,
    base32,
  });
  return r.valid ? r.timeStep : null;
}

/** `otpauth://totp/<issuer>:<label>?secret=...&issuer=...`: what an authenticator app scans. */
export function totpUri(issuer: string, label: string, secret: string): string {
  return generateTOTP({ issuer, label, secret, period: TOTP_PERIOD_S, digits: 6 });
}
