import { createPrivateKey, createPublicKey } from 'node:crypto';
import { HpkeError } from './hpke.errors';
import { formatKeySpec, hpkeSuite, parseKeySpecs } from './hpke-suite';

/** What a sealer hands on: which recipient key, the encapsulated key and the ciphertext. */
export interface SealedBox {
  kid: string;
  /** base64url */
  enc: string;
  /** base64url */
  ct: string;
}

/**
 * An ArrayBuffer holding exactly these bytes. Never `.buffer` of the input: a small Node Buffer is
 * a view into a shared pool, and its `.buffer` would seal whatever else the pool holds.
 */
const exactBuffer = (s: string | Uint8Array): ArrayBuffer => {
  const src = typeof s === 'string' ? new TextEncoder().encode(s) : s;
  const copy = new Uint8Array(src.byteLength);
  copy.set(src);
  return copy.buffer;
};
const b64 = (b: ArrayBuffer): string => Buffer.from(new Uint8Array(b)).toString('base64url');
const unb64 = (s: string): ArrayBuffer => {
  const b = Buffer.from(s, 'base64url');
  return b.buffer.slice(b.byteOffset, b.byteOffset + b.byteLength);
};

/**
 * Seals to one recipient's public key (the vault's, or the router's for attachments). Holds no
 * secret: whoever has this object can seal, never open. `aad` binds the box to its context (the
 * card reference, the object name) so a box cannot be moved to another place and still open.
 */
export class HpkeSealer {
  private readonly suite = hpkeSuite();
  private publicKey?: Promise<CryptoKey>;

  private constructor(
    readonly kid: string,
    private readonly raw: Uint8Array,
  ) {}

  /** `<kid>:<base64url public key>`; only the first key of a list is used (the current one). */
  static fromConfig(value: string, what = 'the public key'): HpkeSealer {
    const [current] = parseKeySpecs(value, what);
    return new HpkeSealer(current!.kid, current!.key);
  }

  async seal(plaintext: string | Uint8Array, aad: string): Promise<SealedBox> {
    this.publicKey ??= this.suite.kem.deserializePublicKey(exactBuffer(this.raw));
    const { ct, enc } = await this.suite.seal(
      { recipientPublicKey: await this.publicKey },
      exactBuffer(plaintext),
      exactBuffer(aad),
    );
    return { kid: this.kid, enc: b64(enc), ct: b64(ct) };
  }
}

/**
 * Opens boxes sealed to any of its private keys: the first is current, older ones stay for boxes
 * sealed before a rotation (`<kid>:<base64url private key>,<old kid>:...`).
 */
export class HpkeOpener {
  private readonly suite = hpkeSuite();
  private readonly keys: Map<string, Promise<CryptoKey>>;
  readonly currentKid: string;

  private constructor(specs: Array<{ kid: string; key: Uint8Array }>) {
    this.keys = new Map(
      specs.map((s) => [s.kid, this.suite.kem.deserializePrivateKey(exactBuffer(s.key))]),
    );
    this.currentKid = specs[0]!.kid;
    for (const p of this.keys.values()) p.catch(() => undefined);
  }

  static fromConfig(value: string, what = 'the private keys'): HpkeOpener {
    return new HpkeOpener(parseKeySpecs(value, what));
  }

  knows(kid: string): boolean {
    return this.keys.has(kid);
  }

  async open(box: SealedBox, aad: string): Promise<Uint8Array> {
    const key = this.keys.get(box.kid);
    if (!key) {
      throw new HpkeError('CRYPTO.HPKE_UNKNOWN_KEY', `no private key with id ${box.kid}`);
    }
    try {
      const pt = await this.suite.open(
        { recipientKey: await key, enc: unb64(box.enc) },
        unb64(box.ct),
        exactBuffer(aad),
      );
      return new Uint8Array(pt);
    } catch (e) {
      throw new HpkeError('CRYPTO.HPKE_OPEN_FAILED', 'the sealed box does not open', { cause: e });
    }
  }

  async openText(box: SealedBox, aad: string): Promise<string> {
    return new TextDecoder().decode(await this.open(box, aad));
  }
}

/** A fresh key pair in configuration form: the public half for sealers, the private for the opener. */
export async function generateHpkeKeyPair(
  kid: string,
): Promise<{ publicKey: string; privateKey: string }> {
  const suite = hpkeSuite();
  const kp = await suite.kem.generateKeyPair();
  const publicKey = formatKeySpec(kid, await suite.kem.serializePublicKey(kp.publicKey));
  const privateKey = formatKeySpec(kid, await suite.kem.serializePrivateKey(kp.privateKey));
  parseKeySpecs(publicKey, 'the generated public key');
  return { publicKey, privateKey };
}

/** PKCS#8 DER header of a raw X25519 private key (RFC 8410): what node:crypto imports it from. */
const X25519_PKCS8_PREFIX = Buffer.from('302e020100300506032b656e04220420', 'hex');

/**
 * The public key (configuration form, same key id) of a private key in configuration form: lets
 * the holder of a private key seal to itself (the vault at rest) and print what sealers need.
 * Only the first key of a list is used.
 */
export function hpkePublicKeyFor(privateKey: string, what = 'the private key'): string {
  const [current] = parseKeySpecs(privateKey, what);
  const der = Buffer.concat([X25519_PKCS8_PREFIX, Buffer.from(current!.key)]);
  const jwk = createPublicKey(createPrivateKey({ key: der, format: 'der', type: 'pkcs8' })).export({
    format: 'jwk',
  });
  return formatKeySpec(current!.kid, Buffer.from(jwk.x!, 'base64url'));
}
