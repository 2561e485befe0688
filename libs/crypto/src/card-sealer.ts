import type { FoundCard, PanRedactor, RedactionResult } from './pan-redactor';
import type { HpkeSealer, SealedBox } from './hpke/sealed-box';

/** A card number found at the edge, sealed to the vault: what may travel to it on the bus. */
export interface SealedCard {
  /** The reference that replaced the number in the text. */
  ref: string;
  brand: string;
  last4: string;
  box: SealedBox;
}

/** The context a card's box is bound to: a box opens only under the reference it came with. */
export const sealedCardAad = (ref: string): string => `omnigate:card:${ref}`;

/**
 * What a gateway does with customer text: every card number is replaced by a random reference and
 * sealed with the vault's public key. The gateway keeps nothing and can open nothing; the clear
 * number exists only inside this call.
 */
export class CardSealer {
  constructor(
    private readonly redactor: PanRedactor,
    private readonly vault: HpkeSealer,
  ) {}

  async redactAndSeal(text: string): Promise<RedactionResult & { sealed: SealedCard[] }> {
    const { text: redacted, redactions, removed, cards } = this.redactor.redactWithCards(text);
    return { text: redacted, redactions, removed, sealed: await this.sealCards(cards) };
  }

  /**
   * Seals cards a redaction already found (`PanRedactor.redactWithCards`): for mappers that redact
   * several fields synchronously and seal once at the end.
   */
  sealCards(cards: readonly FoundCard[]): Promise<SealedCard[]> {
    return Promise.all(
      cards.map(async (c) => ({
        ref: c.token,
        brand: c.brand,
        last4: c.last4,
        box: await this.vault.seal(c.pan, sealedCardAad(c.token)),
      })),
    );
  }
}
