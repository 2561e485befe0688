import { Injectable } from '@nestjs/common';
import { CoreBankingState } from './core-banking-state.service';
import type { CardAction, CardChange } from './core-banking-state.service';
import { CoreCardNotFoundError, CoreCustomerNotFoundError } from './core-banking.errors';
import { CoreEventsService } from './core-events.service';
import type { CardBlocker, SeedCard, SeedCustomer } from './core-banking.seed';

/**
 * Card blocks and unblocks, by an agent (through the API) or by the fraud engine (scenario
 * control). Both are idempotent: blocking a blocked card or unblocking an active one changes
 * nothing and emits nothing. Any unblock that changed the card emits `card_unblocked`.
 */
@Injectable()
export class CoreBankingCardsService {
  constructor(
    private readonly state: CoreBankingState,
    private readonly events: CoreEventsService,
  ) {}

  customer(customerId: string): SeedCustomer {
    const c = this.state.customer(customerId);
    if (!c) throw new CoreCustomerNotFoundError();
    return c;
  }

  card(customerId: string, cardId: string): SeedCard {
    this.customer(customerId);
    const card = this.state.card(customerId, cardId);
    if (!card) throw new CoreCardNotFoundError();
    return card;
  }

  block(
    customerId: string,
    cardId: string,
    by: CardBlocker,
    action: CardAction,
    force = false,
  ): CardChange {
    return this.state.blockCard(this.card(customerId, cardId), by, action, new Date(), force);
  }

  unblock(customerId: string, cardId: string, action: CardAction): CardChange {
    const change = this.state.unblockCard(this.card(customerId, cardId), action, new Date());
    if (change.changed) this.events.emit('card_unblocked', customerId, { cardId });
    return change;
  }
}
