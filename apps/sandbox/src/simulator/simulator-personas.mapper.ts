import type { SeedCustomer } from '../core-banking/core-banking.seed';

export const SIMULATOR_CHANNELS = ['sms', 'whatsapp', 'telegram', 'email', 'inapp'] as const;
export type SimulatorChannel = (typeof SIMULATOR_CHANNELS)[number];

/** A seeded customer as the simulator plays them: their address on every channel. */
export interface Persona {
  id: string;
  name: string;
  language: 'it' | 'en';
  addresses: Partial<Record<SimulatorChannel, string>>;
}

/**
 * Telegram user ids are not in core banking (Telegram assigns them): fixed ones per seeded
 * customer, Giulia's being the one the e2e tests and `npm start`'s hints use.
 */
const TELEGRAM_BASE_ID = 81_234_567;

/** Seed customers → personas, in seed order. Pure. */
export function personasOf(customers: readonly SeedCustomer[]): Persona[] {
  return customers.map((c, i) => ({
    id: c.id,
    name: c.fullName,
    language: c.language,
    addresses: {
      sms: c.phone,
      whatsapp: c.phone,
      telegram: String(TELEGRAM_BASE_ID + i),
      ...(c.email ? { email: c.email } : {}),
      ...(c.appUserId ? { inapp: c.appUserId } : {}),
    },
  }));
}

/** What a valid address looks like on each channel; the reason when it does not. */
export function addressProblem(channel: SimulatorChannel, address: string): string | null {
  switch (channel) {
    case 'sms':
    case 'whatsapp':
      return /^\+[1-9]\d{6,14}$/.test(address) ? null : 'must be an E.164 phone number (+39...)';
    case 'telegram':
      return /^[1-9]\d{0,15}$/.test(address) ? null : 'must be a Telegram user id (digits)';
    case 'email':
      return /^[^\s@<>]+@[^\s@<>]+\.[^\s@<>]+$/.test(address) ? null : 'must be an email address';
    case 'inapp':
      // The app user id becomes the JWT sub: printable, at most 128 characters (gateway rule).
      return /^[\x21-\x7e]{1,128}$/.test(address) ? null : 'must be an app user id (1-128 chars)';
  }
}

export function isChannel(v: unknown): v is SimulatorChannel {
  return typeof v === 'string' && (SIMULATOR_CHANNELS as readonly string[]).includes(v);
}
