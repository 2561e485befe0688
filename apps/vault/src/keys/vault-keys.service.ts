import {
  HpkeError,
  HpkeOpener,
  HpkeSealer,
  hpkePublicKeyFor,
  sealedCardAad,
} from '@omnigate/crypto';
import type { SealedBox } from '@omnigate/crypto';
import { SealedCardRefusedError, VaultKeyMissingError } from '../shared/vault.errors';

/** How a number is stored: a box sealed to one of the vault's keys, bound to the card's token. */
export interface BoxAtRest {
  keyId: string;
  panEnc: string;
  panCt: string;
}

/** A box at rest opens only as the card it was stored for (a row copied to another token fails). */
const atRestAad = (token: string): string => `omnigate:vault:card:${token}`;

/**
 * The vault's HPKE private keys (VAULT_PRIVATE_KEYS, first = current). They open what the gateways
 * sealed, and the vault seals its own copies to the current key's public half, so a rotation is
 * the same operation for the bus and for the database.
 */
export class VaultKeys {
  private constructor(
    private readonly opener: HpkeOpener,
    private readonly current: HpkeSealer,
  ) {}

  static fromConfig(privateKeys: string): VaultKeys {
    return new VaultKeys(
      HpkeOpener.fromConfig(privateKeys, 'VAULT_PRIVATE_KEYS'),
      HpkeSealer.fromConfig(hpkePublicKeyFor(privateKeys, 'VAULT_PRIVATE_KEYS')),
    );
  }

  get currentKeyId(): string {
    return this.current.kid;
  }

  /** Opens a card a gateway sealed under `ref`; a box that can never open is refused for good. */
  async openFromEdge(box: SealedBox, ref: string): Promise<string> {
    try {
      return await this.opener.openText(box, sealedCardAad(ref));
    } catch (e) {
      if (!(e instanceof HpkeError)) throw e;
      if (e.code === 'CRYPTO.HPKE_UNKNOWN_KEY') {
        throw new SealedCardRefusedError(
          'VAULT.UNKNOWN_KEY',
          `sealed to key ${box.kid}, which the vault does not hold`,
          e,
        );
      }
      throw new SealedCardRefusedError(
        'VAULT.BOX_UNOPENABLE',
        'the sealed box does not open (tampered with, or moved from another reference)',
        e,
      );
    }
  }

  async sealAtRest(pan: string, token: string): Promise<BoxAtRest> {
    const box = await this.current.seal(pan, atRestAad(token));
    return { keyId: box.kid, panEnc: box.enc, panCt: box.ct };
  }

  async openAtRest(token: string, stored: BoxAtRest): Promise<string> {
    if (!this.opener.knows(stored.keyId)) throw new VaultKeyMissingError(stored.keyId);
    return this.opener.openText(
      { kid: stored.keyId, enc: stored.panEnc, ct: stored.panCt },
      atRestAad(token),
    );
  }
}
