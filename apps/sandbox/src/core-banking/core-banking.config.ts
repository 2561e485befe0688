import { z } from 'zod';

/** Comma-separated delays in ms, e.g. "250,1000,4000". */
const msList = z
  .string()
  .regex(/^\d+(,\d+)*$/, 'must be comma-separated milliseconds, e.g. 250,1000')
  .transform((s) => s.split(',').map(Number));

/** Keys of the core-banking stand-in; the sandbox's own schema can extend with these. */
export const CoreBankingSandboxEnv = z.object({
  /** Bearer key the stand-in expects (the router's CORE_BANKING_API_KEY must match). */
  CORE_BANKING_API_KEY: z.string().min(8).default('sandbox-core-key'),
  /** Where core events are POSTed as signed webhooks (the router's /core-banking/events); unset: kept only. */
  SANDBOX_CORE_EVENTS_URL: z
    .url({ protocol: /^https?$/, error: 'must be an http(s) URL' })
    .optional(),
  /** HMAC key of X-Core-Signature (the router's CORE_BANKING_EVENTS_SECRET must match). */
  SANDBOX_CORE_EVENTS_SECRET: z
    .string()
    .min(16, 'must be at least 16 characters')
    .default('sandbox-core-events-secret'),
  /** Delays before the 2nd, 3rd, … delivery attempt of an event answered non-2xx. */
  SANDBOX_CORE_EVENTS_RETRY_MS: msList.default([250, 1000, 4000]),
});
export type CoreBankingSandboxEnv = z.infer<typeof CoreBankingSandboxEnv>;

export interface CoreBankingSandboxOptions {
  apiKey: string;
  /** Webhook target of core events; undefined: events are only listed at _control/events. */
  eventsUrl?: string;
  eventsSecret: string;
  eventsRetryMs: number[];
}

export const CORE_BANKING_OPTIONS = Symbol('CORE_BANKING_OPTIONS');

export function coreBankingOptionsFrom(
  env: Record<string, string | undefined>,
): CoreBankingSandboxOptions {
  const c = CoreBankingSandboxEnv.parse(env);
  return {
    apiKey: c.CORE_BANKING_API_KEY,
    eventsUrl: c.SANDBOX_CORE_EVENTS_URL,
    eventsSecret: c.SANDBOX_CORE_EVENTS_SECRET,
    eventsRetryMs: c.SANDBOX_CORE_EVENTS_RETRY_MS,
  };
}
