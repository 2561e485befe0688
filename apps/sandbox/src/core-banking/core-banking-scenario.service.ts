import { randomBytes } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { CoreBankingCardsService } from './core-banking-cards.service';
import { CoreBankingState } from './core-banking-state.service';
import { CoreCardNotFoundError } from './core-banking.errors';
import { toApiCard, toApiTransaction } from './core-banking.mapper';
import type { ApiCard, ApiTransaction } from './core-banking.mapper';
import { CoreEventsService } from './core-events.service';
import type { SandboxCoreEvent } from './core-events.service';
import type { SeedTransaction } from './core-banking.seed';

export interface FraudBlockRequest {
  customerId: string;
  cardId?: string;
  merchant?: string;
  /** The payment's amount in minor units (its sign is ignored: a payment is a debit). */
  amountMinor?: number;
}

export interface FraudBlockResult {
  event: SandboxCoreEvent;
  card: ApiCard;
  transaction: ApiTransaction;
}

const DEFAULT_MERCHANT = 'QUICKPAY*ELECTRO-DEALS';
const DEFAULT_AMOUNT_MINOR = 124_900;

/** "EUR 1,249.00": the amount as the fraud engine writes it in a block reason. Pure. */
export function formatAmount(amountMinor: number, currency = 'EUR'): string {
  const units = Math.abs(amountMinor) / 100;
  return `${currency} ${units.toLocaleString('en-US', { minimumFractionDigits: 2, maximumFractionDigits: 2 })}`;
}

/**
 * The seed story's signals, scripted by tests and the demo: the fraud engine declines a payment
 * and blocks the card; a SIM swap, a login from a new device, a changed phone number.
 */
@Injectable()
export class CoreBankingScenarioService {
  constructor(
    private readonly state: CoreBankingState,
    private readonly cards: CoreBankingCardsService,
    private readonly events: CoreEventsService,
  ) {}

  fraudBlock(req: FraudBlockRequest): FraudBlockResult {
    this.cards.customer(req.customerId);
    const owned = this.state.cards(req.customerId);
    const card = req.cardId
      ? this.cards.card(req.customerId, req.cardId)
      : (owned.find((c) => c.status === 'active') ?? owned[0]);
    if (!card) throw new CoreCardNotFoundError();
    const merchant = req.merchant ?? DEFAULT_MERCHANT;
    const amountMinor = -Math.abs(req.amountMinor ?? DEFAULT_AMOUNT_MINOR);
    const tx: SeedTransaction = {
      id: `tx-fraud-${randomBytes(6).toString('hex')}`,
      customerId: req.customerId,
      at: new Date().toISOString(),
      amountMinor,
      currency: 'EUR',
      merchant,
      status: 'declined',
      cardId: card.id,
    };
    this.state.addTransaction(tx);
    const reason = `Suspicious payment of ${formatAmount(amountMinor)} to ${merchant} (transaction ${tx.id})`;
    this.cards.block(
      req.customerId,
      card.id,
      'fraud_engine',
      { actor: 'fraud_engine', reason },
      true,
    );
    const event = this.events.emit('card_blocked_by_fraud', req.customerId, {
      cardId: card.id,
      transactionId: tx.id,
    });
    return { event, card: toApiCard(card), transaction: toApiTransaction(tx) };
  }

  signal(kind: 'sim_swap' | 'new_device', customerId: string): SandboxCoreEvent {
    this.cards.customer(customerId);
    return this.events.emit(kind, customerId);
  }

  phoneChange(customerId: string, phone: string): SandboxCoreEvent {
    this.state.setPhone(this.cards.customer(customerId), phone);
    return this.events.emit('phone_changed', customerId);
  }
}
