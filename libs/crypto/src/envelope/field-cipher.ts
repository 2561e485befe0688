import { createHmac } from 'node:crypto';
import { gcmOpen, gcmSeal } from './aes-gcm';

/**
 * Stored ciphertext is text: `e1.<base64url(iv|ciphertext|tag)>`. The `e1` prefix versions the
 * format (a future e2 sits beside it and old rows stay readable); a value without a known prefix
 * was written with encryption off and is returned as is.
 */
const V1 = 'e1.';

export function isSealed(value: string): boolean {
  return value.startsWith(V1);
}

/** Encrypts a field with a customer's data key; `aad` names the field (table.column:rowOwner). */
export function sealField(dataKey: Buffer, plaintext: string, aad: string): string {
  return V1 + gcmSeal(dataKey, Buffer.from(plaintext, 'utf8'), aad).toString('base64url');
}

/** Decrypts a sealed field; plaintext (encryption off when written) passes through. */
export function openField(dataKey: Buffer, value: string, aad: string): string {
  if (!isSealed(value)) return value;
  return gcmOpen(dataKey, Buffer.from(value.slice(V1.length), 'base64url'), aad).toString('utf8');
}

/**
 * A blind index: an equality lookup on an encrypted value (a phone number, an email address)
 * without storing it. Keyed, so a dump cannot be matched against a list of phone numbers.
 */
export function blindIndex(indexKey: Buffer, ...parts: string[]): string {
  return 'b1.' + createHmac('sha256', indexKey).update(parts.join('\u0000')).digest('base64url');
}
