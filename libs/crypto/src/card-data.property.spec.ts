import fc from 'fast-check';
import { isIbanValid } from './iban';
import { cardBrand, isLuhnValid } from './luhn';
import { PanRedactor } from './pan-redactor';
import { SENSITIVE_DATA_MARKERS } from './sensitive-auth-data.redactor';
import type { SensitiveDataKind } from './sensitive-auth-data.redactor';
import { foldText } from './unicode-digits';

const redactor = new PanRedactor();

/** The zero of every Unicode Nd block this Node knows (each block is ten code points, 0 to 9). */
const ZEROS: number[] = (() => {
  const nd = /^\p{Nd}$/u;
  const zeros: number[] = [];
  let runStart = -1;
  for (let cp = 0; cp < 0x20000; cp++) {
    if (!nd.test(String.fromCodePoint(cp))) runStart = -1;
    else {
      if (runStart < 0) runStart = cp;
      if ((cp - runStart) % 10 === 0) zeros.push(cp);
    }
  }
  return zeros;
})();

const inBlock = (zero: number, digits: string): string =>
  digits.replace(/\d/g, (d) => String.fromCodePoint(zero + Number(d)));

/** ASCII digits of a text in any script, in order: what a reader could rebuild a number from. */
const digitsOf = (text: string): string => foldText(text).folded.replace(/\D/g, '');

const withCheckDigit = (body: string): string => {
  for (let d = 0; d <= 9; d++) if (isLuhnValid(body + d)) return body + d;
  throw new Error('unreachable');
};

/** Brands of a fixed usual length, with their prefixes; maestro below has any length 13-19. */
const FIXED: Array<[string, number]> = [
  ['4', 16],
  ['51', 16],
  ['55', 16],
  ['2221', 16],
  ['34', 15],
  ['37', 15],
  ['6011', 16],
  ['3528', 16],
  ['36', 14],
  ['62', 16],
];
const digitString = (n: number) =>
  fc.array(fc.integer({ min: 0, max: 9 }), { minLength: n, maxLength: n }).map((a) => a.join(''));
const fixedPan = fc
  .constantFrom(...FIXED)
  .chain(([prefix, len]) =>
    digitString(len - prefix.length - 1).map((b) => withCheckDigit(prefix + b)),
  );
const maestroPan = fc
  .integer({ min: 13, max: 19 })
  .chain((len) => digitString(len - 5).map((b) => withCheckDigit('6304' + b)));

const SEPARATORS = [
  ' ',
  '\u00a0',
  '\u202f',
  '\u2009',
  '\u3000',
  '\t',
  '\n',
  '\r\n',
  '\u2028',
  '-',
  '\u2010',
  '\u2011',
  '\u2013',
  '\u2014',
  '\u2212',
  '\uff0d',
  '.',
  '\uff0e',
  '/',
  '\uff0f',
  '_',
  '\uff3f',
  '\u00b7',
  '\u200b',
  '\u00ad',
  '\u2060',
];
/** One to five separator characters, mixed. */
const separator = fc
  .array(fc.constantFrom(...SEPARATORS), { minLength: 1, maxLength: 5 })
  .map((a) => a.join(''))
  .filter((s) => s.length <= 5);

/** A card as a customer might type it: groups of any size, any separators, any script's digits. */
const written = (pan: string) =>
  fc
    .record({
      cuts: fc.uniqueArray(fc.integer({ min: 1, max: pan.length - 1 }), { maxLength: 6 }),
      seps: fc.array(separator, { minLength: 6, maxLength: 6 }),
      zeros: fc.array(fc.constantFrom(...ZEROS), { minLength: pan.length, maxLength: pan.length }),
      oneScript: fc.boolean(),
    })
    .map(({ cuts, seps, zeros, oneScript }) => {
      const at = new Set(cuts);
      let out = '';
      let k = 0;
      for (let i = 0; i < pan.length; i++) {
        if (at.has(i)) out += seps[k++]!;
        out += inBlock(oneScript ? zeros[0]! : zeros[i]!, pan[i]!);
      }
      return out;
    });

const CONTEXT_BEFORE = ['', 'la mia carta ', 'my card is ', 'Carta: ', '(', 'numero\n'];
const CONTEXT_AFTER = ['', ' grazie', ', please help', ' è bloccata.', ')', '\n\nMario'];

