import { createHmac, randomInt } from 'node:crypto';

/** No 0/O, 1/I/L: a code read off a phone screen and typed on another is typed right. */
export const LINK_CODE_ALPHABET = 'ABCDEFGHJKMNPQRSTUVWXYZ23456789';
export const LINK_CODE_LENGTH = 8;
export const OTP_LENGTH = 6;

/** What a customer's message asks of identity linking, or null for an ordinary message. */
export type IdentityCommand =
  | { kind: 'link_code'; code: string }
  | {
      kind: 'otp_request';
      target: { type: 'phone'; e164: string } | { type: 'email'; email: string };
    }
  | { kind: 'otp_code'; code: string; explicit: boolean };

const VERB = '(?:LINK|COLLEGA)';
const LINK_CODE = new RegExp(`^${VERB}\\s+([A-Za-z0-9]{${LINK_CODE_LENGTH}})$`, 'i');
/** Telegram's deep link t.me/<bot>?start=link_<code> arrives as "/start link_<code>". */
const START_LINK = new RegExp(`^/start(?:@\\w+)?\\s+link_([A-Za-z0-9]{${LINK_CODE_LENGTH}})$`, 'i');
const OTP_REQUEST_PHONE = new RegExp(`^${VERB}\\s+(\\+[\\d .-]{7,24})$`, 'i');
const OTP_REQUEST_EMAIL = new RegExp(
  `^${VERB}\\s+([^\\s@]{1,64}@[^\\s@]{1,255}\\.[^\\s@]{2,63})$`,
  'i',
);
const OTP_CODE = new RegExp(`^(?:(?:${VERB}|CODE|CODICE)\\s+)?(\\d{${OTP_LENGTH}})$`, 'i');
const E164 = /^\+[1-9]\d{6,14}$/;

/** Reads "LINK ABCD2345", "COLLEGA abcd2345", "/start link_ABCD2345", "LINK +39 347…", "LINK a@b.it", "123456". Pure. */
export function parseIdentityCommand(text: string | undefined): IdentityCommand | null {
  if (text === undefined) return null;
  const t = text.trim();
  if (t.length > 300) return null;
  const code = LINK_CODE.exec(t) ?? START_LINK.exec(t);
  // An 8-digit run could also be a link code (digits 2-9 are in the alphabet): code wins.
  if (code) return { kind: 'link_code', code: code[1]!.toUpperCase() };
  const otp = OTP_CODE.exec(t);
  if (otp) return { kind: 'otp_code', code: otp[1]!, explicit: !/^\d+$/.test(t) };
  const phone = OTP_REQUEST_PHONE.exec(t);
  if (phone) {
    const e164 = phone[1]!.replace(/[ .-]/g, '');
    return E164.test(e164) ? { kind: 'otp_request', target: { type: 'phone', e164 } } : null;
  }
  const email = OTP_REQUEST_EMAIL.exec(t);
  if (email) {
    return { kind: 'otp_request', target: { type: 'email', email: email[1]!.toLowerCase() } };
  }
  return null;
}

/** A fresh link code: 8 characters of the unambiguous alphabet, from a CSPRNG. */
export function generateLinkCode(pick: (max: number) => number = randomInt): string {
  let code = '';
  for (let i = 0; i < LINK_CODE_LENGTH; i++) {
    code += LINK_CODE_ALPHABET[pick(LINK_CODE_ALPHABET.length)];
  }
  return code;
}

/** A fresh 6-digit OTP, from a CSPRNG. */
export function generateOtp(pick: (max: number) => number = randomInt): string {
  return String(pick(10 ** OTP_LENGTH)).padStart(OTP_LENGTH, '0');
}

/** What is stored instead of a code: a keyed hash, so a database reader cannot use a live code. Pure. */
export function hashCode(key: string, kind: 'link' | 'otp', code: string): string {
  return createHmac('sha256', key).update(`${kind}:${code.toUpperCase()}`).digest('hex');
}

/** Deep links that prefill the link message; each only when our address there is configured. Pure. */
export function linkDeepLinks(
  code: string,
  ours: { telegramBot?: string | undefined; whatsappNumber?: string | undefined },
): { telegram?: string; whatsapp?: string } {
  return {
    ...(ours.telegramBot
      ? { telegram: `https://t.me/${ours.telegramBot}?start=link_${code}` }
      : {}),
    ...(ours.whatsappNumber
      ? { whatsapp: `https://wa.me/${ours.whatsappNumber.replace(/\D/g, '')}?text=LINK%20${code}` }
      : {}),
  };
}

/** Failures (epoch ms) still inside the window; the guard refuses once `max` are. Pure. */
export function recentAttempts(times: readonly number[], now: number, windowMs: number): number[] {
  return times.filter((t) => t > now - windowMs && t <= now);
}
