import { Inject, Injectable } from '@nestjs/common';
import type { OnApplicationBootstrap } from '@nestjs/common';
import { BusConsumers, Streams } from '@omnigate/bus';
import { SealedCardV1Schema, Subjects } from '@omnigate/contracts';
import { VAULT_CONFIG } from '../config/vault.config';
import type { VaultConfig } from '../config/vault.config';
import { CardIntakeService } from './card-intake.service';

export const CARDS_DURABLE = 'vault-cards';

/** The vault's durable consumer of every sealed card (stream CARDS, `card.v1.sealed.>`). */
@Injectable()
export class SealedCardHandler implements OnApplicationBootstrap {
  constructor(
    private readonly consumers: BusConsumers,
    private readonly intake: CardIntakeService,
    @Inject(VAULT_CONFIG) private readonly config: VaultConfig,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    await this.consumers.start({
      stream: Streams.CARDS.name,
      durable: CARDS_DURABLE,
      filterSubject: Subjects.sealedCardAll,
      schema: SealedCardV1Schema,
      concurrency: this.config.VAULT_CONCURRENCY,
      keyOf: (card) => card.ref,
      handle: async (card, ctx) => {
        await this.intake.intake(card, ctx.subject);
      },
    });
  }
}
