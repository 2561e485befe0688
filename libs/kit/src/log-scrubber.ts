import { PanRedactor } from '@omnigate/crypto';
import { counter } from './metrics';

// Defence in depth: code must not log bodies or personal data, but if a card number slips into
// a log line anyway it leaves as a random reference, and a security code, PIN or expiry date
// beside it or named by its word is removed (PCI DSS 3.3.1).
const scrubber = new PanRedactor();
const logRedactions = counter(
  'omnigate_log_redactions_total',
  'Card data found in log lines and taken out before writing (a bug to look for: code must not log it)',
  ['kind'],
);

/** Card numbers, security codes, PINs and expiry dates out of one text bound for a log. */
export function scrubCardData(text: string): string {
  const r = scrubber.redact(text);
  if (r.redactions.length > 0) logRedactions.inc({ kind: 'card' }, r.redactions.length);
  for (const kind of r.removed) logRedactions.inc({ kind });
  return r.text;
}

/** The last pass over a serialised line (a value that became text only in JSON). */
export function scrubLogLine(line: string): string {
  return scrubCardData(line);
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
  'filename',
  'vcard',
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
 * depth, card data taken out of and phone numbers and e-mail addresses masked in every other
 * string, before JSON escapes a line break or a tab inside a number. Numbers and booleans pass
 * (ids, counts, codes).
 */
export function scrubLogFields(value: unknown, depth = 0): unknown {
  if (typeof value === 'string') return maskPersonalText(scrubCardData(value));
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
