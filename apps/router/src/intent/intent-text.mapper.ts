import type { Language } from '@omnigate/contracts';

/**
 * Longest text the classifier reads: the intent of a message is in its first lines, and a bound
 * keeps every rule's cost bounded on a hot path (a 100 kB email costs the same as a chat line).
 */
export const MAX_CLASSIFIED_CHARS = 1000;

/** Card references left by the PAN redactor: `[card visa ****1111 ref_…]`, or `[card:ref_…]`. */
const CARD_TOKEN = /\[card\b[^\]]{0,80}\]|\b(?:ref|tok)_[a-z0-9]+\b/gi;
const APOSTROPHES = /[’‘`´ʼ′]/g;
const DIACRITICS = /[\u0300-\u036f]/g;
const EURO = /€/g;
const NOT_ALNUM = /[^a-z0-9]+/g;

/** English contractions, written with or without the apostrophe ("didn't", "didnt"). */
const CONTRACTIONS: ReadonlyArray<readonly [RegExp, string]> = [
  [/\bcan'?t\b/g, 'can not'],
  [/\bwon'?t\b/g, 'will not'],
  [/\b(do|does|did|is|are|was|were|has|have|had|could|would|should|ai)n'?t\b/g, '$1 not'],
  [/n't\b/g, ' not'],
  [/\bi'?m\b/g, 'i m'],
];

/** Chat shorthand and frequent misspellings, applied to whole words after accents are gone. */
const SLANG: ReadonlyArray<readonly [RegExp, string]> = [
  [/\bnn\b/g, 'non'],
  [/\b(?:xche|xke|perke|xk|pk)\b/g, 'perche'],
  [/\bcmq\b/g, 'comunque'],
  [/\bqlcn?\b/g, 'qualcuno'],
  [/\bke\b/g, 'che'],
  [/\bx\b/g, 'per'],
  [/\b(?:pls|plz|plez)\b/g, 'please'],
  [/\bu\b/g, 'you'],
  [/\bur\b/g, 'your'],
  [/\bim\b/g, 'i m'],
  [/\bive\b/g, 'i ve'],
];

/**
 * Text as the rules read it: card tokens replaced by the word `cardtoken`, lowercase, accents
 * stripped, apostrophes unified ("l’ho" and "l'ho" both become "l ho"), English contractions
 * expanded, chat shorthand ("nn", "xche") spelled out, every other character a single space,
 * padded with one space on each side. Pure.
 */
export function normalizeIntentText(text: string): string {
  let s = text.length > MAX_CLASSIFIED_CHARS ? text.slice(0, MAX_CLASSIFIED_CHARS) : text;
  s = s.replace(CARD_TOKEN, ' cardtoken ');
  s = s.toLowerCase().normalize('NFD').replace(DIACRITICS, '');
  s = s.replace(APOSTROPHES, "'").replace(EURO, ' euro ');
  for (const [re, to] of CONTRACTIONS) s = s.replace(re, to);
  s = s.replace(NOT_ALNUM, ' ');
  for (const [re, to] of SLANG) s = s.replace(re, to);
  return ` ${s.trim()} `;
}

const IT_WORDS = new Set(
  (
    'il lo la le gli di del della dei delle che non mi ho ha hanno e sono per con un una uno mio mia ' +
    'miei mie ma io ci si se come cosa quando dove perche ancora gia voglio vorrei posso potete ' +
    'ciao grazie buongiorno buonasera salve carta bonifico conto soldi pagamento addebito operatore ' +
    'persona parlare bloccata bloccato sono stato stata nel nella sul sulla dal dalla al alla ' +
    'fatto fatta qualcuno niente nulla favore aiuto mai piu solo anche questo questa quel quella ' +
    'aprire documenti registrazione rimborso stipendio ieri oggi si va arrivato funziona da tu ti ' +
    'questo del della lei lui noi voi loro era essere avere fare dire molto tutto tutti bene ' +
    'sempre adesso ora dopo prima oppure quindi allora buona sera buon giorno arrivederci'
  ).split(' '),
);
const EN_WORDS = new Set(
  (
    'the my is to and of it you your card transfer account want can please hi hello thanks ' +
    'thank why how what where not money payment was have has been did do does this that for with ' +
    'on at from someone somebody blocked declined stuck pending human agent talk speak person ' +
    'charged charge twice refund open documents sign up yesterday today help yes still never ' +
    'are be an by will would could should there get got need after since days day week they ' +
    'we he she his her their what which who when if about up out just now all one some any ' +
    'good great well new back only also than then into over because morning evening night bye ' +
    'thank report transaction representative'
  ).split(' '),
);

/**
 * Italian or English by counting known words of each; ties and texts with no known word count
 * as Italian (the default market). Reads a normalised text. Pure.
 */
export function detectLanguage(normalized: string): Language {
  let it = 0;
  let en = 0;
  let start = 1;
  for (let i = 1; i < normalized.length; i++) {
    if (normalized.charCodeAt(i) !== 32) continue;
    if (i > start) {
      const word = normalized.slice(start, i);
      if (IT_WORDS.has(word)) it++;
      if (EN_WORDS.has(word)) en++;
    }
    start = i + 1;
  }
  return en > it ? 'en' : 'it';
}
