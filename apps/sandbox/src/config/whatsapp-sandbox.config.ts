import { z } from 'zod';

/**
 * The WhatsApp Cloud API stand-in's keys (spread into SandboxEnv). The defaults are test values,
 * never real ones.
 */
export const WhatsAppSandboxEnv = z.object({
  /** The system-user token the fake Graph API accepts (Authorization: Bearer ...). */
  SANDBOX_WHATSAPP_ACCESS_TOKEN: z.string().min(8).default('sandbox-whatsapp-access-token'),
  /** The Meta app secret: key of X-Hub-Signature-256 on every webhook the sandbox sends. */
  SANDBOX_WHATSAPP_APP_SECRET: z.string().min(8).default('sandbox-whatsapp-app-secret'),
  /** Our business number's id at the fake Cloud API. */
  SANDBOX_WHATSAPP_PHONE_NUMBER_ID: z
    .string()
    .regex(/^\d{5,20}$/, 'must be digits')
    .default('106540352242922'),
  /** Our business number as customers see it. */
  SANDBOX_WHATSAPP_DISPLAY_NUMBER: z
    .string()
    .regex(/^\+[1-9]\d{6,14}$/, 'must be E.164')
    .default('+390212345678'),
  /** The app's webhook (the gateway): customer messages and statuses are POSTed there, signed. */
  SANDBOX_WHATSAPP_WEBHOOK_URL: z
    .url({ protocol: /^https?$/, error: 'must be an http(s) URL' })
    .default('http://127.0.0.1:3005/webhooks/whatsapp'),
  /** Pause before each status webhook of one message (sent → delivered → read), ms. */
  SANDBOX_WHATSAPP_STATUS_DELAY_MS: z.coerce.number().int().min(0).max(60_000).default(50),
});
