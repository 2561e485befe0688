import type { SeedCard, SeedCustomer, SeedTransaction } from './core-banking.seed';

export type ApiCustomer = SeedCustomer;
export type ApiCard = Omit<SeedCard, 'customerId'>;
export type ApiTransaction = Omit<SeedTransaction, 'customerId'>;

/** Stored records → the API's JSON (a copy: callers never hold the state's objects). Pure. */
export function toApiCustomer(c: SeedCustomer): ApiCustomer {
  return { ...c };
}

export function toApiCard(c: SeedCard): ApiCard {
  const { customerId: _customerId, ...card } = c;
  return card;
}

export function toApiTransaction(t: SeedTransaction): ApiTransaction {
  const { customerId: _customerId, ...tx } = t;
  return tx;
}
