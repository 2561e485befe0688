import { isSupportedCountry } from 'libphonenumber-js/max';
import { z } from 'zod';
import { GatewayEnv, publicUrlOf, sendLoopEnv } from '@omnigate/gateway-kit';
import { refuseSandboxInProduction } from '@omnigate/kit';

const httpUrl = z.url({ protocol: /^https?$/, error: 'must be an http(s) URL' });

/**
 * The SMS gateway's environment. Twilio credentials are required (the gateway has no other
 * provider); exactly one sender: a number (TWILIO_FROM_NUMBER) or a Messaging Service.
 */
export const GatewaySmsEnv = GatewayEnv.extend({
  SMS_GATEWAY_PORT: z.coerce.number().int().min(0).max(65535).default(3001),
  TWILIO_ACCOUNT_SID: z
    .string()
    .regex(/^AC[0-9a-f]{32}$/, 'must be AC followed by 32 lowercase hex digits'),
  TWILIO_AUTH_TOKEN: z.string().min(8, 'must be at least 8 characters'),
  /** Our sender: an E.164 number or a short code. */
  TWILIO_FROM_NUMBER: z
    .string()
    .regex(/^(\+[1-9]\d{6,14}|\d{3,8})$/, 'must be an E.164 number (+39...) or a short code')
    .optional(),
  TWILIO_MESSAGING_SERVICE_SID: z
    .string()
    .regex(/^MG[0-9a-f]{32}$/, 'must be MG followed by 32 hex digits')
    .optional(),
  /**
   * The public base URL Twilio calls (what it signs): webhooks are verified against it plus the
   * request path, and status callbacks are built from it. Default: http://HOST:SMS_GATEWAY_PORT.
   */
  SMS_PUBLIC_URL: httpUrl.optional(),
  /** Points the twilio SDK at another API host (the sandbox); unset = api.twilio.com. */
  TWILIO_API_BASE: httpUrl.optional(),
  TWILIO_TIMEOUT_MS: z.coerce.number().int().min(100).max(120_000).default(10_000),
  /** Region assumed for numbers written without an international prefix (ISO 3166 alpha-2). */
  SMS_DEFAULT_REGION: z
    .string()
    .trim()
    .toUpperCase()
    .refine((v) => isSupportedCountry(v), 'must be a supported ISO 3166-1 alpha-2 region, e.g. IT')
    .default('IT'),
  /** SMS_SEND_CONCURRENCY, SMS_SEND_MAX_ATTEMPTS, SMS_SEND_BACKOFF_MS (libs/gateway-kit). */
  ...sendLoopEnv('SMS'),
})
  .superRefine((env, ctx) => {
    const senders = [env.TWILIO_FROM_NUMBER, env.TWILIO_MESSAGING_SERVICE_SID].filter(
      (v) => v !== undefined,
    ).length;
    if (senders !== 1) {
      ctx.addIssue({
        code: 'custom',
        path: ['TWILIO_FROM_NUMBER'],
        message: `set exactly one of TWILIO_FROM_NUMBER or TWILIO_MESSAGING_SERVICE_SID; ${senders === 0 ? 'neither is set' : 'both are set'}`,
      });
    }
  })
  .superRefine(
    refuseSandboxInProduction({
      providerUrls: ['TWILIO_API_BASE', 'SMS_PUBLIC_URL'],
      required: { SMS_PUBLIC_URL: 'the URL Twilio calls and signs' },
    }),
    { when: () => true },
  )
  .transform((env) => ({
    ...env,
    SMS_PUBLIC_URL: publicUrlOf(env.SMS_PUBLIC_URL, env.HOST, env.SMS_GATEWAY_PORT),
  }));
export type GatewaySmsConfig = z.infer<typeof GatewaySmsEnv>;

export const SMS_CONFIG = Symbol('SMS_CONFIG');
