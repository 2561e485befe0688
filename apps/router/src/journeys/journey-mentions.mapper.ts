import { createHash } from 'node:crypto';
import { extractFacts } from '../facts/facts.mapper';
import type { CardRedactionRef, FactKey } from '../facts/facts.mapper';

/** What a piece of conversation context is, for the context-loss figures. */
export const CONTEXT_KINDS = ['card', 'transaction', 'fact'] as const;
export type ContextKind = (typeof CONTEXT_KINDS)[number];

/** One thing a customer message tells: its kind and a digest standing for its value. */
export interface Mention {
  kind: ContextKind;
  digest: string;
}

/**
 * Which fact keys count as which kind. A card is known by its last four (the gateway's redaction
 * and "ending 1234" both give them; the vault's stable token is not known yet when the router
 * announces the message, the CARDS stream being read by the vault on its own time). Brand and
 * currency alone say too little to be "the same thing said again".
 */
const KIND_OF: Partial<Record<FactKey, ContextKind>> = {
  card_last4: 'card',
  reference: 'transaction',
  amount: 'transaction',
  merchant: 'transaction',
  date: 'fact',
  iban_last4: 'fact',
};

/**
 * A stand-in for a value, so the projection can tell "said again" without keeping what was said:
 * SHA-256 of the conversation, the key and the value, shortened. Salted by the conversation, it
 * matches nothing outside it; the rows holding it go with the customer's erasure. Pure.
 */
export function mentionDigest(conversationId: string, key: string, value: string): string {
  return createHash('sha256')
    .update(`${conversationId}\u0000${key}\u0000${value.trim().toLowerCase()}`)
    .digest('hex')
    .slice(0, 24);
}

/**
 * The cards, transactions and facts a customer message mentions (from its already redacted text
 * and the gateway's card redactions), one per value. The text is read here in memory and never
 * kept. Pure.
 */
export function mentionsOf(
  conversationId: string,
  text: string,
  cards: readonly CardRedactionRef[],
  at: Date,
): Mention[] {
  const seen = new Set<string>();
  const out: Mention[] = [];
  for (const f of extractFacts(text, cards, at)) {
    const kind = KIND_OF[f.key];
    if (!kind) continue;
    const digest = mentionDigest(conversationId, f.key, f.value);
    if (seen.has(digest)) continue;
    seen.add(digest);
    out.push({ kind, digest });
  }
  return out;
}

/** Questions that ask the customer for a card, a payment or a fact (Italian and English). */
const ASKS: ReadonlyArray<[ContextKind, RegExp]> = [
  [
    'card',
    /\b(?:numero della (?:tua |sua )?carta|quale carta|ultime (?:4|quattro) cifre|card number|which card|last (?:4|four) digits)\b/i,
  ],
  [
    'transaction',
    /\b(?:quale (?:pagamento|transazione|operazione|bonifico|addebito)|(?:l'|l’)importo|which (?:payment|transaction|transfer|charge)|the amount|codice (?:di )?riferimento|cro|trn)\b/i,
  ],
  [
    'fact',
    /\b(?:in che data|quando (?:è|e') successo|what date|when did (?:it|this) happen|iban)\b/i,
  ],
];

/**
 * What a bot or agent message asks the customer for: a kind is asked when the text holds one of
 * its question phrases and a question mark (a statement naming "the card number" asks nothing).
 * Pure; the text is not kept.
 */
export function asksOf(text: string): ContextKind[] {
  if (!text.includes('?')) return [];
  return ASKS.filter(([, re]) => re.test(text)).map(([kind]) => kind);
}
