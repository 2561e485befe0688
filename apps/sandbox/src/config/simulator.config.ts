import { z } from 'zod';

/**
 * The customer simulator's keys (spread into SandboxEnv). All optional: a channel whose key is
 * missing answers 503 SIMULATOR.CHANNEL_NOT_CONFIGURED naming it. WhatsApp and Telegram need none
 * of their own: they go through their stand-ins' webhook settings (SANDBOX_WHATSAPP_*, the bot's
 * setWebhook or getUpdates).
 */
export const SimulatorSandboxEnv = z.object({
  /** Our number the customer texts (the To of the Twilio webhook): the SMS gateway's number. */
  SANDBOX_SIMULATOR_SMS_TO: z
    .string()
    .regex(/^\+[1-9]\d{6,14}$/, 'must be E.164 (+ and digits)')
    .optional(),
  /** Our address the customer writes to (delivered to SANDBOX_EMAIL_GATEWAY_SMTP). */
  SANDBOX_SIMULATOR_EMAIL_TO: z.email({ error: 'must be an email address' }).optional(),
  /** The in-app gateway's socket.io URL (the bank app connects there). */
  SANDBOX_SIMULATOR_INAPP_URL: z
    .url({ protocol: /^https?$/, error: 'must be an http(s) URL' })
    .optional(),
  /** The HS256 secret the in-app gateway checks app login JWTs with (its INAPP_JWT_SECRET). */
  SANDBOX_SIMULATOR_INAPP_JWT_SECRET: z
    .string()
    .min(32, 'must be at least 32 characters (like INAPP_JWT_SECRET)')
    .optional(),
});
export type SimulatorSandboxConfig = z.infer<typeof SimulatorSandboxEnv>;
