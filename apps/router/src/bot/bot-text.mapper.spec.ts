import {
  disputeTicketSubject,
  formatAmount,
  formatTime,
  fraudDetailText,
  fraudNoDetailText,
} from './bot-text.mapper';

const TZ = 'Europe/Rome';
const facts = {
  last4: '1234',
  at: new Date('2026-11-23T09:32:00Z'),
  payment: { amountMinor: -95_000, currency: 'EUR', merchant: 'XYZ' },
};

describe('fraudDetailText', () => {
  it('says which card, when and which payment, in English', () => {
    expect(fraudDetailText(facts, 'en', TZ)).toBe(
      'Your card •••• 1234 was blocked at 10:32 by our fraud system because of a payment of 950.00 EUR to XYZ. Was it you? An operator is taking over now.',
    );
  });

  it('and in Italian', () => {
    expect(fraudDetailText(facts, 'it', TZ)).toBe(
      'La tua carta •••• 1234 è stata bloccata alle 10:32 dal nostro sistema antifrode per un pagamento di 950,00 EUR a XYZ. Sei stato tu? Un operatore ti risponde adesso.',
    );
  });

  it('leaves out what it does not know', () => {
    expect(fraudDetailText({ last4: '1234', at: null, payment: null }, 'en', TZ)).toBe(
      'Your card •••• 1234 was blocked by our fraud system. Was it you? An operator is taking over now.',
    );
  });
});

describe('fraudNoDetailText', () => {
  it('names no card, amount or merchant', () => {
    for (const lang of ['it', 'en'] as const) {
      const t = fraudNoDetailText(lang);
      expect(t).not.toMatch(/\d{4}|EUR|XYZ/);
      expect(t.length).toBeGreaterThan(40);
    }
  });
});

describe('formatting', () => {
  it('drops the sign and uses the language decimal mark', () => {
    expect(formatAmount(-124_900, 'EUR', 'it')).toBe('1249,00 EUR');
    expect(formatAmount(899, 'GBP', 'en')).toBe('8.99 GBP');
  });

  it('gives the time in the bank time zone, 24h', () => {
    expect(formatTime(new Date('2026-07-01T21:05:00Z'), TZ)).toBe('23:05');
  });

  it('names the payment in a dispute ticket subject', () => {
    expect(
      disputeTicketSubject({
        at: '2026-11-20T10:00:00.000Z',
        amountMinor: -8999,
        currency: 'EUR',
        merchant: 'Zalando SE',
      }),
    ).toBe('Dispute: 89.99 EUR Zalando SE (2026-11-20)');
  });
});
