import { Inject, Injectable, Logger } from '@nestjs/common';
import type { SealedCardV1 } from '@omnigate/contracts';
import { VaultCardsRepository } from '@omnigate/store';
import { VAULT_CONFIG } from '../config/vault.config';
import type { VaultConfig } from '../config/vault.config';
import { VaultKeys } from '../keys/vault-keys.service';
import { SealedCardRefusedError } from '../shared/vault.errors';
import { sealedCardsRefusedTotal, sealedCardsTotal } from '../shared/vault.metrics';
import { cardToken } from './card-token.mapper';
import { channelOfSubject, checkOpenedCard } from './sealed-card.mapper';

/**
 * Takes in a card a gateway sealed: checks the subject's channel, opens the box, checks it holds
 * the card its reference announced, and keeps it under the card's stable token. Idempotent: a
 * redelivery binds nothing new. Whatever can never be kept throws SealedCardRefusedError (the
 * consumer dead-letters it with the code); the number never leaves this call but sealed.
 */
@Injectable()
export class CardIntakeService {
  private readonly logger = new Logger('vault-intake');

  constructor(
    private readonly keys: VaultKeys,
    private readonly cards: VaultCardsRepository,
    @Inject(VAULT_CONFIG) private readonly config: VaultConfig,
  ) {}

  async intake(card: SealedCardV1, subject: string): Promise<'stored' | 'duplicate'> {
    try {
      const outcome = await this.keep(card, subject);
      sealedCardsTotal.inc({ outcome });
      return outcome;
    } catch (e) {
      if (e instanceof SealedCardRefusedError) {
        sealedCardsTotal.inc({ outcome: 'refused' });
        sealedCardsRefusedTotal.inc({ reason: e.code });
        this.logger.warn({ msg: 'sealed card refused', ref: card.ref, subject, code: e.code });
      }
      throw e;
    }
  }

  private async keep(card: SealedCardV1, subject: string): Promise<'stored' | 'duplicate'> {
    const channel = channelOfSubject(subject, card.channel);
    const opened = checkOpenedCard(await this.keys.openFromEdge(card.box, card.ref), card);
    const token = cardToken(this.config.VAULT_TOKEN_KEY, opened.pan);
    const box = await this.keys.sealAtRest(opened.pan, token);
    const binding = await this.cards.keep(
      { token, ...box, brand: opened.brand, last4: opened.last4 },
      card.ref,
      channel,
    );
    if (binding === 'conflict') {
      throw new SealedCardRefusedError(
        'VAULT.REF_CONFLICT',
        'this reference is already bound to another card or channel',
      );
    }
    return binding === 'bound' ? 'stored' : 'duplicate';
  }
}
