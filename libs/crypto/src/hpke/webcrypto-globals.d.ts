/**
 * @hpke/core's types name the DOM's Web Crypto types; Node has the same ones under
 * `node:crypto`.webcrypto (its `crypto.subtle` is what the library calls at run time).
 */
import type { webcrypto } from 'node:crypto';

declare global {
  type CryptoKey = webcrypto.CryptoKey;
  type CryptoKeyPair = webcrypto.CryptoKeyPair;
  type JsonWebKey = webcrypto.JsonWebKey;
  type KeyUsage = webcrypto.KeyUsage;
  type SubtleCrypto = webcrypto.SubtleCrypto;
}
