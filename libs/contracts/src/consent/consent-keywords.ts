/**
 * Consent keywords, shared by every gateway: a message whose whole text is one of these words is a
 * consent instruction (InboundMessageV1 `kind` optout / optin / help), not conversation text.
 *
 * English from the CTIA/Twilio lists; Italian added for our customers. Matching is on the whole
 * message after trimming, ignoring case, accents, surrounding punctuation and a leading '/' (so
 * Telegram's `/stop` and `/start` commands count): "Stop please" is text, "STOP!" is a keyword.
 * YES is deliberately not an opt-in word here (it answers bot questions on chat channels); the SMS
 * gateway keeps Twilio's own list, which has it, because Twilio acts on it anyway.
 */
export const CONSENT_OPT_OUT_KEYWORDS = [
  'STOP',
  'STOPALL',
  'UNSUBSCRIBE',
  'CANCEL',
  'END',
  'QUIT',
  'REVOKE',
  'OPTOUT',
  'OPT OUT',
  'ANNULLA',
  'BASTA',
  'DISISCRIVI',
  'DISISCRIVIMI',
  'CANCELLAMI',
  'REVOCA',
] as const;
export const CONSENT_OPT_IN_KEYWORDS = [
  'START',
  'UNSTOP',
  'SUBSCRIBE',
  'OPTIN',
  'OPT IN',
  'ISCRIVI',
  'ISCRIVIMI',
  'RIATTIVA',
  'AVVIA',
] as const;
export const CONSENT_HELP_KEYWORDS = ['HELP', 'INFO', 'AIUTO'] as const;

export type ConsentKeywordKind = 'optout' | 'optin' | 'help';

export interface ConsentKeywordMatch {
  kind: ConsentKeywordKind;
  /** The keyword as matched, normalised (upper case, no accents or punctuation). */
  keyword: string;
}

/** Word → kind for three keyword lists (this one, or a provider's own such as Twilio's). */
export function keywordIndex(lists: {
  optout: readonly string[];
  optin: readonly string[];
  help: readonly string[];
}): ReadonlyMap<string, ConsentKeywordKind> {
  return new Map(
    (['optout', 'optin', 'help'] as const).flatMap((kind) => lists[kind].map((w) => [w, kind])),
  );
}

const BY_WORD = keywordIndex({
  optout: CONSENT_OPT_OUT_KEYWORDS,
  optin: CONSENT_OPT_IN_KEYWORDS,
  help: CONSENT_HELP_KEYWORDS,
});

/** Longer than any keyword: skip normalising long texts. */
const MAX_KEYWORD_TEXT = 40;

/** Upper case, accents off, punctuation/emoji around the words off, inner whitespace single. */
export function normaliseKeywordText(text: string): string {
  return text
    .normalize('NFKD')
    .replace(/\p{M}/gu, '')
    .replace(/^[^\p{L}\p{N}]+|[^\p{L}\p{N}]+$/gu, '')
    .replace(/\s+/g, ' ')
    .toUpperCase();
}

/** The consent instruction a whole message is, or null for conversation text. Pure. */
export function classifyConsentKeyword(text: string): ConsentKeywordMatch | null {
  if (text.length > MAX_KEYWORD_TEXT) return null;
  const keyword = normaliseKeywordText(text);
  const kind = BY_WORD.get(keyword);
  return kind ? { kind, keyword } : null;
}

/** InboundMessageV1 `kind` for a text: the keyword's kind or 'text'. */
export function inboundKindOf(text: string): 'text' | ConsentKeywordKind {
  return classifyConsentKeyword(text)?.kind ?? 'text';
}
