import twilio from 'twilio';
import { post } from './load';
import type { System } from './system';

const OUR_NUMBER = '+390212345678';
/** The bench's customers: 200 senders, so most messages land in a conversation that exists. */
const SENDERS = 200;

/** The id a message's text carries, found again in the console's event. */
export const benchId = (step: number, i: number): string => `bench-${step}-${i}`;
export const BENCH_ID_PATTERN = /bench-\d+-\d+/;

/**
 * Sends the i-th SMS of a step as Twilio does: a signed form POST to the SMS gateway's webhook.
 * Resolves with the HTTP status (0 when the connection failed).
 */
export function postSms(sys: System, step: number, i: number): Promise<number> {
  const params: Record<string, string> = {
    MessageSid: `SM${step.toString(16).padStart(4, '0')}${i.toString(16).padStart(28, '0')}`,
    AccountSid: 'AC' + '0'.repeat(32),
    From: `+39347${String(1_000_000 + (i % SENDERS)).slice(-7)}`,
    To: OUR_NUMBER,
    Body: `Ciao, ${benchId(step, i)}: la mia carta è bloccata`,
    NumMedia: '0',
    NumSegments: '1',
    SmsStatus: 'received',
    ApiVersion: '2010-04-01',
  };
  const signature = twilio.getExpectedTwilioSignature(sys.authToken, sys.smsUrl, params);
  return post(sys.smsUrl, new URLSearchParams(params).toString(), {
    'content-type': 'application/x-www-form-urlencoded',
    'x-twilio-signature': signature,
  }).catch(() => 0);
}
