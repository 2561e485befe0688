import { z } from 'zod';
import { CommonEnv } from '@omnigate/kit';
import { CoreBankingSandboxEnv } from '../core-banking/core-banking.config';
import { EmailSandboxEnv } from '../email/email-sandbox.config';
import { OidcSandboxEnv } from './oidc-sandbox.config';
import { SimulatorSandboxEnv } from './simulator.config';
import { WhatsAppSandboxEnv } from './whatsapp-sandbox.config';

const ACCOUNT_SID = /^AC[0-9a-f]{32}$/;

/**
 * The sandbox's environment (the Twilio stand-in's keys here, the core-banking stand-in's from its
 * own schema). It needs neither NATS nor a database: its state lives in memory and is reset with
 * `POST /sandbox/twilio/reset`. The defaults are test credentials, never real ones.
 */
export const SandboxEnv = CommonEnv.extend({
  ...CoreBankingSandboxEnv.shape,
  ...EmailSandboxEnv.shape,
  ...WhatsAppSandboxEnv.shape,
  ...OidcSandboxEnv.shape,
  ...SimulatorSandboxEnv.shape,
  SANDBOX_PORT: z.coerce.number().int().min(0).max(65535).default(3100),
  /** The account the fake Twilio accepts (HTTP Basic user), `AC` + 32 hex digits like a real one. */
  SANDBOX_TWILIO_ACCOUNT_SID: z
    .string()
    .regex(ACCOUNT_SID, 'must be AC followed by 32 lowercase hex digits')
    .default('AC00000000000000000000000000000000'),
  /** Its auth token: HTTP Basic password, and the key of every webhook signature the sandbox sends. */
  SANDBOX_TWILIO_AUTH_TOKEN: z
    .string()
    .min(8, 'must be at least 8 characters')
    .default('sandbox-twilio-auth-token'),
  /** Where injected inbound SMS are POSTed (the number's "A message comes in" webhook). */
  SANDBOX_TWILIO_WEBHOOK_URL: z
    .url({ protocol: /^https?$/, error: 'must be an http(s) URL' })
    .default('http://127.0.0.1:3001/webhooks/twilio/sms'),
  /** Pause between two status callbacks of one message (queued → sent → delivered), ms. */
  SANDBOX_TWILIO_STATUS_DELAY_MS: z.coerce.number().int().min(0).max(60_000).default(50),
  /** How long a webhook POST may take before the sandbox gives up, like Twilio's 15 s. */
  SANDBOX_TWILIO_WEBHOOK_TIMEOUT_MS: z.coerce.number().int().min(100).max(60_000).default(15_000),
  /** The sender the sandbox picks for messages sent through a Messaging Service (no From). */
  SANDBOX_TWILIO_SERVICE_NUMBER: z.string().min(3).default('+15017122661'),
  /** Comma-separated recipients whose messages end `undelivered` with error 30003 (demo scripts). */
  SANDBOX_TWILIO_FAILING_NUMBERS: z
    .string()
    .default('')
    .transform((v) =>
      v
        .split(',')
        .map((s) => s.trim())
        .filter((s) => s.length > 0),
    ),
  /** The bot token the Telegram Bot API stand-in accepts (`/bot<token>/...`); others get 401. */
  SANDBOX_TELEGRAM_BOT_TOKEN: z
    .string()
    .regex(/^\d{1,20}:[A-Za-z0-9_-]{20,}$/, 'must look like a BotFather token: <digits>:<secret>')
    .default('123456789:sandbox-telegram-bot-token-000000000'),
  /** How long a webhook POST of an update may take before the sandbox gives up. */
  SANDBOX_TELEGRAM_WEBHOOK_TIMEOUT_MS: z.coerce.number().int().min(100).max(60_000).default(15_000),
});
export type SandboxConfig = z.infer<typeof SandboxEnv>;

export const SANDBOX_CONFIG = Symbol('SANDBOX_CONFIG');
