const ND = /^\p{Nd}$/u;
const ANY_NON_ASCII = /[\u0080-\uffff]/;
const valueCache = new Map<number, number>();

/**
 * The value (0-9) of any Unicode decimal digit (general category Nd: ASCII, full-width,
 * Arabic-Indic, Devanagari, mathematical...), or -1. Unicode keeps every Nd block as runs of ten
 * consecutive code points from 0 to 9, so the value is the distance from the start of the run.
 */
export function digitValue(cp: number): number {
  if (cp >= 48 && cp <= 57) return cp - 48;
  if (cp < 128) return -1;
  const cached = valueCache.get(cp);
  if (cached !== undefined) return cached;
  let value = -1;
  if (ND.test(String.fromCodePoint(cp))) {
    let start = cp;
    while (ND.test(String.fromCodePoint(start - 1))) start--;
    value = (cp - start) % 10;
  }
  valueCache.set(cp, value);
  return value;
}

/**
 * A text with every decimal digit written as its ASCII digit and full-width ASCII as ASCII, so
 * one set of patterns reads every script; `original(i)` maps an offset in `folded` back to the
 * text (an astral digit is two code units there, one here).
 */
export interface FoldedText {
  readonly folded: string;
  original(i: number): number;
}

const IDENTITY = (i: number): number => i;

export function foldText(text: string): FoldedText {
  if (!ANY_NON_ASCII.test(text)) return { folded: text, original: IDENTITY };
  const out: string[] = [];
  const map: number[] = [];
  for (let i = 0; i < text.length;) {
    const cp = text.codePointAt(i)!;
    const width = cp > 0xffff ? 2 : 1;
    const folded = foldCodePoint(cp);
    if (folded !== null) {
      out.push(folded);
      map.push(i);
    } else {
      for (let k = 0; k < width; k++) {
        out.push(text[i + k]!);
        map.push(i + k);
      }
    }
    i += width;
  }
  map.push(text.length);
  return { folded: out.join(''), original: (i) => map[i]! };
}

function foldCodePoint(cp: number): string | null {
  if (cp < 128) return null;
  // Full-width ASCII (ｃｖｖ，１２３): the same letters and punctuation, twice as wide.
  if (cp >= 0xff01 && cp <= 0xff5e) return String.fromCharCode(cp - 0xfee0);
  const d = digitValue(cp);
  return d >= 0 ? String.fromCharCode(48 + d) : null;
}

/** How many decimal digits of any script `text` holds, counting up to `enough` only. */
export function countDigits(text: string, enough: number): number {
  let n = 0;
  let nonAscii = false;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c >= 48 && c <= 57) {
      if (++n >= enough) return n;
    } else if (c >= 128) nonAscii = true;
  }
  if (!nonAscii) return n;
  n = 0;
  for (const ch of text) {
    if (digitValue(ch.codePointAt(0)!) >= 0 && ++n >= enough) return n;
  }
  return n;
}