describe('card numbers in every form (fast-check, issue 13 item 4)', () => {
  it('finds every card of a fixed-length brand, with its last four, and leaves no run of its digits', () => {
    fc.assert(
      fc.property(
        fixedPan.chain((pan) => fc.tuple(fc.constant(pan), written(pan))),
        fc.constantFrom(...CONTEXT_BEFORE),
        fc.constantFrom(...CONTEXT_AFTER),
        ([pan, typed], before, after) => {
          const r = redactor.redactWithCards(before + typed + after);
          expect(r.cards.map((c) => [c.pan, c.brand, c.last4])).toEqual([
            [pan, cardBrand(pan), pan.slice(-4)],
          ]);
          expect(r.text).toBe(
            `${before}[card ${cardBrand(pan)} ****${pan.slice(-4)} ${r.cards[0]!.token}]${after}`,
          );
          expect(digitsOf(r.text)).toBe(pan.slice(-4));
        },
      ),
    );
  });

  it('finds Maestro cards of any length 13-19 whole', () => {
    fc.assert(
      fc.property(
        maestroPan.chain((pan) => fc.tuple(fc.constant(pan), written(pan))),
        ([pan, typed]) => {
          const r = redactor.redactWithCards(`carta ${typed}.`);
          expect(r.cards.map((c) => c.pan)).toEqual([pan]);
          expect(digitsOf(r.text)).toBe(pan.slice(-4));
        },
      ),
    );
  });

  it('covers every Unicode decimal digit block', () => {
    expect(ZEROS.length).toBeGreaterThanOrEqual(60);
    for (const zero of ZEROS) {
      const r = redactor.redactWithCards(`carta ${inBlock(zero, '4111 1111 1111 1111')}`);
      expect([zero.toString(16), r.cards.map((c) => c.pan)]).toEqual([
        zero.toString(16),
        ['4111111111111111'],
      ]);
    }
  });
});

const CODE_WORDS = [
  'cvv',
  'CVV2',
  'cvc',
  'CVC2',
  'csc',
  'codice di sicurezza',
  'Codice di controllo',
  'security code',
  'card verification value',
];
const PIN_WORDS = ['pin', 'PIN', 'pin code', 'codice segreto'];
const EXPIRY_WORDS = [
  'exp',
  'Exp.',
  'expiry',
  'expiry date',
  'expires',
  'valid thru',
  'good thru',
  'scadenza',
  'scad.',
  'data di scadenza',
  'scade',
  'valida fino al',
];
const FILLERS = [
  '',
  ' ',
  ': ',
  ' = ',
  ' è ',
  ' is ',
  ' è il ',
  ': il mio è ',
  ' - ',
  '\n',
  '\u00a0',
];
const month = fc.integer({ min: 1, max: 12 }).map((m) => String(m).padStart(2, '0'));
const year = fc.integer({ min: 24, max: 40 });
const expiryValue = fc.oneof(
  fc.tuple(month, fc.constantFrom('/', '-', '.', ' / '), year).map(([m, s, y]) => `${m}${s}${y}`),
  fc.tuple(month, fc.constantFrom('/', '-'), year).map(([m, s, y]) => `${m}${s}20${y}`),
);
const phrase = fc.oneof(
  fc
    .tuple(fc.constantFrom(...CODE_WORDS), digitString(3))
    .map(([w, v]) => ['security_code', w, v] as const),
  fc
    .tuple(fc.constantFrom(...CODE_WORDS), digitString(4))
    .map(([w, v]) => ['security_code', w, v] as const),
  fc
    .tuple(fc.constantFrom(...PIN_WORDS), fc.integer({ min: 4, max: 8 }).chain(digitString))
    .map(([w, v]) => ['pin', w, v] as const),
  fc
    .tuple(fc.constantFrom(...EXPIRY_WORDS), expiryValue)
    .map(([w, v]) => ['expiry', w, v] as const),
);

