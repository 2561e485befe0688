import { countDigits, foldText } from './unicode-digits';

/** Sensitive authentication data (PCI DSS 3.3.1): never kept after authorisation, even encrypted. */
export type SensitiveDataKind = 'security_code' | 'pin' | 'expiry';

/** What replaces a removed value in the text the agent reads (the card marker's style). */
export const SENSITIVE_DATA_MARKERS: Readonly<Record<SensitiveDataKind, string>> = {
  security_code: '[security code removed]',
  pin: '[PIN removed]',
  expiry: '[expiry date removed]',
};

export interface SensitiveDataRemoval {
  text: string;
  /** One entry per value removed, for metrics; never the value. */
  removed: SensitiveDataKind[];
}

const NOT_WORD_BEFORE = String.raw`(?<![\p{L}\p{N}])`;
const NOT_LETTER_AFTER = String.raw`(?![\p{L}])`;
const NOT_WORD_AFTER = String.raw`(?![\p{L}\p{N}])`;

// The words customers use, Italian and English (lower case; matched case-insensitively).
const CODE_WORDS = [
  String.raw`card verification (?:value|code|number)`,
  // Not "codice di verifica": that is what customers call a one-time code, which must reach us.
  String.raw`codice (?:di )?(?:sicurezza|controllo)`,
  String.raw`cod\.? ?sicurezza`,
  String.raw`security ?code`,
  // Not "le ultime 3 cifre" / "last 3 digits": that names a card, it is no code.
  String.raw`(?<!(?:ultime|last|prime|first|final) )(?:3|tre|three) (?:cifre|numeri|digits|numbers)`,
  String.raw`cvv2|cvc2|cvv|cvc|cvn|cav2|cvd|csc`,
];
const PIN_WORDS = [
  String.raw`personal identification number`,
  String.raw`codice segreto`,
  String.raw`pin ?code|pin`,
];
const EXPIRY_WORDS = [
  String.raw`exp(?:iry|iration|ires|ire|iring)?(?: ?date)?`,
  String.raw`(?:valid|good) (?:thru|through|until|till|to)`,
  String.raw`valid[ao] fino (?:al|a)`,
  String.raw`scad(?:enza|rà|ra|e)?`,
  String.raw`mm ?/ ?(?:yy|aa)(?:yy|aa)?`,
];
const FILLER_WORDS = [
  'is',
  'was',
  'are',
  "it's",
  'its',
  'it',
  'number',
  'num',
  'nr',
  'no',
  'n',
  'code',
  'codice',
  'numero',
  'date',
  'data',
  'della',
  "dell'",
  'del',
  'di',
  'carta',
  'card',
  'the',
  'my',
  'of',
  'on',
  'at',
  'back',
  'retro',
  'sul',
  'dietro',
  'il',
  'lo',
  'mio',
  'la',
  'mia',
  'e',
  'è',
  'é',
  "e'",
  'and',
  'sono',
  'al',
  'a',
  'in',
  'value',
  'valore',
  'cifre',
  'digits',
];
const MONTHS =
  'gennaio|febbraio|marzo|aprile|maggio|giugno|luglio|agosto|settembre|ottobre|novembre|' +
  'dicembre|january|february|march|april|may|june|july|august|september|october|november|' +
  'december|gen|feb|mar|apr|mag|giu|lug|ago|set|ott|nov|dic|jan|jun|jul|aug|sept|sep|oct|dec';

const words = (list: string[]): string => list.join('|');

const KEYWORD = new RegExp(
  `${NOT_WORD_BEFORE}(?:(?<code>${words(CODE_WORDS)})|(?<pin>${words(PIN_WORDS)})|` +
    `(?<expiry>${words(EXPIRY_WORDS)}))${NOT_LETTER_AFTER}`,
  'giu',
);
/** `[card visa ****1111 ref_…]`, as PanRedactor writes it. */
const CARD_MARKER = /\[card [a-z]+ \*{4}\d{4} ref_[a-p]{20}\]/gu;
const FILLER = new RegExp(
  String.raw`(?:[\s:=#.,;()'"\-–—>»«/|_]|${NOT_WORD_BEFORE}(?:${FILLER_WORDS.join('|')})${NOT_WORD_AFTER})*`,
  'iuy',
);
const KEYWORD_AT = new RegExp(KEYWORD.source, 'iuy');

