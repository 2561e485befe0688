import { Injectable } from '@nestjs/common';
import { cloneSeed } from './core-banking.seed';
import type {
  CardBlocker,
  CoreBankingSeed,
  SeedCard,
  SeedCustomer,
  SeedTransaction,
} from './core-banking.seed';

export interface CardAction {
  actor: string;
  reason: string;
}

export interface CardChange {
  card: SeedCard;
  /** False when the card already was in the asked state (the call is then a no-op). */
  changed: boolean;
  /** Who had blocked the card (on unblock). */
  previousBlockedBy: CardBlocker | null;
}

/**
 * The stand-in's data and its failure switches, per module instance (several sandboxes may run
 * in one process). No database: every start begins from the seed.
 */
@Injectable()
export class CoreBankingState {
  private data: CoreBankingSeed = cloneSeed();
  private down = false;
  private latencyMs = 0;

  isDown(): boolean {
    return this.down;
  }

  setDown(down: boolean): void {
    this.down = down;
  }

  latency(): number {
    return this.latencyMs;
  }

  setLatency(ms: number): void {
    this.latencyMs = ms;
  }

  /** Back to the seed, up, no added latency. */
  reset(): void {
    this.data = cloneSeed();
    this.down = false;
    this.latencyMs = 0;
  }

  findByPhone(e164: string): SeedCustomer | undefined {
    return this.data.customers.find((c) => c.phone === e164);
  }

  /** By the email the bank verified, without case. */
  findByEmail(email: string): SeedCustomer | undefined {
    const wanted = email.trim().toLowerCase();
    return this.data.customers.find((c) => c.email?.toLowerCase() === wanted);
  }

  findByAppUser(appUserId: string): SeedCustomer | undefined {
    return this.data.customers.find((c) => c.appUserId === appUserId);
  }

  customer(id: string): SeedCustomer | undefined {
    return this.data.customers.find((c) => c.id === id);
  }

  cards(customerId: string): SeedCard[] {
    return this.data.cards.filter((c) => c.customerId === customerId);
  }

  card(customerId: string, cardId: string): SeedCard | undefined {
    return this.data.cards.find((c) => c.customerId === customerId && c.id === cardId);
  }

  /** Newest first. */
  transactions(customerId: string, limit: number): SeedTransaction[] {
    return this.data.transactions
      .filter((t) => t.customerId === customerId)
      .sort((a, b) => b.at.localeCompare(a.at))
      .slice(0, limit);
  }

  addTransaction(tx: SeedTransaction): void {
    this.data.transactions.push(tx);
  }

  /**
   * Blocks an active card; a blocked card stays as it is (who blocked it first is kept), unless
   * `force` (the fraud engine records its own block over any earlier one).
   */
  blockCard(
    card: SeedCard,
    by: CardBlocker,
    action: CardAction,
    at: Date,
    force = false,
  ): CardChange {
    const previousBlockedBy = card.blockedBy;
    if (card.status === 'blocked' && !force) return { card, changed: false, previousBlockedBy };
    card.status = 'blocked';
    card.blockedBy = by;
    card.blockReason = action.reason;
    card.blockedAt = at.toISOString();
    card.history.push({ action: 'blocked', at: card.blockedAt, ...action, blockedBy: by });
    return { card, changed: true, previousBlockedBy };
  }

  /** Unblocks a blocked card, recording who had blocked it; an active card stays as it is. */
  unblockCard(card: SeedCard, action: CardAction, at: Date): CardChange {
    if (card.status === 'active') return { card, changed: false, previousBlockedBy: null };
    const previousBlockedBy = card.blockedBy;
    card.status = 'active';
    card.blockedBy = null;
    card.blockReason = null;
    card.blockedAt = null;
    card.history.push({
      action: 'unblocked',
      at: at.toISOString(),
      ...action,
      blockedBy: previousBlockedBy,
    });
    return { card, changed: true, previousBlockedBy };
  }

  setPhone(customer: SeedCustomer, phone: string): void {
    customer.phone = phone;
  }
}
