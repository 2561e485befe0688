/**
 * Lines that open the quoted history of a reply, in the clients our customers use (Gmail, Apple
 * Mail, Outlook, Thunderbird), in Italian and English. Everything from such a line on is history.
 */
const HISTORY_OPENERS: RegExp[] = [
  /^\s*On .{1,300} wrote:\s*$/i,
  /^\s*Il giorno .{1,300} ha scritto:\s*$/i,
  /^\s*Il .{1,200} ha scritto:\s*$/i,
  /^\s*-{2,}\s*(Original Message|Messaggio originale)\s*-{2,}\s*$/i,
  /^\s*_{10,}\s*$/,
  /^\s*(From|Da):\s.+$/i,
];

/** The signature separator "-- " (RFC 3676 §4.3): what follows is a signature, not the message. */
const SIGNATURE = /^-- $/;

export interface StrippedText {
  /** What the customer wrote in this mail. */
  text: string;
  /** True when quoted history or a signature was removed. */
  stripped: boolean;
}

/** Removes quoted history ("> " lines and what follows "On ... wrote:") and the signature. Pure. */
export function stripQuoted(text: string): StrippedText {
  const lines = text.replace(/\r\n?/g, '\n').split('\n');
  const kept: string[] = [];
  let stripped = false;
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!;
    // "On Mon, ... <x@y>" can be wrapped onto two lines by the client.
    const joined = i + 1 < lines.length ? `${line} ${lines[i + 1]!.trim()}` : line;
    if (
      SIGNATURE.test(line) ||
      HISTORY_OPENERS.some((re) => re.test(line)) ||
      (/^\s*(On|Il giorno) /i.test(line) && /(wrote|ha scritto):\s*$/i.test(joined))
    ) {
      stripped = true;
      break;
    }
    if (/^\s*>/.test(line)) {
      stripped = true;
      continue;
    }
    kept.push(line);
  }
  const out = kept
    .join('\n')
    .replace(/\n{3,}/g, '\n\n')
    .trim();
  // A mail that is only a quote (forwarded as is) keeps its text rather than arriving empty.
  if (!out) return { text: text.trim(), stripped: false };
  return { text: out, stripped };
}
