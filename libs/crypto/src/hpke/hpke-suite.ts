import { Aes128Gcm, CipherSuite, DhkemX25519HkdfSha256, HkdfSha256 } from '@hpke/core';
import { HpkeError } from './hpke.errors';

/**
 * RFC 9180 base mode, DHKEM(X25519, HKDF-SHA256) / HKDF-SHA256 / AES-128-GCM (ids 0x0020, 0x0001,
 * 0x0001): the suite every sealed box on the bus uses. Keys travel as `<kid>:<base64url 32 bytes>`.
 */
export const HPKE_SUITE_NAME = 'DHKEM(X25519,HKDF-SHA256)/HKDF-SHA256/AES-128-GCM';

export const hpkeSuite = (): CipherSuite =>
  new CipherSuite({
    kem: new DhkemX25519HkdfSha256(),
    kdf: new HkdfSha256(),
    aead: new Aes128Gcm(),
  });

const KID = /^[a-z0-9_-]{1,32}$/i;

export interface KeySpec {
  kid: string;
  key: Uint8Array;
}

/** Parses `kid:base64url,...`: `what` names the setting in the error (never the key). */
export function parseKeySpecs(value: string, what: string): KeySpec[] {
  const specs = value
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean)
    .map((part) => {
      const i = part.indexOf(':');
      const kid = i > 0 ? part.slice(0, i) : '';
      const key = Buffer.from(part.slice(i + 1), 'base64url');
      if (!KID.test(kid) || key.length !== 32) {
        throw new HpkeError(
          'CRYPTO.HPKE_KEY_INVALID',
          `${what} must look like "<key id>:<base64url of 32 bytes>" (key id: letters, digits, _ or -)`,
        );
      }
      return { kid, key: new Uint8Array(key) };
    });
  if (specs.length === 0) throw new HpkeError('CRYPTO.HPKE_KEY_INVALID', `${what} is empty`);
  return specs;
}

export function formatKeySpec(kid: string, key: ArrayBuffer | Uint8Array): string {
  return `${kid}:${Buffer.from(key instanceof Uint8Array ? key : new Uint8Array(key)).toString('base64url')}`;
}
