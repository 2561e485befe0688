import { isLuhnValid } from '@omnigate/crypto';
import { findDates } from './fact-date.mapper';
import { findAmounts } from './fact-money.mapper';

/** What the customer told us, so that nobody asks again. */
export const FACT_KEYS = [
  'card_last4',
  'card_brand',
  'amount',
  'currency',
  'date',
  'merchant',
  'reference',
  'iban_last4',
] as const;
export type FactKey = (typeof FACT_KEYS)[number];

export interface ProvidedFact {
  key: FactKey;
  value: string;
}

/** A card the gateway redacted from the text (InboundMessage v1 `redactions`). */
export interface CardRedactionRef {
  token: string;
  brand: string;
  last4: string;
}

const MAX_CHARS = 5000;
const CARD_TOKEN = /\[card\b[^\]]{0,80}\]/gi;
/** Card-number-shaped runs the gateway should already have redacted; masked again here anyway. */
const DIGIT_RUN = /\d(?:[ -]?\d){12,18}/g;
const IBAN = /\b[a-z]{2}\d{2}(?: ?[a-z0-9]{4}){2,7}(?: ?[a-z0-9]{1,3})?\b/gi;
const LAST4 =
  /\b(?:finisc\w* (?:con|per|in)|termin\w* (?:con|per|in)|ending(?: in| with)?|ends? (?:in|with)|ultime (?:4|quattro) cifre(?: sono)?|last (?:4|four) digits(?: are)?)[ :]*(\d{4})\b|\*{2,} ?(\d{4})\b/gi;
const REFERENCE =
  /\b(?:cro|trn|riferimento|rif|reference|ref|codice (?:di )?riferimento|transaction id|id transazione)\b[\s.:#°n]*([a-z0-9][a-z0-9-]{5,34})\b/gi;
const MERCHANT_AFTER =
  /\b(?:da|dal|dalla|su|presso|at|from|on)\s+(\p{Lu}[\p{L}\d&'.-]*(?:\s+\p{Lu}[\p{L}\d&'.-]*){0,2})/gu;
const KNOWN_MERCHANTS = [
  'Amazon', 'Zalando', 'Uber', 'Netflix', 'PayPal', 'eBay', 'Spotify', 'Apple', 'Google',
  'Booking', 'Airbnb', 'Ryanair', 'Trenitalia', 'Esselunga', 'Glovo', 'Deliveroo', 'Just Eat',
  'Shein', 'Temu', 'AliExpress', 'Vinted', 'Decathlon', 'Ikea', 'Carrefour', 'Lidl', 'Coop',
]; // prettier-ignore
const KNOWN = new RegExp(`\\b(${KNOWN_MERCHANTS.join('|').replace(/ /g, '\\s+')})\\b`, 'gi');
/** Capitalised words after "da/on/…" that are not merchants: dates, pronouns, greetings. */
const NOT_MERCHANT = new Set(
  (
    'i il la lo le gli un una oggi ieri today yesterday lunedi martedi mercoledi giovedi venerdi ' +
    'sabato domenica monday tuesday wednesday thursday friday saturday sunday gennaio febbraio ' +
    'marzo aprile maggio giugno luglio agosto settembre ottobre novembre dicembre january february ' +
    'march april may june july august september october november december jan feb mar apr ' +
    'jun jul aug sep sept oct nov dec gen mag giu lug ago set ott dic my mio mia the'
  ).split(' '),
);

/**
 * Card last four digits (from the gateway's redactions or "finisce con 1234"), amounts with their
 * currency, dates (ISO, relative to `now`), merchant, transfer reference (CRO / TRN) and the last
 * four characters of an IBAN. Never a full IBAN or card number: IBANs and card tokens are masked
 * before anything else is read, and a reference that could be a card number is dropped. Pure.
 */
