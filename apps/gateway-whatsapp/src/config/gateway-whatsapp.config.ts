import { z } from 'zod';
import { GatewayEnv, publicUrlOf, sendLoopEnv } from '@omnigate/gateway-kit';
import { productionProblems } from '@omnigate/kit';
import type { ProductionRules } from '@omnigate/kit';

const httpUrl = z.url({ protocol: /^https?$/, error: 'must be an http(s) URL' });
const E164 = /^\+[1-9]\d{6,14}$/;

/**
 * The WhatsApp gateway's environment. One provider at a time (WHATSAPP_PROVIDER); the keys of
 * that provider are required, the others ignored:
 * - cloud: Meta's WhatsApp Cloud API (Graph send endpoint, signed webhooks, verify token);
 * - twilio: WhatsApp through Twilio's Messages API (whatsapp:+E164 addresses);
 * - webjs: a linked device driven by whatsapp-web.js (best effort, never the only path).
 */
export const GatewayWhatsAppEnv = GatewayEnv.extend({
  WHATSAPP_GATEWAY_PORT: z.coerce.number().int().min(0).max(65535).default(3005),
  WHATSAPP_PROVIDER: z.enum(['cloud', 'twilio', 'webjs']).default('cloud'),
  /**
   * The public base URL providers call: Twilio signs it (webhooks verified against it plus the
   * path) and its status callbacks are built from it. Default: http://HOST:WHATSAPP_GATEWAY_PORT.
   */
  WHATSAPP_PUBLIC_URL: httpUrl.optional(),
  /** The 24-hour customer-service window (cloud, twilio): free text only this long after the customer's last message. */
  WHATSAPP_WINDOW_HOURS: z.coerce.number().min(1).max(24).default(24),
  /** WHATSAPP_SEND_CONCURRENCY, _MAX_ATTEMPTS, _BACKOFF_MS (libs/gateway-kit). */
  ...sendLoopEnv('WHATSAPP'),
  WHATSAPP_TIMEOUT_MS: z.coerce.number().int().min(100).max(120_000).default(10_000),

  // --- cloud (Meta WhatsApp Cloud API)
  /** Graph API host; the sandbox in dev and tests. */
  WHATSAPP_GRAPH_BASE: httpUrl.default('https://graph.facebook.com'),
  WHATSAPP_GRAPH_VERSION: z
    .string()
    .regex(/^v\d+\.\d+$/, 'must look like v21.0')
    .default('v21.0'),
  WHATSAPP_PHONE_NUMBER_ID: z
    .string()
    .regex(/^\d{5,20}$/, 'must be digits')
    .optional(),
  /** A system-user access token with whatsapp_business_messaging. */
  WHATSAPP_ACCESS_TOKEN: z.string().min(8, 'must be at least 8 characters').optional(),
  /** The Meta app secret: key of X-Hub-Signature-256 on every webhook. */
  WHATSAPP_APP_SECRET: z.string().min(8, 'must be at least 8 characters').optional(),
  /** What we typed as "Verify token" in the app's webhook settings. */
  WHATSAPP_VERIFY_TOKEN: z.string().min(8, 'must be at least 8 characters').optional(),

  // --- twilio (WhatsApp through Twilio)
  TWILIO_ACCOUNT_SID: z
    .string()
    .regex(/^AC[0-9a-f]{32}$/, 'must be AC followed by 32 lowercase hex digits')
    .optional(),
  TWILIO_AUTH_TOKEN: z.string().min(8, 'must be at least 8 characters').optional(),
  /** Our WhatsApp sender, E.164 (sent as whatsapp:+...). */
  TWILIO_WHATSAPP_FROM: z.string().regex(E164, 'must be an E.164 number (+39...)').optional(),
  TWILIO_API_BASE: httpUrl.optional(),

  // --- webjs (whatsapp-web.js linked device)
  WHATSAPP_WEBJS_CLIENT_ID: z
    .string()
    .regex(/^[A-Za-z0-9_-]{1,64}$/, 'must be letters, digits, - or _')
    .default('omnigate'),
  /** Session folder (LocalAuth dataPath): the linked device's login, this gateway's own state. */
  WHATSAPP_WEBJS_DATA_PATH: z.string().min(1).default('.data/wwebjs_auth'),
  WHATSAPP_WEBJS_CHROMIUM_PATH: z.string().min(1).default('/usr/bin/chromium'),
  /** Link with an 8-character pairing code for this number instead of a QR scan. */
  WHATSAPP_WEBJS_PAIRING_NUMBER: z
    .string()
    .regex(E164, 'must be an E.164 number (+39...)')
    .optional(),
  /** Delays before reconnecting after a disconnect, ms, comma-separated (the last repeats). */
  WHATSAPP_WEBJS_RECONNECT_MS: z
    .string()
    .regex(/^\d+(\s*,\s*\d+)*$/, 'must be comma-separated milliseconds')
    .default('2000,5000,15000,60000')
    .transform((v) => v.split(',').map((s) => Number(s.trim()))),
})
  .superRefine((env, ctx) => {
    const need = (keys: Array<keyof typeof env>) => {
      for (const key of keys) {
        if (env[key] === undefined) {
          ctx.addIssue({
            code: 'custom',
            path: [key],
            message: `is required when WHATSAPP_PROVIDER=${env.WHATSAPP_PROVIDER}`,
          });
        }
      }
    };
    if (env.WHATSAPP_PROVIDER === 'cloud') {
      need([
        'WHATSAPP_PHONE_NUMBER_ID',
        'WHATSAPP_ACCESS_TOKEN',
        'WHATSAPP_APP_SECRET',
        'WHATSAPP_VERIFY_TOKEN',
      ]);
    }
    if (env.WHATSAPP_PROVIDER === 'twilio') {
      need(['TWILIO_ACCOUNT_SID', 'TWILIO_AUTH_TOKEN', 'TWILIO_WHATSAPP_FROM']);
    }
    const twilio = env.WHATSAPP_PROVIDER === 'twilio';
    const rules: ProductionRules = {
      providerUrls: ['WHATSAPP_GRAPH_BASE', 'TWILIO_API_BASE', 'WHATSAPP_PUBLIC_URL'],
      // Twilio signs the public URL of every webhook; Meta's webhooks are signed by body only.
      required: twilio ? { WHATSAPP_PUBLIC_URL: 'the URL Twilio calls and signs' } : {},
    };
    for (const p of productionProblems(env, rules)) {
      ctx.addIssue({ code: 'custom', path: [p.key], message: p.message });
    }
  })
  .transform((env) => ({
    ...env,
    WHATSAPP_PUBLIC_URL: publicUrlOf(env.WHATSAPP_PUBLIC_URL, env.HOST, env.WHATSAPP_GATEWAY_PORT),
    WHATSAPP_GRAPH_BASE: env.WHATSAPP_GRAPH_BASE.replace(/\/+$/, ''),
  }));
export type GatewayWhatsAppConfig = z.infer<typeof GatewayWhatsAppEnv>;

export const WHATSAPP_CONFIG = Symbol('WHATSAPP_CONFIG');
