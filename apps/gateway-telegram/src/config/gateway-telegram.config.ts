import { z } from 'zod';
import { GatewayEnv, publicUrlOf, sendLoopEnv } from '@omnigate/gateway-kit';
import { productionProblems } from '@omnigate/kit';
import type { ProductionRules } from '@omnigate/kit';

const httpUrl = z.url({ protocol: /^https?$/, error: 'must be an http(s) URL' });

/**
 * The Telegram gateway's environment. Webhook mode (production) needs the secret Telegram echoes
 * in X-Telegram-Bot-Api-Secret-Token; polling mode (a developer without a public URL) does not.
 */
export const GatewayTelegramEnv = GatewayEnv.extend({
  TELEGRAM_GATEWAY_PORT: z.coerce.number().int().min(0).max(65535).default(3004),
  /** BotFather's token, `<bot id>:<secret>`. */
  TELEGRAM_BOT_TOKEN: z
    .string()
    .regex(/^\d{1,20}:[A-Za-z0-9_-]{20,}$/, 'must be a BotFather token: <digits>:<35 characters>'),
  TELEGRAM_MODE: z.enum(['webhook', 'polling']).default('webhook'),
  /** Telegram allows 1-256 of [A-Za-z0-9_-]; we ask for 16 at least. */
  TELEGRAM_WEBHOOK_SECRET: z
    .string()
    .regex(/^[A-Za-z0-9_-]{16,256}$/, 'must be 16-256 characters of A-Z a-z 0-9 _ -')
    .optional(),
  /** The public base URL Telegram POSTs updates to (+ /webhooks/telegram). Default http://HOST:PORT. */
  TELEGRAM_PUBLIC_URL: httpUrl.optional(),
  /** Points telegraf at another Bot API server (the sandbox); unset = https://api.telegram.org. */
  TELEGRAM_API_ROOT: httpUrl.optional(),
  /** Long-poll timeout of getUpdates in polling mode, seconds. */
  TELEGRAM_POLL_TIMEOUT_S: z.coerce.number().int().min(0).max(50).default(30),
  /** On /start, answer with a button that shares the customer's own contact (identity link). */
  TELEGRAM_ASK_CONTACT: z
    .enum(['true', 'false'])
    .default('true')
    .transform((v) => v === 'true'),
  /** TELEGRAM_SEND_CONCURRENCY, _MAX_ATTEMPTS, _BACKOFF_MS (libs/gateway-kit); a 429 waits retry_after. */
  ...sendLoopEnv('TELEGRAM'),
})
  .superRefine((env, ctx) => {
    if (env.TELEGRAM_MODE === 'webhook' && env.TELEGRAM_WEBHOOK_SECRET === undefined) {
      ctx.addIssue({
        code: 'custom',
        path: ['TELEGRAM_WEBHOOK_SECRET'],
        message: 'required in webhook mode (TELEGRAM_MODE=webhook)',
      });
    }
    const webhook = env.TELEGRAM_MODE === 'webhook';
    const rules: ProductionRules = {
      providerUrls: ['TELEGRAM_API_ROOT', 'TELEGRAM_PUBLIC_URL'],
      required: webhook ? { TELEGRAM_PUBLIC_URL: 'the URL Telegram posts updates to' } : {},
    };
    for (const p of productionProblems(env, rules)) {
      ctx.addIssue({ code: 'custom', path: [p.key], message: p.message });
    }
  })
  .transform((env) => ({
    ...env,
    TELEGRAM_PUBLIC_URL: publicUrlOf(env.TELEGRAM_PUBLIC_URL, env.HOST, env.TELEGRAM_GATEWAY_PORT),
  }));
export type GatewayTelegramConfig = z.infer<typeof GatewayTelegramEnv>;

export const TELEGRAM_CONFIG = Symbol('TELEGRAM_CONFIG');

/** Where Telegram POSTs updates, below TELEGRAM_PUBLIC_URL. */
export const WEBHOOK_PATH = '/webhooks/telegram';
