import { randomBytes } from 'node:crypto';
import { cardBrand, isLuhnValid } from './luhn';

export interface PanRedaction {
  token: string;
  brand: string;
  last4: string;
}

export interface RedactionResult {
  text: string;
  redactions: PanRedaction[];
}

/** A card found in a text, with its number: only for the card vault, never for a message. */
export interface FoundCard extends PanRedaction {
  pan: string;
}

/** Runs of digit groups separated by a space, a dash or " - ". */
const DIGIT_RUN = /\d+(?:(?: - |[ -])\d+)*/g;
const MIN_PAN = 13;
const MAX_PAN = 19;

/**
 * Replaces every card number (a Luhn-valid run of 13–19 digits, written with or without spaces
 * or dashes) by a reference that shows only brand and last four digits:
 * `[card visa ****1111 ref_…]`. Candidates start and end on digit-group boundaries, so
 * "4111 1111 1111 1111 12/27" is caught and a long IBAN is not cut up. A run right after '+' is a
 * phone number, never a card.
 * The reference is random (80 bits), never a function of the number: nothing at the edge can turn
 * it back into a card, and the same card twice gives two unrelated references. Only the vault,
 * which opens the sealed number, maps references to one stable token per card. Letters only, so a
 * redacted text can never look like a card number again.
 */
export class PanRedactor {
  redact(text: string): RedactionResult {
    const { text: out, redactions } = this.redactWithCards(text);
    return { text: out, redactions };
  }

  /** As `redact`, plus the card numbers found (for the vault to seal; never to publish or log). */
  redactWithCards(text: string): RedactionResult & { cards: FoundCard[] } {
    if (!mayContainPan(text)) return { text, redactions: [], cards: [] };
    const cards: FoundCard[] = [];
    const out = text.replace(DIGIT_RUN, (run: string, offset: number) => {
      if (offset > 0 && text[offset - 1] === '+') return run;
      return this.redactRun(run, cards);
    });
    return { text: out, redactions: cards.map(({ pan: _pan, ...r }) => r), cards };
  }

  /** A fresh reference for a card found in a text (`token` on the wire: see redactionSchema). */
  referenceFor(pan: string): PanRedaction {
    const ref = 'ref_' + hexToLetters(randomBytes(10).toString('hex'));
    return { token: ref, brand: cardBrand(pan), last4: pan.slice(-4) };
  }

  private redactRun(run: string, cards: FoundCard[]): string {
    const groups = splitGroups(run);
    const parts: string[] = [];
    let i = 0;
    while (i < groups.length) {
      const found = this.longestPanFrom(groups, i);
      if (found) {
        const r = this.referenceFor(found.pan);
        cards.push({ ...r, pan: found.pan });
        parts.push(`[card ${r.brand} ****${r.last4} ${r.token}]` + found.trailingSep);
        i = found.next;
      } else {
        const g = groups[i]!;
        parts.push(g.digits + g.sep);
        i++;
      }
    }
    return parts.join('');
  }

  private longestPanFrom(groups: Group[], start: number) {
    let digits = '';
    let best: { pan: string; next: number; trailingSep: string } | null = null;
    for (let j = start; j < groups.length; j++) {
      digits += groups[j]!.digits;
      if (digits.length > MAX_PAN) break;
      if (digits.length >= MIN_PAN && isLuhnValid(digits)) {
        best = { pan: digits, next: j + 1, trailingSep: groups[j]!.sep };
      }
    }
    return best;
  }
}

interface Group {
  digits: string;
  sep: string;
}

function splitGroups(run: string): Group[] {
  const groups: Group[] = [];
  const re = /(\d+)((?: - |[ -])?)/g;
  let m: RegExpExecArray | null;
  while ((m = re.exec(run)) !== null) groups.push({ digits: m[1]!, sep: m[2] ?? '' });
  return groups;
}

/** Cheap pre-check for the hot path: fewer than 13 digits in the whole text means no card. */
function mayContainPan(text: string): boolean {
  let n = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c >= 48 && c <= 57 && ++n >= MIN_PAN) return true;
  }
  return false;
}

function hexToLetters(hex: string): string {
  let s = '';
  for (const ch of hex) s += String.fromCharCode(97 + parseInt(ch, 16));
  return s;
}
