/** A message's text cut into plain runs and the card tokens the gateways put in place of numbers. */
export type TextSegment =
  { kind: 'text'; text: string } | { kind: 'card'; brand: string; last4: string; token: string };

// `[card visa ****1111 ref_abcdefghijklmnopabcd]`, as libs/crypto's PAN redactor writes it.
const CARD_TOKEN = /\[card ([a-z_]+) \*{4}(\d{4}) (ref_[a-p]{8,64})\]/g;

export function splitCardTokens(text: string): TextSegment[] {
  const out: TextSegment[] = [];
  let last = 0;
  for (const m of text.matchAll(CARD_TOKEN)) {
    const at = m.index;
    if (at > last) out.push({ kind: 'text', text: text.slice(last, at) });
    out.push({ kind: 'card', brand: m[1] ?? '', last4: m[2] ?? '', token: m[3] ?? '' });
    last = at + m[0].length;
  }
  if (last < text.length) out.push({ kind: 'text', text: text.slice(last) });
  return out;
}
