import { PanRedactor } from './pan-redactor';
import { SensitiveAuthDataRedactor } from './sensitive-auth-data.redactor';

const sad = new SensitiveAuthDataRedactor();
const redactor = new PanRedactor();

describe('SensitiveAuthDataRedactor (PCI DSS 3.3.1, issue 13 item 3)', () => {
  const removed: Array<[string, string, string[]]> = [
    ['cvv 123', 'cvv [security code removed]', ['security_code']],
    ['CVV: 123', 'CVV: [security code removed]', ['security_code']],
    ['CVC2=4321', 'CVC2=[security code removed]', ['security_code']],
    ['cvv123', 'cvv[security code removed]', ['security_code']],
    [
      'il codice di sicurezza della carta è 987',
      'il codice di sicurezza della carta è [security code removed]',
      ['security_code'],
    ],
    [
      'the security code on the back is 555',
      'the security code on the back is [security code removed]',
      ['security_code'],
    ],
    [
      'le 3 cifre sul retro: 321',
      'le 3 cifre sul retro: [security code removed]',
      ['security_code'],
    ],
    ['il mio PIN è 12345', 'il mio PIN è [PIN removed]', ['pin']],
    ['my pin code is 0000', 'my pin code is [PIN removed]', ['pin']],
    ['pin: 123456', 'pin: [PIN removed]', ['pin']],
    ['scadenza 12/27', 'scadenza [expiry date removed]', ['expiry']],
    ['data di scadenza: 03-2029', 'data di scadenza: [expiry date removed]', ['expiry']],
    ['scad. 0127', 'scad. [expiry date removed]', ['expiry']],
    ['la carta scade a dicembre 2027', 'la carta scade a [expiry date removed]', ['expiry']],
    ['exp 12/2027', 'exp [expiry date removed]', ['expiry']],
    ['Expiry date: 2027/12', 'Expiry date: [expiry date removed]', ['expiry']],
    ['valid thru 12 27', 'valid thru [expiry date removed]', ['expiry']],
    ['valida fino al 09.28', 'valida fino al [expiry date removed]', ['expiry']],
    ['MM/YY 11/26', 'MM/YY [expiry date removed]', ['expiry']],
    [
      'cvv ١٢٣ scadenza １２/２７',
      'cvv [security code removed] scadenza [expiry date removed]',
      ['security_code', 'expiry'],
    ],
  ];

  it.each(removed)('%j → %j', (input, output, kinds) => {
    expect(sad.remove(input)).toEqual({ text: output, removed: kinds });
  });

  const kept = [
    'le ultime 3 cifre della carta sono 123',
    'the last 3 digits are 123',
    'il pin non funziona da 3 giorni',
    'la rata scade il 15/03/2026',
    'il bonifico di 1.250,00 euro scade domani',
    'experience 10 years',
    'spin 1234',
    'pratica 12345 del 01/02',
    'il codice di verifica è 4821',
    'LINK 4821',
    'cvv',
    '',
  ];

  it.each(kept)('leaves %j alone', (input) => {
    expect(sad.remove(input)).toEqual({ text: input, removed: [] });
  });
});

describe("PanRedactor with the codes beside a card (the issue's example)", () => {
  it('"4111 1111 1111 1111 cvv 123 exp 12/27": card sealed, last 4 right, CVV and expiry gone', () => {
    const r = redactor.redactWithCards('4111 1111 1111 1111 cvv 123 exp 12/27');
    expect(r.cards.map((c) => [c.pan, c.last4])).toEqual([['4111111111111111', '1111']]);
    expect(r.text).toMatch(
      /^\[card visa \*\*\*\*1111 ref_[a-p]{20}\] cvv \[security code removed\] exp \[expiry date removed\]$/,
    );
    expect(r.text).not.toMatch(/123|12\/27/);
    expect(r.removed).toEqual(['security_code', 'expiry']);
  });

  it.each([
    ['4111 1111 1111 1111 12/27 123', ['expiry', 'security_code']],
    ['4111 1111 1111 1111, 123, 12/2027', ['security_code', 'expiry']],
    ['4111-1111-1111-1111 - 09/28 - 1234', ['expiry', 'security_code']],
    ['4111 1111 1111 1111\nscad 12/27\ncvv 123\npin 9876', ['expiry', 'security_code', 'pin']],
    ['4111 1111 1111 1111 e il pin è 9876', ['pin']],
  ])('removes the bare values typed after the number: %j', (input, kinds) => {
    const r = redactor.redact(input);
    expect(r.removed).toEqual(kinds);
    expect(r.redactions.map((x) => x.last4)).toEqual(['1111']);
    expect(r.text.replace(/\[card [^\]]+\]/, '')).not.toMatch(/\d/);
  });

  it('is idempotent: a redacted text redacts to itself', () => {
    const once = redactor.redact('4111 1111 1111 1111 cvv 123 exp 12/27 pin 1234').text;
    expect(redactor.redact(once)).toEqual({ text: once, redactions: [], removed: [] });
  });
});
