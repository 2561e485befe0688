import { counter } from '@omnigate/kit';

/** Sealed cards taken in: stored (a new reference), duplicate (a redelivery), refused (dead letter). */
export const sealedCardsTotal = counter(
  'omnigate_vault_sealed_cards_total',
  'Sealed cards handled by the vault, by outcome',
  ['outcome'],
);

/** Sealed cards refused for good, by reason (the dead-letter code). */
export const sealedCardsRefusedTotal = counter(
  'omnigate_vault_sealed_cards_refused_total',
  'Sealed cards the vault dead-lettered, by reason',
  ['reason'],
);

/** Reveal requests by outcome: ok, denied (role), not_found. */
export const revealsTotal = counter('omnigate_vault_reveals_total', 'Card reveal requests', [
  'outcome',
]);

/** References forgotten and cards deleted, by erasure (a customer's) or retention. */
export const cardsErasedTotal = counter(
  'omnigate_vault_cards_erased_total',
  'Card references and cards the vault deleted, by kind (refs, cards, retention_refs, retention_cards)',
  ['kind'],
);
