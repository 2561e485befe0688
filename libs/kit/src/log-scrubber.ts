import { PanRedactor } from '@omnigate/crypto';

// Defence in depth: code must not log bodies or personal data, but if a card number slips into
// a log line anyway it leaves as a token. The key is per process: log tokens are not joinable.
const scrubber = new PanRedactor();

export function scrubLogLine(line: string): string {
  return scrubber.redact(line).text;
}

/**
 * Fields whose value is a message body or personal data whatever it looks like: dropped (the key
 * stays, so a reader sees something was there). Compared lower-case, without '_' or '-'.
 * `subject` is not here: log lines name NATS subjects; an e-mail subject goes as `emailSubject`.
 */
const PERSONAL_KEYS = new Set([
  'body',
  'text',
  'from',
  'to',
  'cc',
  'bcc',
  'replyto',
  'phone',
  'phonenumber',
  'msisdn',
  'email',
  'emailaddress',
  'address',
  'displayname',
  'fullname',
  'firstname',
  'lastname',
  'customername',
  'username',
  'content',
  'html',
  'caption',
  'emailsubject',
  'payload',
]);
export const REDACTED = '[redacted]';

const EMAIL = /[A-Za-z0-9._%+-]+@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*\.[A-Za-z]{2,}/g;
/** +39 347 123 4567, +393471234567, whatsapp:+39...: an international number with or without separators. */
const PHONE_INTL = /(?<![\w+])\+\d(?:[ ().-]?\d){6,16}(?![\w])/g;
/** A bare run of 9-15 digits standing alone (a national number); digits inside ids are kept. */
const PHONE_BARE = /(?<![\w.:+-])\d{9,15}(?!\w|[.:-]\w)/g;

/** Masks e-mail addresses and phone numbers inside free text (error messages, log messages). */
export function maskPersonalText(text: string): string {
  return text
    .replace(EMAIL, '[email]')
    .replace(PHONE_INTL, '[phone]')
    .replace(PHONE_BARE, '[phone]');
}

/**
 * A copy of a log entry without personal data: known body/sender/recipient keys dropped at any
 * depth, phone numbers and e-mail addresses masked in every other string. Numbers and booleans
 * pass (ids, counts, codes).
 */
export function scrubLogFields(value: unknown, depth = 0): unknown {
  if (typeof value === 'string') return maskPersonalText(value);
  if (value === null || typeof value !== 'object') return value;
  if (depth > 6) return '[nested]';
  if (Array.isArray(value)) return value.map((v) => scrubLogFields(v, depth + 1));
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(value as Record<string, unknown>)) {
    out[k] = PERSONAL_KEYS.has(k.toLowerCase().replace(/[_-]/g, ''))
      ? REDACTED
      : scrubLogFields(v, depth + 1);
  }
  return out;
}
