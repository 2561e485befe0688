import { PanRedactor } from './pan-redactor';
import { cardBrand, isLuhnValid } from './luhn';

const redactor = new PanRedactor();

describe('PanRedactor', () => {
  const cards: Array<[string, string, string]> = [
    ['4111111111111111', 'visa', '1111'],
    ['4111 1111 1111 1111', 'visa', '1111'],
    ['4111-1111-1111-1111', 'visa', '1111'],
    ['4111 - 1111 - 1111 - 1111', 'visa', '1111'],
    ['5555 5555 5555 4444', 'mastercard', '4444'],
    ['3782 822463 10005', 'amex', '0005'],
    ['6011000990139424', 'discover', '9424'],
    ['4222222222222', 'visa', '2222'],
    ['6304 0000 0000 0000 018', 'maestro', '0018'],
  ];

  it.each(cards)('replaces %s by a reference with brand and last four', (pan, brand, last4) => {
    const { text, redactions } = redactor.redact(`my card is ${pan}, please help`);
    expect(text).not.toContain(pan);
    expect(text.replace(/\D/g, '')).not.toContain(pan.replace(/\D/g, ''));
    expect(redactions).toEqual([expect.objectContaining({ brand, last4 })]);
    expect(text).toMatch(
      new RegExp(
        `^my card is \\[card ${brand} \\*\\*\\*\\*${last4} ref_[a-p]{20}\\], please help$`,
      ),
    );
  });

  it('gives the same card two unrelated references: nothing at the edge links or reverses them', () => {
    const a = redactor.redact('4111111111111111').redactions[0]!.token;
    const b = redactor.redact('4111111111111111').redactions[0]!.token;
    expect(a).not.toBe(b);
    expect(a).toMatch(/^ref_[a-p]{20}$/);
    expect(b).toMatch(/^ref_[a-p]{20}$/);
  });

  it('keeps a trailing expiry and redacts two cards in one text', () => {
    const { text, redactions } = redactor.redact(
      '4111 1111 1111 1111 12/27 and 5555-5555-5555-4444',
    );
    expect(redactions).toHaveLength(2);
    expect(text).toMatch(
      /^\[card visa \*\*\*\*1111 ref_[a-p]+\] 12\/27 and \[card mastercard \*\*\*\*4444 ref_[a-p]+\]$/,
    );
  });

  it('leaves numbers that are not cards alone', () => {
    for (const s of [
      'call me on +39 333 123 4567 890',
      '4111111111111112',
      'order 123456789012',
      'IBAN IT60X0542811101000000123456',
      'amount 1 234,56 EUR',
      '',
    ]) {
      expect(redactor.redact(s)).toEqual({ text: s, redactions: [] });
    }
  });
});

describe('luhn', () => {
  it('validates and rejects', () => {
    expect(isLuhnValid('79927398713')).toBe(true);
    expect(isLuhnValid('79927398710')).toBe(false);
    expect(isLuhnValid('12a4')).toBe(false);
  });
  it('knows brands', () => {
    expect(cardBrand('2221000000000009')).toBe('mastercard');
    expect(cardBrand('3530111333300000')).toBe('jcb');
    expect(cardBrand('9999999999999995')).toBe('card');
  });
});

describe('PanRedactor.redactWithCards (for the vault)', () => {
  it('returns the numbers it replaced under the references it put in the text', () => {
    const text = 'carta 4111 1111 1111 1111 e 5555-5555-5555-4444';
    const withCards = redactor.redactWithCards(text);
    expect(withCards.cards.map((c) => c.pan)).toEqual(['4111111111111111', '5555555555554444']);
    for (const c of withCards.cards) expect(withCards.text).toContain(c.token);
    expect(withCards.redactions).toEqual(withCards.cards.map(({ pan: _pan, ...r }) => r));
    expect(JSON.stringify(withCards.redactions)).not.toContain('4111111111111111');
  });
});
