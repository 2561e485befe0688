import type { DeadLetterRecord } from '@omnigate/bus';
import { maskText } from '../privacy/personal-data.mapper';

const DOTS = '•••';
/** What a customer wrote, or a provider's copy of it: never shown, only its length. */
const BODY_KEYS = new Set(['text', 'body', 'html', 'caption', 'subject', 'title', 'raw']);
/** Who: phone numbers, emails, user ids, names, postal addresses. */
const PERSON_KEYS = new Set([
  'address',
  'from',
  'to',
  'phone',
  'email',
  'name',
  'displayname',
  'fullname',
  'username',
  'firstname',
  'lastname',
  'street',
  'city',
  'postcode',
  'iban',
]);

/** A dead letter as the console shows it: what failed and why, no personal data in clear. */
export type DeadLetterView = DeadLetterRecord;

/**
 * Masks a dead letter for the console (supervisors and admins): the payload keeps its shape
 * (channel, kind, ids, times: what an operator needs to decide on a redrive) but message bodies
 * become their length, people's addresses and names a masked tail, and phone numbers or emails
 * anywhere else (an id, the error message) are masked as everywhere in the console. Pure.
 */
export function toDeadLetterView(e: DeadLetterRecord): DeadLetterView {
  return {
    ...e,
    error: { code: e.error.code, message: maskText(e.error.message) },
    payload: maskPayload(e.payload),
  };
}

function maskPayload(payload: string): string {
  let parsed: unknown;
  try {
    parsed = JSON.parse(payload);
  } catch {
    // Not JSON (the reason it was dead-lettered, often): nothing of it is shown.
    return `${DOTS} (${payload.length} characters, not JSON)`;
  }
  return JSON.stringify(maskValue(parsed, undefined));
}

function maskValue(v: unknown, key: string | undefined): unknown {
  const k = key?.toLowerCase();
  if (typeof v === 'string') {
    if (k && BODY_KEYS.has(k)) return `${DOTS} (${v.length} characters)`;
    if (k && PERSON_KEYS.has(k)) return maskTail(v);
    return maskText(v);
  }
  if (Array.isArray(v)) return v.map((x) => maskValue(x, key));
  if (v && typeof v === 'object') {
    return Object.fromEntries(
      Object.entries(v).map(([ck, cv]) => [
        ck,
        // Everything under a person key (`from: { address, name }`) is about that person.
        k && PERSON_KEYS.has(k) && typeof cv === 'string' ? maskTail(cv) : maskValue(cv, ck),
      ]),
    );
  }
  return v;
}

/** The last three characters, enough to tell two apart: `•••567`. */
function maskTail(s: string): string {
  return s.length > 6 ? `${DOTS}${s.slice(-3)}` : DOTS;
}
