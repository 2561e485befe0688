import { Controller } from '@nestjs/common';
import { OnStream } from '@omnigate/bus';
import type { BusContext } from '@omnigate/bus';
import { StreamSubjects } from '@omnigate/contracts';
import type { SealedCardV1 } from '@omnigate/contracts';
import { CardIntakeService } from './card-intake.service';

export const CARDS_DURABLE = 'vault-cards';

/** The vault's durable consumer of every sealed card (stream CARDS, `card.v1.sealed.>`). */
@Controller()
export class SealedCardHandler {
  constructor(private readonly intake: CardIntakeService) {}

  /** Pacing comes from the config (vault bootstrap: VAULT_CONCURRENCY). */
  @OnStream(StreamSubjects.sealedCards, { durable: CARDS_DURABLE, keyOf: (card) => card.ref })
  async handle(card: SealedCardV1, ctx: BusContext): Promise<void> {
    // The channel is the subject's, never the payload's (checked in the intake).
    await this.intake.intake(card, ctx.subject);
  }
}
