import { CoreBankingPort } from './core-banking.port';
import type { CardActor, CoreCard, CoreCustomer, CoreTransaction } from './core-banking.port';

interface Entry {
  at: number;
  value: Promise<unknown>;
}

/**
 * A short-lived cache in front of any core-banking adapter, for context reads only (cards,
 * transactions, the customer record): an agent opening a conversation and the bot reading the
 * same context share one call. Concurrent misses share the call in flight; failures are never
 * cached. Identity lookups always go to the bank: a link must rest on a fresh answer. Card
 * actions are never cached and drop the customer's entries (also when they fail: a timed-out
 * block may still have happened), as does `invalidate` (a core event about the customer).
 */
export class CachedCoreBankingClient extends CoreBankingPort {
  private readonly entries = new Map<string, Entry>();

  constructor(
    private readonly inner: CoreBankingPort,
    private readonly ttlMs: number,
    private readonly maxEntries = 5000,
    private readonly now: () => number = Date.now,
  ) {
    super();
  }

  findCustomerByPhone(e164: string): Promise<CoreCustomer | null> {
    return this.inner.findCustomerByPhone(e164);
  }

  findCustomerByAppUser(appUserId: string): Promise<CoreCustomer | null> {
    return this.inner.findCustomerByAppUser(appUserId);
  }

  findCustomerByEmail(email: string): Promise<CoreCustomer | null> {
    return this.inner.findCustomerByEmail(email);
  }

  getCustomer(customerId: string): Promise<CoreCustomer | null> {
    return this.cached(`customer:${customerId}`, () => this.inner.getCustomer(customerId));
  }

  getCards(customerId: string): Promise<CoreCard[]> {
    return this.cached(`cards:${customerId}`, () => this.inner.getCards(customerId));
  }

  getTransactions(customerId: string, limit: number): Promise<CoreTransaction[]> {
    return this.cached(`transactions:${customerId}:${limit}`, () =>
      this.inner.getTransactions(customerId, limit),
    );
  }

  async blockCard(customerRef: string, cardId: string, by: CardActor): Promise<CoreCard> {
    try {
      return await this.inner.blockCard(customerRef, cardId, by);
    } finally {
      this.invalidate(customerRef);
    }
  }

  async unblockCard(customerRef: string, cardId: string, by: CardActor): Promise<CoreCard> {
    try {
      return await this.inner.unblockCard(customerRef, cardId, by);
    } finally {
      this.invalidate(customerRef);
    }
  }

  override invalidate(customerRef: string): void {
    const txPrefix = `transactions:${customerRef}:`;
    for (const key of [...this.entries.keys()]) {
      if (
        key === `customer:${customerRef}` ||
        key === `cards:${customerRef}` ||
        (key.startsWith(txPrefix) && /^\d+$/.test(key.slice(txPrefix.length)))
      ) {
        this.entries.delete(key);
      }
    }
    this.inner.invalidate(customerRef);
  }

  private cached<T>(key: string, load: () => Promise<T>): Promise<T> {
    if (this.ttlMs <= 0) return load();
    const now = this.now();
    const hit = this.entries.get(key);
    if (hit && now - hit.at < this.ttlMs) return hit.value as Promise<T>;
    const value = load();
    this.entries.delete(key);
    this.entries.set(key, { at: now, value });
    value.catch(() => {
      if (this.entries.get(key)?.value === value) this.entries.delete(key);
    });
    this.evict();
    return value;
  }

  /** Oldest first (Map keeps insertion order). */
  private evict(): void {
    for (const key of this.entries.keys()) {
      if (this.entries.size <= this.maxEntries) return;
      this.entries.delete(key);
    }
  }
}
