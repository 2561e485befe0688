import { parsePhoneNumberFromString } from 'libphonenumber-js/max';
import type { CountryCode } from 'libphonenumber-js/max';

/**
 * A phone number in E.164 (+393471234567), reading national forms in `region`; null when it is
 * not a valid number. Twilio sends E.164 already; this also accepts "tel:" and spaces.
 */
export function toE164(raw: string, region: CountryCode): string | null {
  const cleaned = raw.trim().replace(/^tel:/i, '');
  if (cleaned.length === 0 || cleaned.length > 64) return null;
  const parsed = parsePhoneNumberFromString(cleaned, region);
  return parsed?.isValid() ? parsed.number : null;
}

/** E.164 when the address is a phone number, else the address as given (a short code, "12345"). */
export function toE164OrRaw(raw: string, region: CountryCode): string {
  return toE164(raw, region) ?? raw.trim();
}
