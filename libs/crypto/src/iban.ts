/** Two letters, two check digits, then 11-30 letters or digits, optionally in groups of four. */
const IBAN_START = /(?<![A-Za-z0-9])[A-Z]{2}\d{2}(?=(?: ?[A-Z0-9]){11})/gi;
const MIN_IBAN = 15;
const MAX_IBAN = 34;

/**
 * Where `text` holds an IBAN (ISO 13616: mod-97 check), as [start, end) offsets: its digits are a
 * bank account, not a card, even when some of them would pass Luhn. The check makes a random run
 * of digits after two letters an IBAN only once in 97 times.
 */
export function ibanSpans(text: string): Array<[number, number]> {
  const spans: Array<[number, number]> = [];
  IBAN_START.lastIndex = 0;
  let m: RegExpExecArray | null;
  while ((m = IBAN_START.exec(text)) !== null) {
    const end = longestValidEnd(text, m.index);
    if (end !== null) {
      spans.push([m.index, end]);
      IBAN_START.lastIndex = end;
    }
  }
  return spans;
}

/** The end of the longest IBAN starting at `start` (spaces allowed between characters). */
function longestValidEnd(text: string, start: number): number | null {
  let chars = '';
  const ends: number[] = [];
  for (let i = start; i < text.length && chars.length < MAX_IBAN; i++) {
    const c = text[i]!;
    if (c === ' ' && i + 1 < text.length && text[i + 1] !== ' ') continue;
    if (!/[A-Za-z0-9]/.test(c)) break;
    chars += c.toUpperCase();
    ends.push(i + 1);
  }
  for (let n = chars.length; n >= MIN_IBAN; n--) {
    if (isIbanValid(chars.slice(0, n))) return ends[n - 1]!;
  }
  return null;
}

export function isIbanValid(iban: string): boolean {
  if (!/^[A-Z]{2}\d{2}[A-Z0-9]{11,30}$/.test(iban)) return false;
  const moved = iban.slice(4) + iban.slice(0, 4);
  let rest = 0;
  for (const c of moved) {
    const v = c >= 'A' ? c.charCodeAt(0) - 55 : c.charCodeAt(0) - 48;
    rest = v >= 10 ? (rest * 100 + v) % 97 : (rest * 10 + v) % 97;
  }
  return rest === 1;
}
