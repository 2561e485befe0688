import { classifyConsentKeyword } from '@omnigate/contracts';
import type { InboundMessageV1 } from '@omnigate/contracts';

/**
 * Twilio's current keyword lists (default opt-out handling on long codes and toll-free):
 * opt-out includes REVOKE and OPTOUT since 14 May 2025
 * (https://www.twilio.com/en-us/blog/update-to-fcc-s-sms-opt-out-keywords); "OPT OUT" with a
 * space is not a keyword. Only a whole body (trimmed, any case) matches: "Stop please" is text.
 */
export const OPT_OUT_KEYWORDS = [
  'STOP',
  'STOPALL',
  'UNSUBSCRIBE',
  'CANCEL',
  'END',
  'QUIT',
  'REVOKE',
  'OPTOUT',
] as const;
export const OPT_IN_KEYWORDS = ['START', 'YES', 'UNSTOP'] as const;
export const HELP_KEYWORDS = ['HELP', 'INFO'] as const;

export type KeywordKind = Exclude<InboundMessageV1['kind'], 'text'>;

export interface KeywordMatch {
  kind: KeywordKind;
  /** The keyword as matched, upper case (recorded with the opt-out). */
  keyword: string;
}

const BY_WORD = new Map<string, KeywordKind>([
  ...OPT_OUT_KEYWORDS.map((w) => [w, 'optout'] as const),
  ...OPT_IN_KEYWORDS.map((w) => [w, 'optin'] as const),
  ...HELP_KEYWORDS.map((w) => [w, 'help'] as const),
]);

/**
 * Twilio's own list first (what Twilio itself acts on), then the keywords every channel shares
 * (Italian and English, punctuation and accents tolerated: "Basta!", "annulla").
 */
export function matchKeyword(body: string): KeywordMatch | null {
  const word = body.trim().toUpperCase();
  const kind = BY_WORD.get(word);
  return kind ? { kind, keyword: word } : classifyConsentKeyword(body);
}

/** The TwiML reply to HELP: who we are and how to stop, in Italian and English. */
export const HELP_REPLY =
  'Omnigate: assistenza clienti. Rispondi STOP per non ricevere più messaggi, START per riattivarli. / ' +
  'Omnigate: customer support. Reply STOP to opt out, START to opt back in.';
