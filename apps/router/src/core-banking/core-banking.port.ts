/** What the router needs from the bank's core system. Adapters: HTTP (the sandbox, a bank's gateway). */
export interface CoreCustomer {
  id: string;
  fullName: string;
  /** The phone the bank verified, E.164. */
  phone: string | null;
  email: string | null;
  appUserId: string | null;
  /** verified | pending | missing_documents | rejected (a bank may add its own). */
  kycStatus: string;
  /** What onboarding still waits for, e.g. proof_of_address (empty or absent when nothing). */
  missingDocuments?: string[];
}

export interface CoreCard {
  id: string;
  brand: string;
  last4: string;
  status: 'active' | 'blocked';
  blockReason: string | null;
  blockedBy: 'fraud_engine' | 'customer' | 'bank' | null;
  blockedAt: string | null;
}

export interface CoreTransaction {
  id: string;
  at: string;
  amountMinor: number;
  currency: string;
  merchant: string;
  status: string;
  cardId: string | null;
}

/** Who asks core banking to block or unblock a card, and why (kept in the card's history). */
export interface CardActor {
  /** e.g. the agent's id. */
  actor: string;
  reason: string;
}

/**
 * The port (and Nest token) for core banking. Lookups answer null when the bank knows nobody;
 * every method throws CoreBankingUnavailableError when the bank cannot answer in time, so
 * decorators (cache, circuit breaker) wrap any adapter the same way. Writes are never cached.
 */
export abstract class CoreBankingPort {
  /** The customer whose bank-VERIFIED phone is this E.164 number. */
  abstract findCustomerByPhone(e164: string): Promise<CoreCustomer | null>;
  /** The customer behind the app's login subject. */
  abstract findCustomerByAppUser(appUserId: string): Promise<CoreCustomer | null>;
  /** The customer whose bank-VERIFIED email address is this one (compared without case). */
  abstract findCustomerByEmail(email: string): Promise<CoreCustomer | null>;
  abstract getCustomer(customerId: string): Promise<CoreCustomer | null>;
  abstract getCards(customerId: string): Promise<CoreCard[]>;
  /** Newest first, at most `limit`. */
  abstract getTransactions(customerId: string, limit: number): Promise<CoreTransaction[]>;
  /**
   * Blocks the card for the bank (blockedBy 'bank'); idempotent (a blocked card is answered as
   * it is). Throws CoreCardNotFoundError for a card the customer does not have.
   */
  abstract blockCard(customerRef: string, cardId: string, by: CardActor): Promise<CoreCard>;
  /** Unblocks the card whoever blocked it (callers enforce their rules first); idempotent. */
  abstract unblockCard(customerRef: string, cardId: string, by: CardActor): Promise<CoreCard>;
  /** Forget anything kept about this customer (a cache drops its entries); no-op by default. */
  invalidate(_customerRef: string): void {}
}
