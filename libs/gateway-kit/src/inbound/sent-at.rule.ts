import { SENT_AT_MAX_AGE_MS, SENT_AT_MAX_AHEAD_MS } from '@omnigate/contracts';

export type SentAtVerdict =
  { sentAt: string } | { ignored: 'missing' | 'invalid' | 'future' | 'too_old' };

/** 9999-12-31T23:59:59Z: later years do not fit the contract's ISO date-time. */
const LAST_ISO_SECOND = 253_402_300_799;

/**
 * A provider's unix time in seconds (WhatsApp's `timestamp` is a decimal string, Telegram's
 * `date` a number) as a Date, or null when it is not one. Pure.
 */
export function fromUnixSeconds(v: unknown): Date | null {
  const n = typeof v === 'string' && /^\d{1,12}$/.test(v.trim()) ? Number(v) : v;
  if (typeof n !== 'number' || !Number.isSafeInteger(n) || n < 0 || n > LAST_ISO_SECOND) {
    return null;
  }
  return new Date(n * 1000);
}

/**
 * The customer's send time as the provider claims it, kept only within
 * [received − 7 days, received + 2 min]; outside it the message is timed when it was received. Pure.
 */
export function sentAtWithin(
  claim: string | Date | null | undefined,
  received: Date,
): SentAtVerdict {
  if (claim === null || claim === undefined || claim === '') return { ignored: 'missing' };
  const at = typeof claim === 'string' ? Date.parse(claim) : claim.getTime();
  if (!Number.isFinite(at)) return { ignored: 'invalid' };
  const now = received.getTime();
  if (at > now + SENT_AT_MAX_AHEAD_MS) return { ignored: 'future' };
  if (at < now - SENT_AT_MAX_AGE_MS) return { ignored: 'too_old' };
  return { sentAt: new Date(at).toISOString() };
}
