import { twilioKeywordOf as keywordOf } from '@omnigate/twilio';

export type TwilioKeyword = { type: 'STOP' | 'START' | 'HELP'; word: string };

const TYPE = { optout: 'STOP', optin: 'START', help: 'HELP' } as const;

/** Twilio's own keyword lists (one copy, in libs/twilio), in the sandbox's STOP/START/HELP words. */
export function twilioKeywordOf(body: string): TwilioKeyword | null {
  const k = keywordOf(body);
  return k ? { type: TYPE[k.kind], word: k.keyword } : null;
}
