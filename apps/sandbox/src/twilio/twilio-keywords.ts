/**
 * Twilio's default opt-out keywords (long codes and toll-free), matched on the whole trimmed body,
 * case-insensitive; REVOKE and OPTOUT since 14 May 2025
 * (https://www.twilio.com/en-us/blog/update-to-fcc-s-sms-opt-out-keywords).
 */
const OPT_OUT = new Set([
  'STOP',
  'STOPALL',
  'UNSUBSCRIBE',
  'CANCEL',
  'END',
  'QUIT',
  'REVOKE',
  'OPTOUT',
]);
const OPT_IN = new Set(['START', 'YES', 'UNSTOP']);
const HELP = new Set(['HELP', 'INFO']);

export type TwilioKeyword = { type: 'STOP' | 'START' | 'HELP'; word: string };

export function twilioKeywordOf(body: string): TwilioKeyword | null {
  const word = body.trim().toUpperCase();
  if (OPT_OUT.has(word)) return { type: 'STOP', word };
  if (OPT_IN.has(word)) return { type: 'START', word };
  if (HELP.has(word)) return { type: 'HELP', word };
  return null;
}
