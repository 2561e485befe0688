/**
 * Amounts with a currency ("950 euro", "€ 49,90", "$20", "20 EUR", "1.200,50 €", "1,200 EUR") as a
 * decimal string with two places and an ISO 4217 code. A number without a currency is not an
 * amount: it may be a date, a reference or the last digits of a card. Pure.
 */

const CURRENCY_WORDS: Record<string, string> = {
  '€': 'EUR', eur: 'EUR', euro: 'EUR', euros: 'EUR',
  $: 'USD', usd: 'USD', dollar: 'USD', dollars: 'USD', dollaro: 'USD', dollari: 'USD',
  '£': 'GBP', gbp: 'GBP', pound: 'GBP', pounds: 'GBP', sterlina: 'GBP', sterline: 'GBP',
  chf: 'CHF', franco: 'CHF', franchi: 'CHF',
}; // prettier-ignore

const NUM = String.raw`(?<![\d.,])(\d{1,3}(?:[.,']\d{3})+(?:[.,]\d{1,2})?|\d+(?:[.,]\d{1,2})?)(?![\d])`;
const PREFIX = new RegExp(String.raw`(€|\$|£|\b(?:eur|usd|gbp|chf)\b) ?` + NUM, 'gi');
const SUFFIX = new RegExp(
  NUM +
    String.raw` ?(€|\$|£|(?:euros?|eur|usd|dollar[oi]?s?|gbp|pounds?|sterlin[ae]|chf|franc(?:o|hi))\b)`,
  'gi',
);

export interface MoneyMention {
  index: number;
  length: number;
  amount: string;
  currency: string;
}

export function findAmounts(text: string): MoneyMention[] {
  const out: MoneyMention[] = [];
  for (const m of text.matchAll(PREFIX)) add(out, m, m[2], m[1]);
  for (const m of text.matchAll(SUFFIX)) add(out, m, m[1], m[2]);
  return out
    .sort((a, b) => a.index - b.index)
    .filter(
      (m, i, all) => i === 0 || m.index >= (all[i - 1]?.index ?? 0) + (all[i - 1]?.length ?? 0),
    );
}

function add(out: MoneyMention[], m: RegExpMatchArray, num?: string, cur?: string): void {
  const currency = CURRENCY_WORDS[(cur ?? '').toLowerCase()];
  const amount = parseAmount(num ?? '');
  if (currency === undefined || amount === null || m.index === undefined) return;
  out.push({ index: m.index, length: m[0].length, amount, currency });
}

/**
 * "1.200,50" and "1,200.50" → "1200.50"; the last separator is decimal when one or two digits
 * follow it, every other separator groups thousands.
 */
export function parseAmount(raw: string): string | null {
  const last = Math.max(raw.lastIndexOf('.'), raw.lastIndexOf(','), raw.lastIndexOf("'"));
  const decimals = last >= 0 && raw.length - last - 1 <= 2 ? raw.slice(last + 1) : '';
  const whole = (decimals ? raw.slice(0, last) : raw).replace(/[.,']/g, '');
  const value = Number(`${whole}.${decimals || '0'}`);
  return Number.isFinite(value) ? value.toFixed(2) : null;
}