export function extractFacts(
  text: string,
  redactions: readonly CardRedactionRef[] = [],
  now: Date = new Date(),
): ProvidedFact[] {
  const facts: ProvidedFact[] = [];
  const add = (key: FactKey, value: string): void => {
    // Last line of defence: no value ever carries a run of digits as long as a card number.
    if (/\d{13,}/.test(value.replace(/[\s.-]/g, ''))) return;
    if (!facts.some((f) => f.key === key && f.value === value)) facts.push({ key, value });
  };
  for (const r of redactions) {
    if (/^\d{4}$/.test(r.last4)) add('card_last4', r.last4);
    if (/^[a-z]{2,20}$/i.test(r.brand) && r.brand !== 'card') {
      add('card_brand', r.brand.toLowerCase());
    }
  }
  let work = (typeof text === 'string' ? text : '').slice(0, MAX_CHARS).replace(/[’‘`´]/g, "'");
  work = mask(work, CARD_TOKEN);
  work = mask(work, DIGIT_RUN, (m) => looksLikePan(m.replace(/[ -]/g, '')));
  const ibans: string[] = [];
  work = mask(work, IBAN, (m) => {
    const compact = m.replace(/ /g, '');
    if (compact.length < 15 || (compact.match(/\d/g)?.length ?? 0) < 8) return false;
    ibans.push(compact.slice(-4).toUpperCase());
    return true;
  });
  for (const m of work.matchAll(LAST4)) {
    const last4 = m[1] ?? m[2] ?? '';
    const before = work.slice(Math.max(0, (m.index ?? 0) - 30), m.index).toLowerCase();
    add(before.includes('iban') ? 'iban_last4' : 'card_last4', last4);
  }
  const references: string[] = [];
  work = mask(work, REFERENCE, (m, value) => {
    if (!/\d{3}/.test(value) || looksLikePan(value)) return false;
    references.push(value.toUpperCase());
    return true;
  });
  for (const money of findAmounts(work)) {
    add('amount', money.amount);
    add('currency', money.currency);
    work =
      work.slice(0, money.index) +
      ' '.repeat(money.length) +
      work.slice(money.index + money.length);
  }
  for (const d of findDates(plain(work), now)) add('date', d.iso);
  for (const merchant of findMerchants(work)) add('merchant', merchant);
  for (const r of references) add('reference', r);
  for (const i of ibans) add('iban_last4', i);
  return facts;
}

/** Replaces each match the predicate accepts by spaces of the same length (indices stay put). */
function mask(
  text: string,
  re: RegExp,
  accept?: (match: string, group: string) => boolean,
): string {
  return text.replace(re, (m: string, group: unknown) =>
    !accept || accept(m, typeof group === 'string' ? group : m) ? ' '.repeat(m.length) : m,
  );
}

/** Lowercase, no accents, apostrophes as spaces; one character for one (indices stay put). */
function plain(text: string): string {
  return text
    .toLowerCase()
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '')
    .replace(/'/g, ' ');
}

function findMerchants(text: string): string[] {
  const found: { index: number; name: string }[] = [];
  for (const m of text.matchAll(KNOWN)) {
    const canonical = KNOWN_MERCHANTS.find(
      (k) => k.toLowerCase() === m[1]?.toLowerCase().replace(/\s+/g, ' '),
    );
    if (canonical) found.push({ index: m.index, name: canonical });
  }
  for (const m of text.matchAll(MERCHANT_AFTER)) {
    const words = (m[1] ?? '').split(/\s+/);
    const kept: string[] = [];
    for (const w of words) {
      if (NOT_MERCHANT.has(plain(w).replace(/[.'-]+$/, ''))) break;
      kept.push(w.replace(/[.,'-]+$/, ''));
    }
    if (kept.length > 0) found.push({ index: m.index, name: kept.join(' ').slice(0, 40) });
  }
  const names = found.sort((a, b) => a.index - b.index).map((f) => f.name);
  return names.filter(
    (n, i) => !names.slice(0, i).some((p) => p.toLowerCase() === n.toLowerCase()),
  );
}

/** 13–19 digits passing Luhn: could be a card number, never a fact value. */
function looksLikePan(value: string): boolean {
  const digits = value.replace(/-/g, '');
  return /^\d{13,19}$/.test(digits) && isLuhnValid(digits);
}

/**
 * The facts of a conversation this message opened, as the store lists them after storing these:
 * one value per key (the message's last), ordered by key (one insert, one creation time). Pure.
 */
export function factsOfNewConversation(facts: readonly ProvidedFact[]): ProvidedFact[] {
  const byKey = new Map(facts.map((f) => [f.key, f.value]));
  return [...byKey]
    .map(([key, value]) => ({ key, value }))
    .sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
}