describe('security codes, PINs and expiry dates (fast-check, issue 13 item 3)', () => {
  it('removes the value after the word customers use for it, in any digits, and marks it', () => {
    fc.assert(
      fc.property(
        phrase,
        fc.constantFrom(...FILLERS),
        fc.constantFrom(...ZEROS),
        fc.constantFrom(...CONTEXT_BEFORE),
        fc.constantFrom(...CONTEXT_AFTER),
        ([kind, word, value], filler, zero, before, after) => {
          const typed = value.replace(/\d/g, (d) => inBlock(zero, d));
          const r = redactor.redact(`${before}${word}${filler}${typed}${after}`);
          expect(r.removed).toEqual([kind]);
          const marker = SENSITIVE_DATA_MARKERS[kind];
          // "cvv2000" reads as CVV2 and 000 as well as CVV and 2000: either way no code is left.
          const glued2 = filler === '' && /^cvv$|^cvc$/i.test(word) && digitsOf(typed)[0] === '2';
          expect(
            [`${before}${word}${filler}${marker}${after}`].concat(
              glued2 ? [`${before}${word}${[...typed][0]}${marker}${after}`] : [],
            ),
          ).toContain(r.text);
        },
      ),
    );
  });

  it('removes bare codes and expiry dates typed right after a card, and the card stays right', () => {
    const bare = fc.oneof(
      digitString(3).map((v) => ['security_code', v] as const),
      digitString(4).map((v) => ['security_code', v] as const),
      expiryValue.map((v) => ['expiry', v] as const),
    );
    fc.assert(
      fc.property(
        fixedPan.chain((pan) => fc.tuple(fc.constant(pan), written(pan))),
        fc.array(fc.tuple(fc.constantFrom(' ', ', ', ' - ', '\n', '  '), bare), {
          minLength: 1,
          maxLength: 2,
        }),
        ([pan, typed], tail) => {
          const text = typed + tail.map(([sep, [, v]]) => sep + v).join('');
          const r = redactor.redactWithCards(text);
          expect(r.cards.map((c) => c.last4)).toEqual([pan.slice(-4)]);
          expect(r.removed).toEqual(tail.map(([, [kind]]) => kind as SensitiveDataKind));
          expect(digitsOf(r.text)).toBe(pan.slice(-4));
        },
      ),
    );
  });

  it('is idempotent on any text: what it writes never matches again', () => {
    fc.assert(
      fc.property(
        fc.string({ maxLength: 80, unit: 'grapheme' }),
        phrase,
        (noise, [, word, value]) => {
          for (const input of [noise, `${noise} 4111 1111 1111 1111 ${word} ${value} ${noise}`]) {
            const once = redactor.redact(input).text;
            expect(redactor.redact(once)).toEqual({ text: once, redactions: [], removed: [] });
          }
        },
      ),
    );
  });
});

/** A valid IBAN of `country` with `bban`, written in groups of four. */
function iban(country: string, bban: string): string {
  const digits = (bban + country + '00')
    .split('')
    .map((c) => (c >= 'A' ? String(c.charCodeAt(0) - 55) : c))
    .join('');
  let rest = 0;
  for (const d of digits) rest = (rest * 10 + Number(d)) % 97;
  const plain = country + String(98 - rest).padStart(2, '0') + bban;
  expect(isIbanValid(plain)).toBe(true);
  return plain.replace(/(.{4})/g, '$1 ').trim();
}

describe('ordinary numbers stay (fast-check)', () => {
  it('keeps IBANs, phone numbers, amounts and dates', () => {
    const italianIban = fc
      .tuple(fc.constantFrom(...'ABCDEFGHIJKLMNOPQRSTUVWXYZ'), digitString(22))
      .map(([cin, n]) => iban('IT', cin + n));
    const phone = fc
      .tuple(
        fc.constantFrom('+39 3', '+393', '+44 7', '+49 15'),
        digitString(9),
        fc.constantFrom(' ', '', '-'),
      )
      .map(([p, n, s]) => `${p}${n.slice(0, 2)}${s}${n.slice(2, 5)}${s}${n.slice(5)}`);
    const amount = fc
      .tuple(fc.integer({ min: 0, max: 999_999_999 }), digitString(2))
      .map(([n, c]) => `${n.toLocaleString('it-IT')},${c} EUR`);
    const date = fc
      .date({ min: new Date('2000-01-01'), max: new Date('2040-01-01'), noInvalidDate: true })
      .map((d) => `${d.toISOString().slice(0, 10)} ${d.toISOString().slice(11, 16)}`);
    const day = fc.date({
      min: new Date('2000-01-01'),
      max: new Date('2040-01-01'),
      noInvalidDate: true,
    });
    const dateRange = fc
      .tuple(day, day, fc.constantFrom('/', '.', '-'), fc.constantFrom('-', ' - ', ' / ', '\n'))
      .map(([a, b, s, between]) => {
        const it = (d: Date) => d.toISOString().slice(0, 10).split('-').reverse().join(s);
        return `${it(a)}${between}${it(b)}`;
      });
    fc.assert(
      fc.property(fc.oneof(italianIban, phone, amount, date, dateRange), (text) => {
        expect(redactor.redact(`ecco: ${text}`)).toEqual({
          text: `ecco: ${text}`,
          redactions: [],
          removed: [],
        });
      }),
    );
  });
});
