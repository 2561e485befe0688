import { createHmac } from 'node:crypto';

/**
 * The vault's stable token of a card number: HMAC-SHA256 with VAULT_TOKEN_KEY (held by the vault
 * only), 128 bits, written with the letters a–p so that a token can never look like a card number
 * to a redactor. The same number always gives the same token; without the key it cannot be
 * recomputed (so the 10^5 candidates a brand and last 4 leave cannot be tried against it).
 */
export function cardToken(key: string, pan: string): string {
  const mac = createHmac('sha256', key).update(`omnigate:vault-token:v1:${pan}`).digest();
  let letters = '';
  for (const byte of mac.subarray(0, 16)) {
    letters += String.fromCharCode(97 + (byte >> 4), 97 + (byte & 15));
  }
  return `vtk_${letters}`;
}
