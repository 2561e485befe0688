import { keywordIndex } from '@omnigate/contracts';
import type { ConsentKeywordMatch } from '@omnigate/contracts';

/**
 * Twilio's default keyword lists (long codes and toll-free; Twilio acts on them itself): opt-out
 * includes REVOKE and OPTOUT since 14 May 2025
 * (https://www.twilio.com/en-us/blog/update-to-fcc-s-sms-opt-out-keywords); "OPT OUT" with a space
 * is not a keyword. Only a whole body (trimmed, any case) matches: "Stop please" is text. The one
 * copy: the SMS gateway and the sandbox's Twilio both read it.
 */
export const TWILIO_OPT_OUT_KEYWORDS = [
  'STOP',
  'STOPALL',
  'UNSUBSCRIBE',
  'CANCEL',
  'END',
  'QUIT',
  'REVOKE',
  'OPTOUT',
] as const;
export const TWILIO_OPT_IN_KEYWORDS = ['START', 'YES', 'UNSTOP'] as const;
export const TWILIO_HELP_KEYWORDS = ['HELP', 'INFO'] as const;

const BY_WORD = keywordIndex({
  optout: TWILIO_OPT_OUT_KEYWORDS,
  optin: TWILIO_OPT_IN_KEYWORDS,
  help: TWILIO_HELP_KEYWORDS,
});

/** The Twilio keyword a whole message body is (upper case, as matched), or null. Pure. */
export function twilioKeywordOf(body: string): ConsentKeywordMatch | null {
  const keyword = body.trim().toUpperCase();
  const kind = BY_WORD.get(keyword);
  return kind ? { kind, keyword } : null;
}
