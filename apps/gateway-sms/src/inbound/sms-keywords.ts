import { classifyConsentKeyword } from '@omnigate/contracts';
import { twilioKeywordOf } from '@omnigate/twilio';
import type { InboundMessageV1 } from '@omnigate/contracts';

export type KeywordKind = Exclude<InboundMessageV1['kind'], 'text'>;

export interface KeywordMatch {
  kind: KeywordKind;
  /** The keyword as matched, upper case (recorded with the opt-out). */
  keyword: string;
}

/**
 * Twilio's own list first (what Twilio itself acts on), then the keywords every channel shares
 * (Italian and English, punctuation and accents tolerated: "Basta!", "annulla").
 */
export function matchKeyword(body: string): KeywordMatch | null {
  return twilioKeywordOf(body) ?? classifyConsentKeyword(body);
}

/** The TwiML reply to HELP: who we are and how to stop, in Italian and English. */
export const HELP_REPLY =
  'Omnigate: assistenza clienti. Rispondi STOP per non ricevere più messaggi, START per riattivarli. / ' +
  'Omnigate: customer support. Reply STOP to opt out, START to opt back in.';
