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

  it('removes a trailing expiry (PCI DSS 3.3.1) and redacts two cards in one text', () => {
    const { text, redactions, removed } = redactor.redact(
      '4111 1111 1111 1111 12/27 and 5555-5555-5555-4444',
    );
    expect(redactions).toHaveLength(2);
    expect(removed).toEqual(['expiry']);
    expect(text).toMatch(
      /^\[card visa \*\*\*\*1111 ref_[a-p]+\] \[expiry date removed\] and \[card mastercard \*\*\*\*4444 ref_[a-p]+\]$/,
    );
  });

  it('leaves numbers that are not cards alone', () => {
    for (const s of [
      'call me on +39 333 123 4567 890',
      '4111111111111112',
      'order 123456789012',
      'IBAN IT60X0542811101000000123456',
      'amount 1 234,56 EUR',
      'IBAN IT60 X054 2811 1010 0000 0123 456',
      'iban it60x0542811101000000123456',
      'tel. 02 1234 5678 9012 3',
      'dal 12/03/2024 al 15/03/2024, ore 10.30',
      'periodo 01/03/2024-15/03/2024',
      '2024-03-15/2024-04-15',
      'il 12.03.2024 10.30.15',
      'pratica n. 2024/000123/45',
      '',
    ]) {
      expect(redactor.redact(s)).toEqual({ text: s, redactions: [], removed: [] });
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

describe('PanRedactor: the forms customers write (issue 13 item 4)', () => {
  const PAN = '4111111111111111';
  const forms: Array<[string, string]> = [
    ['dots', '4111.1111.1111.1111'],
    ['slashes', '4111/1111/1111/1111'],
    ['underscores', '4111_1111_1111_1111'],
    ['several spaces', '4111   1111  1111    1111'],
    ['tabs', '4111\t1111\t1111\t1111'],
    ['line breaks', '4111\n1111\r\n1111\u20281111'],
    ['no-break and thin spaces', '4111\u00a01111\u202f1111\u20091111'],
    ['other dashes', '4111\u20131111\u20141111\u22121111'],
    ['zero-width space and soft hyphen', '4111\u200b1111\u00ad1111\u20601111'],
    ['full-width digits and separators', '４１１１－１１１１／１１１１\u3000１１１１'],
    ['Arabic-Indic digits', '٤١١١ ١١١١ ١١١١ ١١١١'],
    ['Devanagari digits', '४१११ ११११ ११११ ११११'],
    ['mathematical digits (outside the BMP)', '𝟺𝟷𝟷𝟷 𝟷𝟷𝟷𝟷 𝟷𝟷𝟷𝟷 𝟷𝟷𝟷𝟷'],
    ['mixed scripts', '4١1१ ١١١١ 1111 １１１１'],
  ];

  it.each(forms)('finds a card written with %s', (_what, written) => {
    const { text, cards } = redactor.redactWithCards(`carta ${written} grazie`);
    expect(cards.map((c) => [c.pan, c.brand, c.last4])).toEqual([[PAN, 'visa', '1111']]);
    expect(text).toMatch(/^carta \[card visa \*\*\*\*1111 ref_[a-p]{20}\] grazie$/);
  });

  it('reads a CVV typed right after the number as a code, not as part of a 19-digit card', () => {
    for (const written of [
      '4111 1111 1111 1111 123',
      '4111111111111111123',
      '4111 1111 1111 1111 1234',
    ]) {
      const { text, cards, removed } = redactor.redactWithCards(written);
      expect(cards.map((c) => [c.pan, c.last4])).toEqual([[PAN, '1111']]);
      expect(removed).toEqual(['security_code']);
      expect(text).toMatch(/^\[card visa \*\*\*\*1111 ref_[a-p]{20}\] ?\[security code removed\]$/);
    }
  });

  it('keeps a 19-digit card whole when its brand has no fixed length', () => {
    expect(redactor.redactWithCards('6304 0000 0000 0000 018').cards[0]!.pan).toBe(
      '6304000000000000018',
    );
  });

  it('does not let a phone number after + swallow a card on the next line', () => {
    const { text, cards } = redactor.redactWithCards('Tel +39 333 1234567\n4111 1111 1111 1111');
    expect(cards.map((c) => c.pan)).toEqual([PAN]);
    expect(text).toMatch(/^Tel \+39 333 1234567\n\[card visa/);
  });

  it('finds a card written right after a spaced IBAN', () => {
    const { cards } = redactor.redactWithCards(
      'IT60 X054 2811 1010 0000 0123 456 4111 1111 1111 1111',
    );
    expect(cards.map((c) => c.pan)).toEqual([PAN]);
  });
});

describe('PanRedactor on a contact card (vCard, as WhatsApp Web delivers it)', () => {
  it('finds a number split by vCard line folding and removes the code in a note', () => {
    const vcard = [
      'BEGIN:VCARD',
      'VERSION:3.0',
      'FN:Carta Mario',
      'TEL;type=CELL;waid=393471234567:+39 347 123 4567',
      'NOTE:carta 4111 1111',
      '  1111 1111 cvv 123 scad 12/27',
      'END:VCARD',
    ].join('\r\n');
    const r = redactor.redactWithCards(vcard);
    expect(r.cards.map((c) => c.pan)).toEqual(['4111111111111111']);
    expect(r.removed).toEqual(['security_code', 'expiry']);
    expect(r.text).toContain('TEL;type=CELL;waid=393471234567:+39 347 123 4567');
    expect(r.text).not.toMatch(/1111 1111|cvv 123|12\/27/);
  });
});