const END = String.raw`(?!\d|[/\-.,]\d)`;
const MONTH = String.raw`(?:0?[1-9]|1[0-2])`;
const YEAR = String.raw`(?:\d{4}|\d{2})`;
const EXPIRY_SHAPES = [
  String.raw`${MONTH}(?: ?[/\-.\\] ?)${YEAR}`,
  String.raw`20\d{2} ?[/\-.] ?${MONTH}`,
  String.raw`(?:${MONTHS})\.? ?(?:20)?\d{2}`,
];
// Values start where the word or the filler ends (never inside a number: filler has no digits).
const sticky = (body: string): RegExp => new RegExp(`(?:${body})${END}`, 'iuy');
const VALUE: Readonly<Record<SensitiveDataKind | 'next_to_card', RegExp>> = {
  security_code: sticky(String.raw`\d{3,4}`),
  pin: sticky(String.raw`\d{4,12}`),
  // After the word, also "12 27" and "1227".
  expiry: sticky(
    [
      ...EXPIRY_SHAPES,
      String.raw`${MONTH} ${YEAR}`,
      String.raw`(?:0[1-9]|1[0-2])(?:20)?\d{2}`,
    ].join('|'),
  ),
  next_to_card: sticky(EXPIRY_SHAPES.join('|')),
};
const NEXT_TO_CARD_CODE = sticky(String.raw`\d{3,4}`);
const MAX_FILLER = 48;
/** A card number may be followed by its expiry, its code and one more (a PIN): not by a list. */
const MAX_AFTER_CARD = 3;

interface Cut {
  start: number;
  end: number;
  kind: SensitiveDataKind;
}

/**
 * Removes card security codes, PINs and expiry dates from a text and marks where they were: a
 * value after the word for it ("cvv 123", "il PIN è 12345", "scadenza 12/27", "valid thru
 * 12/2027"), and the bare values right after a card reference ("[card …] 12/27 123"), which is how
 * customers type them after the number. The word stays, so the agent knows what was said. Digits of
 * every script count; a value already removed is never matched again.
 */
export class SensitiveAuthDataRedactor {
  remove(text: string): SensitiveDataRemoval {
    if (countDigits(text, 3) < 3) return { text, removed: [] };
    const f = foldText(text);
    const cuts = findCuts(f.folded);
    if (cuts.length === 0) return { text, removed: [] };
    let out = '';
    let prev = 0;
    for (const c of cuts) {
      out += text.slice(prev, f.original(c.start)) + SENSITIVE_DATA_MARKERS[c.kind];
      prev = f.original(c.end);
    }
    return { text: out + text.slice(prev), removed: cuts.map((c) => c.kind) };
  }
}

function findCuts(s: string): Cut[] {
  const anchors = [...s.matchAll(CARD_MARKER), ...s.matchAll(KEYWORD)].sort(
    (a, b) => a.index - b.index,
  );
  const cuts: Cut[] = [];
  let pos = 0;
  for (const a of anchors) {
    if (a.index < pos) continue;
    const kind = kindOf(a.groups);
    pos = a.index + a[0].length;
    const budget = kind === null ? MAX_AFTER_CARD : 1;
    for (let n = 0; n < budget; n++) {
      // "cvv200": not CVV2 and "00", but CVV and "200".
      const found =
        valueAt(s, pos, kind) ?? (n === 0 && /\d$/.test(a[0]) ? valueAt(s, pos - 1, kind) : null);
      if (!found) break;
      cuts.push(found);
      pos = found.end;
    }
  }
  return cuts;
}

function kindOf(groups: Record<string, string | undefined> | undefined): SensitiveDataKind | null {
  if (groups?.code !== undefined) return 'security_code';
  if (groups?.pin !== undefined) return 'pin';
  if (groups?.expiry !== undefined) return 'expiry';
  return null;
}

/**
 * The value at `pos` after filler words: of `kind` after a keyword; after a card (kind null), an
 * expiry by its shape or a 3-4 digit code, unless a keyword between names it.
 */
function valueAt(s: string, pos: number, kind: SensitiveDataKind | null): Cut | null {
  let at = skipFiller(s, pos);
  let want = kind;
  if (kind === null) {
    KEYWORD_AT.lastIndex = at;
    const kw = KEYWORD_AT.exec(s);
    if (kw) {
      want = kindOf(kw.groups);
      at = skipFiller(s, at + kw[0].length);
    }
  }
  const tries: Array<[RegExp, SensitiveDataKind]> =
    want === null
      ? [
          [VALUE.next_to_card, 'expiry'],
          [NEXT_TO_CARD_CODE, 'security_code'],
        ]
      : [[VALUE[want], want]];
  for (const [re, k] of tries) {
    re.lastIndex = at;
    const m = re.exec(s);
    if (m) return { start: at, end: at + m[0].length, kind: k };
  }
  return null;
}

function skipFiller(s: string, pos: number): number {
  FILLER.lastIndex = pos;
  const m = FILLER.exec(s);
  return m && m[0].length <= MAX_FILLER ? pos + m[0].length : pos;
}
