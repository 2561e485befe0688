import { randomBytes } from 'node:crypto';
import { ibanSpans } from './iban';
import { cardBrand, isLuhnValid } from './luhn';
import { SensitiveAuthDataRedactor } from './sensitive-auth-data.redactor';
import type { SensitiveDataKind } from './sensitive-auth-data.redactor';
import { countDigits, foldText } from './unicode-digits';

export interface PanRedaction {
  token: string;
  brand: string;
  last4: string;
}

export interface RedactionResult {
  text: string;
  redactions: PanRedaction[];
  /** Security codes, PINs and expiry dates removed from the text (one entry each, no values). */
  removed: SensitiveDataKind[];
}

/** A card found in a text, with its number: only for the card vault, never for a message. */
export interface FoundCard extends PanRedaction {
  pan: string;
}

/**
 * What may stand between two digit groups of one card number: spaces of every kind (no-break,
 * thin, ideographic, tabs, line breaks), dashes of every kind, dots, slashes, underscores and
 * invisible format characters (zero-width space, soft hyphen), up to MAX_SEP of them.
 */
const SEP = String.raw`[\s\p{Zs}\p{Pd}\p{Pc}\p{Cf}\u2212./\\\u00b7\u2022\u2024\u2027\u2044\u2215\u3002\uff61\u30fb\uff65]`;
const MAX_SEP = 5;
const DIGIT_RUN = new RegExp(String.raw`\d+(?:${SEP}{1,${MAX_SEP}}\d+)*`, 'gu');
/** A phone number written after '+' does not go on across these. */
const LINE_BREAK = /[\t\n\v\f\r\u0085\u2028\u2029]/;
const MIN_PAN = 13;
const MAX_PAN = 19;
const MAX_PHONE = 15;

/** The usual length of a brand's numbers: preferred when a longer reading also passes Luhn. */
const STANDARD_LENGTH: Readonly<Record<string, number>> = {
  visa: 16,
  mastercard: 16,
  amex: 15,
  discover: 16,
  jcb: 16,
  diners: 14,
  unionpay: 16,
};

interface Group {
  digits: string;
  /** Offsets in the folded text. */
  start: number;
  end: number;
  /** Part of a phone number written after '+', or of an IBAN: never part of a card. */
  excluded: boolean;
  /** Where its digits start in the run's digits (Run.digits). */
  at: number;
}

/** One run of digit groups, and all its digits in one flat string (cheap slices for Luhn). */
interface Run {
  groups: Group[];
  digits: string;
}

interface Candidate {
  pan: string;
  /** The group after the card. */
  next: number;
  end: number;
}

/**
 * Replaces every card number (a Luhn-valid run of 13–19 decimal digits of any script, written
 * with any separators between groups) by a reference that shows only brand and last four digits:
 * `[card visa ****1111 ref_…]`, then removes the security codes, PINs and expiry dates beside it
 * or named by their words (SensitiveAuthDataRedactor). Candidates start and end on digit-group
 * boundaries, so a long IBAN is not cut up; a 3-4 digit group after a number of its brand's usual
 * length is its code, not part of a longer "card" ("4111 1111 1111 1111 123" is a Visa and a
 * CVV). A run right after '+' is a phone number, an IBAN (mod-97) a bank account, and a number
 * starting with 0 no card.
 * The reference is random (80 bits), never a function of the number: nothing at the edge can turn
 * it back into a card, and the same card twice gives two unrelated references. Only the vault,
 * which opens the sealed number, maps references to one stable token per card. Letters only, so a
 * redacted text can never look like a card number again.
 */
export class PanRedactor {
  constructor(private readonly sad = new SensitiveAuthDataRedactor()) {}

  redact(text: string): RedactionResult {
    const { text: out, redactions, removed } = this.redactWithCards(text);
    return { text: out, redactions, removed };
  }

  /** As `redact`, plus the card numbers found (for the vault to seal; never to publish or log). */
  redactWithCards(text: string): RedactionResult & { cards: FoundCard[] } {
    const { text: withRefs, cards } = this.replaceCards(text);
    const { text: out, removed } = this.sad.remove(withRefs);
    return { text: out, redactions: cards.map(({ pan: _pan, ...r }) => r), cards, removed };
  }

  /** A fresh reference for a card found in a text (`token` on the wire: see redactionSchema). */
  referenceFor(pan: string): PanRedaction {
    const ref = 'ref_' + hexToLetters(randomBytes(10).toString('hex'));
    return { token: ref, brand: cardBrand(pan), last4: pan.slice(-4) };
  }

  private replaceCards(text: string): { text: string; cards: FoundCard[] } {
    if (countDigits(text, MIN_PAN) < MIN_PAN) return { text, cards: [] };
    const f = foldText(text);
    const ibans = ibanMask(f.folded);
    const cards: FoundCard[] = [];
    let out = '';
    let prev = 0;
    for (const run of f.folded.matchAll(DIGIT_RUN)) {
      for (const found of cardsIn(runOf(f.folded, run[0], run.index, ibans))) {
        const r = this.referenceFor(found.pan);
        cards.push({ ...r, pan: found.pan });
        out += text.slice(prev, f.original(found.start));
        out += `[card ${r.brand} ****${r.last4} ${r.token}]`;
        prev = f.original(found.end);
      }
    }
    return { text: cards.length > 0 ? out + text.slice(prev) : text, cards };
  }
}

