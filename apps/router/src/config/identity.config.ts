import { z } from 'zod';

const ms = (min: number, d: number) => z.coerce.number().int().min(min).default(d);

/** Identity linking, assurance and step-up (issue 5); spread into the router's env schema. */
export const IdentityEnv = {
  /** Keys the hash of link codes and OTPs at rest (default: PAN_TOKEN_KEY, else this process only). */
  IDENTITY_CODE_KEY: z.string().min(16).optional(),
  /** How long an app link code ("LINK ABCD2345") is valid. */
  LINK_CODE_TTL_MS: ms(10_000, 600_000),
  /** How long an OTP sent to a bank-verified address is valid. */
  OTP_TTL_MS: ms(10_000, 600_000),
  /** Wrong codes from one address within the window before further attempts are refused. */
  LINK_GUARD_MAX_FAILURES: ms(1, 5),
  LINK_GUARD_WINDOW_MS: ms(1000, 900_000),
  /** OTP requests per requesting address within the guard window. */
  OTP_MAX_REQUESTS: ms(1, 3),
  /**
   * OTPs to one phone or email being verified within OTP_LIMIT_WINDOW_MS, whoever asks (random
   * senders must not bomb one person), and to all the addresses of one customer. Shared by every
   * router instance (NATS KV, the sessions bucket: keep the window under ROUTER_SESSION_TTL_MS).
   */
  OTP_MAX_PER_TARGET: ms(1, 3),
  OTP_MAX_PER_CUSTOMER: ms(1, 5),
  OTP_LIMIT_WINDOW_MS: ms(1000, 3_600_000),
  /** The Telegram bot's username (without @), for the t.me deep link; no Telegram link without it. */
  TELEGRAM_BOT_USERNAME: z
    .string()
    .regex(/^[A-Za-z][A-Za-z0-9_]{3,31}$/, 'must be a Telegram bot username without @')
    .optional(),
  /** Our WhatsApp number, E.164, for the wa.me deep link; no WhatsApp link without it. */
  WHATSAPP_NUMBER: z
    .string()
    .regex(/^\+[1-9]\d{6,14}$/, 'must be an E.164 number, e.g. +390212345678')
    .optional(),
  /**
   * How long a phone link proven by the bank's verified phone stays confirmed before the next
   * message from it asks core banking again whether the number is still that customer's (ported,
   * recycled). 0: every message. The bank's phone_changed event revokes at once either way.
   */
  IDENTITY_RECHECK_MS: ms(0, 300_000),
  /** How long a strong login in the app (biometrics, SCA) counts, in the app only. */
  ASSURANCE_STRONG_TTL_MS: ms(1000, 600_000),
  /** How long an app session counts on every channel. */
  ASSURANCE_APP_SESSION_TTL_MS: ms(1000, 1_800_000),
  /** How long a step-up request waits for the customer's answer, and an approval stays usable (once). */
  STEP_UP_TTL_MS: ms(1000, 300_000),
  /** An approving app login must be at most this old (auth_time). */
  STEP_UP_MAX_AUTH_AGE_MS: ms(1000, 300_000),
};
