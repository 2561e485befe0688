import { z } from 'zod';
import { HpkeSealer } from '@omnigate/crypto';
import { AppEnv } from '@omnigate/kit';

/**
 * An HPKE public key setting, `<kid>:<base64url of 32 bytes>`, checked at start; the error says
 * what is wrong without echoing the value. Gateways seal to such keys and hold no private half.
 */
export const publicKeySetting = (what: string) =>
  z.string().superRefine((v, ctx) => {
    try {
      HpkeSealer.fromConfig(v, what);
    } catch (e) {
      ctx.addIssue({ code: 'custom', message: (e as Error).message });
    }
  });

/**
 * What every gateway reads besides its provider's keys: the bus, the HTTP edge, and the vault's
 * PUBLIC key. No database, no data key, nothing that can open a card reference.
 */
export const GatewayEnv = AppEnv.extend({
  /** Every card number found at this edge is sealed to it (HPKE); only the vault can open it. */
  VAULT_PUBLIC_KEY: publicKeySetting('VAULT_PUBLIC_KEY'),
});
export type GatewayEnv = z.infer<typeof GatewayEnv>;

/**
 * What an edge must never be given (issue 12): a database, a data key, a key that turns a card
 * reference back into a number. Launchers strip these from a gateway's environment; tests check.
 */
export const EDGE_FORBIDDEN_ENV = [
  'DATABASE_URL',
  'DATA_DIR',
  'DATA_KEKS',
  'DATA_INDEX_KEY',
  'PAN_TOKEN_KEY',
  'VAULT_PRIVATE_KEYS',
  'VAULT_TOKEN_KEY',
  'ROUTER_INTAKE_PRIVATE_KEYS',
] as const;

/** A copy of `env` without what an edge must not hold. */
export function edgeEnvOf(env: NodeJS.ProcessEnv): NodeJS.ProcessEnv {
  const out = { ...env };
  for (const key of EDGE_FORBIDDEN_ENV) delete out[key];
  return out;
}

/** Comma-separated milliseconds (`1000,5000,15000`) as a list of numbers. */
export const millisList = (fallback: string) =>
  z
    .string()
    .regex(/^\d+(\s*,\s*\d+)*$/, 'must be comma-separated milliseconds, e.g. 1000,5000,15000')
    .default(fallback)
    .transform((v) => v.split(',').map((s) => Number(s.trim())));

const concurrency = (fallback: number) => z.coerce.number().int().min(1).max(256).default(fallback);
const maxAttempts = z.coerce.number().int().min(1).max(100).default(8);
const backoff = millisList('1000,5000,15000,30000,60000');

type SendKeys<P extends string> = Record<`${P}_SEND_CONCURRENCY`, ReturnType<typeof concurrency>> &
  Record<`${P}_SEND_MAX_ATTEMPTS`, typeof maxAttempts> &
  Record<`${P}_SEND_BACKOFF_MS`, typeof backoff>;

/**
 * The send loop's keys under the gateway's prefix: `<P>_SEND_CONCURRENCY` (sends in flight, in
 * order per conversation; default 8 unless the provider wants fewer), `<P>_SEND_MAX_ATTEMPTS`
 * (deliveries before the dead-letter subject) and `<P>_SEND_BACKOFF_MS` (retry delays after a
 * transient failure).
 */
export function sendLoopEnv<P extends string>(
  prefix: P,
  defaults: { concurrency?: number } = {},
): SendKeys<P> {
  return {
    [`${prefix}_SEND_CONCURRENCY`]: concurrency(defaults.concurrency ?? 8),
    [`${prefix}_SEND_MAX_ATTEMPTS`]: maxAttempts,
    [`${prefix}_SEND_BACKOFF_MS`]: backoff,
  } as SendKeys<P>;
}

export interface SendLoopSettings {
  concurrency: number;
  maxAttempts: number;
  backoffMs: number[];
}

/** The send loop's settings from a config parsed with `sendLoopEnv(prefix)`. */
export function sendLoopSettings<P extends string>(
  config: Record<`${P}_SEND_CONCURRENCY` | `${P}_SEND_MAX_ATTEMPTS`, number> &
    Record<`${P}_SEND_BACKOFF_MS`, number[]>,
  prefix: P,
): SendLoopSettings {
  // The signature checks the keys; TypeScript cannot index a mapped template type generically.
  const c = config as unknown as Record<string, never>;
  return {
    concurrency: c[`${prefix}_SEND_CONCURRENCY`]!,
    maxAttempts: c[`${prefix}_SEND_MAX_ATTEMPTS`]!,
    backoffMs: c[`${prefix}_SEND_BACKOFF_MS`]!,
  };
}

/** The public base URL a provider calls: the configured one, else http://HOST:PORT; no trailing '/'. */
export function publicUrlOf(configured: string | undefined, host: string, port: number): string {
  return (configured ?? `http://${host}:${port}`).replace(/\/+$/, '');
}
