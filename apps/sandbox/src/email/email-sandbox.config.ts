import { z } from 'zod';

/** Keys of the email stand-in (an SMTP sink for our outbound mail, a sender of customers' mail). */
export const EmailSandboxEnv = z.object({
  /**
   * Port of the SMTP sink the email gateway sends to (its EMAIL_OUT_PORT). 0 (default): a free
   * port, shown at GET /sandbox/email/status, so sandboxes of parallel tests never collide;
   * `npm start` sets 2526.
   */
  SANDBOX_SMTP_PORT: z.coerce.number().int().min(0).max(65535).default(0),
  /** Where injected customer mail is delivered: the gateway's SMTP listener. */
  SANDBOX_EMAIL_GATEWAY_SMTP: z
    .url({ protocol: /^smtp$/, error: 'must be smtp://host:port' })
    .default('smtp://127.0.0.1:2525'),
  /** PEM private key the sandbox DKIM-signs injected mail with (when the request asks to sign). */
  SANDBOX_EMAIL_DKIM_PRIVATE_KEY: z.string().min(1).optional(),
  SANDBOX_EMAIL_DKIM_SELECTOR: z.string().min(1).default('s1'),
});
export type EmailSandboxConfig = z.infer<typeof EmailSandboxEnv>;

export const EMAIL_SANDBOX_CONFIG = Symbol('EMAIL_SANDBOX_CONFIG');
