import { extractFacts, factsOfNewConversation } from './facts.mapper';
import type { ProvidedFact } from './facts.mapper';

const NOW = new Date('2026-11-23T10:00:00Z'); // a Monday

function values(facts: ProvidedFact[], key: string): string[] {
  return facts.filter((f) => f.key === key).map((f) => f.value);
}

describe('extractFacts', () => {
  it('reads an Italian fraud report: amount, date, merchant, card last four', () => {
    const facts = extractFacts(
      'mi hanno addebitato 950 euro ieri da Amazon sulla carta che finisce con 4821',
      [],
      NOW,
    );
    expect(facts).toEqual([
      { key: 'card_last4', value: '4821' },
      { key: 'amount', value: '950.00' },
      { key: 'currency', value: 'EUR' },
      { key: 'date', value: '2026-11-22' },
      { key: 'merchant', value: 'Amazon' },
    ]);
  });

  it('reads an English report: dollars, "Nov 12", "at Zalando", "ending in"', () => {
    const facts = extractFacts(
      'unauthorized charge of $250 at Zalando on Nov 12, card ending in 1234',
      [],
      NOW,
    );
    expect(facts).toEqual([
      { key: 'card_last4', value: '1234' },
      { key: 'amount', value: '250.00' },
      { key: 'currency', value: 'USD' },
      { key: 'date', value: '2026-11-12' },
      { key: 'merchant', value: 'Zalando' },
    ]);
  });

  it.each([
    ['€ 49,90', '49.90', 'EUR'],
    ['49,90 €', '49.90', 'EUR'],
    ['20 EUR', '20.00', 'EUR'],
    ['1.200,50 euro', '1200.50', 'EUR'],
    ['1,200 EUR', '1200.00', 'EUR'],
    ['300 euros', '300.00', 'EUR'],
    ['$20', '20.00', 'USD'],
    ['£15.99', '15.99', 'GBP'],
    ['50 CHF', '50.00', 'CHF'],
  ])('amount %s → %s %s', (text, amount, currency) => {
    const facts = extractFacts(`ho pagato ${text} ieri`, [], NOW);
    expect(values(facts, 'amount')).toEqual([amount]);
    expect(values(facts, 'currency')).toEqual([currency]);
  });

  it('does not take a bare number for an amount', () => {
    expect(values(extractFacts('ho 3 carte e il codice 1234', [], NOW), 'amount')).toEqual([]);
  });

  it.each([
    ['oggi', '2026-11-23'],
    ['stamattina', '2026-11-23'],
    ['ieri', '2026-11-22'],
    ["l'altro ieri", '2026-11-21'],
    ['yesterday', '2026-11-22'],
    ['today', '2026-11-23'],
    ['3 giorni fa', '2026-11-20'],
    ['2 days ago', '2026-11-21'],
    ['il 12/11', '2026-11-12'],
    ['il 12/11/2025', '2025-11-12'],
    ['il 12 novembre', '2026-11-12'],
    ['on Nov 12', '2026-11-12'],
    ['on 12th October', '2026-10-12'],
    ['venerdì', '2026-11-20'],
    ['on Monday', '2026-11-23'],
    ['il 24 dicembre', '2025-12-24'],
  ])('date "%s" → %s', (text, iso) => {
    expect(values(extractFacts(`pagamento ${text}`, [], NOW), 'date')).toEqual([iso]);
  });

  it('ignores impossible dates', () => {
    expect(values(extractFacts('il 31/02 e il 45/13', [], NOW), 'date')).toEqual([]);
  });

  it('takes the card from the gateway redactions, brand and last four only', () => {
    const facts = extractFacts(
      'la mia carta [card visa ****1111 ref_abcdefghijklmnopabcd] è bloccata',
      [{ token: 'ref_abcdefghijklmnopabcd', brand: 'visa', last4: '1111' }],
      NOW,
    );
    expect(facts).toEqual([
      { key: 'card_last4', value: '1111' },
      { key: 'card_brand', value: 'visa' },
    ]);
  });

  it('reads transfer references (CRO, TRN) and keeps only the last four of an IBAN', () => {
    const it1 = extractFacts(
      'bonifico del 12 novembre, CRO 1234567890, verso IT60 X054 2811 1010 0000 0123 456',
      [],
      NOW,
    );
    expect(values(it1, 'reference')).toEqual(['1234567890']);
    expect(values(it1, 'iban_last4')).toEqual(['3456']);
    const en = extractFacts('reference TRN 0987AB6543 to GB82WEST12345698765432', [], NOW);
    expect(values(en, 'reference')).toEqual(['0987AB6543']);
    expect(values(en, 'iban_last4')).toEqual(['5432']);
    expect(values(extractFacts("l'IBAN finisce con 9876", [], NOW), 'iban_last4')).toEqual([
      '9876',
    ]);
  });

  it('never puts a full IBAN or a full card number in any value', () => {
    const ibans = ['IT60X0542811101000000123456', 'IT60 X054 2811 1010 0000 0123 456'];
    const pans = ['4111111111111111', '4111 1111 1111 1111', '5555-5555-5555-4444'];
    const texts = [
      `IBAN ${ibans[0]} e carta ${pans[0]}`,
      `rif ${pans[0]}, CRO ${ibans[0]}, ${pans[1]} euro, € ${pans[0]}`,
      `reference ${pans[2]} from ${ibans[1]} ending ${pans[0]} on ${pans[1]}`,
      `transaction id ${ibans[0]} ${pans[0]} EUR`,
    ];
    for (const text of texts) {
      for (const f of extractFacts(text, [], NOW)) {
        const compact = f.value.replace(/[\s.-]/g, '');
        expect(compact).not.toMatch(/\d{13,}/);
        for (const full of [...ibans, ...pans]) {
          expect(compact).not.toContain(full.replace(/[\s-]/g, ''));
        }
        expect(compact).not.toMatch(/IT60X054/i);
      }
    }
  });

  it('returns nothing for empty, emoji-only or non-string input, and stays fast on 10k chars', () => {
    expect(extractFacts('', [], NOW)).toEqual([]);
    expect(extractFacts('🙏👍', [], NOW)).toEqual([]);
    expect(extractFacts(undefined as unknown as string, [], NOW)).toEqual([]);
    const start = performance.now();
    extractFacts('ieri 20 euro da Amazon '.repeat(500), [], NOW);
    expect(performance.now() - start).toBeLessThan(500);
  });

  it('does not take dates, pronouns or greetings for a merchant', () => {
    const facts = extractFacts('paid on Monday from I think, da Ieri, presso Esselunga', [], NOW);
    expect(values(facts, 'merchant')).toEqual(['Esselunga']);
  });
});

describe('factsOfNewConversation', () => {
  it('keeps the last value of each key, ordered by key, as the store lists them', () => {
    expect(
      factsOfNewConversation([
        { key: 'merchant', value: 'Amazon' },
        { key: 'amount', value: '10.00' },
        { key: 'merchant', value: 'Zalando' },
        { key: 'card_last4', value: '1234' },
      ]),
    ).toEqual([
      { key: 'amount', value: '10.00' },
      { key: 'card_last4', value: '1234' },
      { key: 'merchant', value: 'Zalando' },
    ]);
  });
});