/** Which offsets of the text belong to an IBAN (null: none does). */
function ibanMask(folded: string): Uint8Array | null {
  const spans = ibanSpans(folded);
  if (spans.length === 0) return null;
  const mask = new Uint8Array(folded.length);
  for (const [a, b] of spans) mask.fill(1, a, b);
  return mask;
}

function runOf(folded: string, run: string, offset: number, ibans: Uint8Array | null): Run {
  const groups: Group[] = [];
  let at = 0;
  for (let i = 0; i < run.length;) {
    let k = i;
    while (k < run.length && isAsciiDigit(run.charCodeAt(k))) k++;
    if (k === i) {
      i++;
      continue;
    }
    const start = offset + i;
    const end = offset + k;
    // An IBAN starts with letters: a group that overlaps one starts or ends inside it.
    const inIban = ibans !== null && (ibans[start] === 1 || ibans[end - 1] === 1);
    groups.push({ digits: run.slice(i, k), start, end, excluded: inIban, at });
    at += k - i;
    i = k;
  }
  if (offset > 0 && folded[offset - 1] === '+') markPhone(folded, groups);
  markDates(folded, groups);
  return { groups, digits: groups.map((g) => g.digits).join('') };
}

/**
 * "12/03/2024", "2024-03-15", "1.3.2024": a date's groups are no part of a card, so a date range
 * ("01/03/2024-15/03/2024") or a date and a time never add up to a "card".
 */
function markDates(folded: string, groups: Group[]): void {
  for (let i = 0; i + 2 < groups.length; i++) {
    const [a, b, c] = [groups[i]!, groups[i + 1]!, groups[i + 2]!];
    const sep = folded.slice(a.end, b.start);
    if (!DATE_SEP.test(sep) || folded.slice(b.end, c.start) !== sep) continue;
    const [x, y, z] = [a.digits, b.digits, c.digits];
    const dayFirst = x.length <= 2 && y.length <= 2 && z.length === 4 && isDate(+z, +y, +x);
    const yearFirst = x.length === 4 && y.length <= 2 && z.length <= 2 && isDate(+x, +y, +z);
    if (dayFirst || yearFirst) a.excluded = b.excluded = c.excluded = true;
  }
}

const DATE_SEP = /^[/.-]$/;
const isDate = (year: number, month: number, day: number): boolean =>
  year >= 1900 && year <= 2100 && month >= 1 && month <= 12 && day >= 1 && day <= 31;

/** "+39 333 1234567": the groups of at most 15 digits on one line after '+' are the phone's. */
function markPhone(folded: string, groups: Group[]): void {
  let n = 0;
  for (let i = 0; i < groups.length; i++) {
    const g = groups[i]!;
    if (i > 0 && LINE_BREAK.test(folded.slice(groups[i - 1]!.end, g.start))) return;
    n += g.digits.length;
    if (n > MAX_PHONE) return;
    g.excluded = true;
  }
}

function* cardsIn(run: Run): Generator<{ pan: string; start: number; end: number }> {
  const { groups } = run;
  let i = 0;
  while (i < groups.length) {
    const g = groups[i]!;
    const found = g.excluded || g.digits[0] === '0' ? null : bestFrom(run, i);
    if (found) {
      yield { pan: found.pan, start: g.start, end: found.end };
      i = found.next;
    } else {
      i++;
    }
  }
}

/**
 * The card starting at group `start`: its brand's usual length if that reading passes Luhn, else
 * the longest reading that does; a number glued to a 3-4 digit code ("4111111111111111123") is
 * read at the usual length only when no whole-group reading passes.
 */
function bestFrom(run: Run, start: number): Candidate | null {
  const { groups, digits } = run;
  const from = groups[start]!.at;
  const whole: Candidate[] = [];
  const glued: Candidate[] = [];
  for (let j = start; j < groups.length; j++) {
    const g = groups[j]!;
    if (g.excluded) break;
    for (const code of CODE_LENGTHS) {
      const len = g.at + g.digits.length - code - from;
      if (len <= g.at - from || len < MIN_PAN || len > MAX_PAN) continue;
      const pan = digits.slice(from, from + len);
      if (isLuhnValid(pan)) glued.push({ pan, next: j + 1, end: g.end - code });
    }
    const len = g.at + g.digits.length - from;
    if (len > MAX_PAN) break;
    if (len >= MIN_PAN) {
      const pan = digits.slice(from, from + len);
      if (isLuhnValid(pan)) whole.push({ pan, next: j + 1, end: g.end });
    }
  }
  return whole.find(usual) ?? whole[whole.length - 1] ?? glued.find(usual) ?? null;
}

const CODE_LENGTHS = [3, 4] as const;
const isAsciiDigit = (c: number): boolean => c >= 48 && c <= 57;
const usual = (c: Candidate): boolean => c.pan.length === STANDARD_LENGTH[cardBrand(c.pan)];

function hexToLetters(hex: string): string {
  let s = '';
  for (const ch of hex) s += String.fromCharCode(97 + parseInt(ch, 16));
  return s;
}
