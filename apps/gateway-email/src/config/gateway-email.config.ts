import { isIP } from 'node:net';
import { z } from 'zod';
import { GatewayEnv, publicKeySetting, sendLoopEnv } from '@omnigate/gateway-kit';
import { productionProblems } from '@omnigate/kit';

const port = z.coerce.number().int().min(0).max(65535);
const list = (v: string) =>
  v
    .split(',')
    .map((s) => s.trim().toLowerCase())
    .filter((s) => s.length > 0);
const bool = z
  .enum(['true', 'false', '1', '0', 'yes', 'no'])
  .transform((v) => ['true', '1', 'yes'].includes(v));

/** TXT records served instead of DNS (tests, offline demo): `{ "<name>": ["<record>", ...] }`. */
const DnsStatic = z.string().transform((v, ctx) => {
  try {
    return z.record(z.string(), z.array(z.string())).parse(JSON.parse(v));
  } catch {
    ctx.addIssue({ code: 'custom', message: 'must be JSON: {"name": ["TXT record", ...]}' });
    return z.NEVER;
  }
});

const DAY_MS = 86_400_000;
const maxAge = (days: number) =>
  z.coerce
    .number()
    .int()
    .min(60_000)
    .default(days * DAY_MS);

/** The sandbox's SMTP sink (loopback, no TLS) and static DNS are development only. */
const EMAIL_PRODUCTION_RULES = {
  providerHosts: ['EMAIL_OUT_HOST', 'EMAIL_IMAP_HOST'],
  forbidden: {
    EMAIL_DNS_STATIC: 'SPF, DKIM and DMARC must be looked up in the real DNS',
  },
};

/**
 * The email gateway's environment. Inbound by SMTP (we are the MX) or by IMAP (a mailbox we poll);
 * outbound always by SMTP submission (nodemailer). IMAP keys are required only with
 * EMAIL_INBOUND=imap. An edge (GatewayEnv): no database, no data key; its state is in NATS (KV,
 * object store) and it holds public keys only (the vault's, the router's intake).
 */
export const GatewayEmailEnv = GatewayEnv.extend({
  EMAIL_GATEWAY_PORT: port.default(3006),
  /** Attachments and quarantined mail are sealed to the router with this key (HPKE). */
  ROUTER_INTAKE_PUBLIC_KEY: publicKeySetting('ROUTER_INTAKE_PUBLIC_KEY'),
  /** How long Message-IDs are remembered for threading and bounces (KV bucket max_age). */
  EMAIL_THREAD_MAX_AGE_MS: maxAge(180),
  /** How long a sealed attachment waits for the router in the object store. */
  EMAIL_ATTACHMENT_MAX_AGE_MS: maxAge(7),
  /** How long a quarantined mail waits for an operator in the object store. */
  EMAIL_QUARANTINE_MAX_AGE_MS: maxAge(30),
  EMAIL_INBOUND: z.enum(['smtp', 'imap']).default('smtp'),
  /** Our mail domains (comma-separated): RCPT TO outside them is refused (no open relay). */
  EMAIL_DOMAINS: z
    .string()
    .min(1)
    .transform(list)
    .refine((d) => d.length > 0, 'give at least one domain'),
  /** Our support address (From of our replies); its local part is the plus-address base. */
  EMAIL_FROM: z.email({ error: 'must be an email address, e.g. support@bank.example' }),
  EMAIL_FROM_NAME: z.string().max(100).default('Assistenza clienti / Customer support'),
  // SMTP listener (EMAIL_INBOUND=smtp)
  EMAIL_SMTP_PORT: port.default(2525),
  EMAIL_SMTP_HOST: z.string().min(1).optional(),
  /** STARTTLS on the listener: PEM key and certificate files (both, or neither: plaintext). */
  EMAIL_SMTP_TLS_KEY_FILE: z.string().min(1).optional(),
  EMAIL_SMTP_TLS_CERT_FILE: z.string().min(1).optional(),
  /**
   * The TCP load balancers speaking the PROXY protocol (HAProxy, AWS NLB) in front of the listener:
   * their IP addresses, comma-separated. Only a connection from one of them may start with a PROXY
   * header (the real client's IP, for SPF and the per-address limits); from any other peer the
   * header is an unknown command and the peer's own address counts.
   */
  EMAIL_SMTP_PROXIES: z
    .string()
    .default('')
    .transform((v, ctx) => {
      const ips = list(v);
      for (const ip of ips.filter((a) => isIP(a) === 0)) {
        ctx.addIssue({ code: 'custom', message: `"${ip}" is not an IP address` });
      }
      return ips;
    }),
  /** Replaced by EMAIL_SMTP_PROXIES: `true` believed a PROXY header from every peer. */
  EMAIL_SMTP_USE_PROXY: bool.optional(),
  /** Connections at once: over it, 421 (smtp-server maxClients). */
  EMAIL_SMTP_MAX_CLIENTS: z.coerce.number().int().min(1).max(100_000).default(200),
  /** Connections at once from one client address: over it, 421 and the connection closes. */
  EMAIL_SMTP_MAX_CONNECTIONS_PER_IP: z.coerce.number().int().min(1).max(10_000).default(10),
  /** Mail transactions (MAIL FROM) per minute from one client address: over it, 450 (retry later). */
  EMAIL_SMTP_MESSAGES_PER_MINUTE_PER_IP: z.coerce.number().int().min(1).max(1_000_000).default(60),
  /** Largest message the listener accepts (SIZE), bytes. */
  EMAIL_MAX_MESSAGE_BYTES: z.coerce
    .number()
    .int()
    .min(1024)
    .default(30 * 1024 * 1024),
  // IMAP mailbox (EMAIL_INBOUND=imap)
  EMAIL_IMAP_HOST: z.string().min(1).optional(),
  EMAIL_IMAP_PORT: port.default(993),
  EMAIL_IMAP_SECURE: bool.default(true),
  EMAIL_IMAP_USER: z.string().min(1).optional(),
  EMAIL_IMAP_PASS: z.string().min(1).optional(),
  EMAIL_IMAP_MAILBOX: z.string().min(1).default('INBOX'),
  /** Poll interval besides IDLE (servers without IDLE, missed notifications), ms. */
  EMAIL_IMAP_POLL_MS: z.coerce.number().int().min(200).default(30_000),
  // Outbound SMTP (nodemailer)
  EMAIL_OUT_HOST: z.string().min(1).default('127.0.0.1'),
  EMAIL_OUT_PORT: port.default(587),
  /** true: implicit TLS (465); false: STARTTLS, required unless EMAIL_OUT_REQUIRE_TLS=false. */
  EMAIL_OUT_SECURE: bool.default(false),
  EMAIL_OUT_REQUIRE_TLS: bool.default(true),
  EMAIL_OUT_USER: z.string().min(1).optional(),
  EMAIL_OUT_PASS: z.string().min(1).optional(),
  EMAIL_OUT_TIMEOUT_MS: z.coerce.number().int().min(100).max(300_000).default(30_000),
  // Attachments
  EMAIL_ATTACHMENT_MAX_BYTES: z.coerce
    .number()
    .int()
    .min(1)
    .default(10 * 1024 * 1024),
  EMAIL_ATTACHMENT_TYPES: z
    .string()
    .default(
      'application/pdf,image/jpeg,image/png,image/gif,image/webp,image/heic,text/plain,text/csv,' +
        'application/vnd.openxmlformats-officedocument.wordprocessingml.document,' +
        'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
    )
    .transform(list),
  /** Answer a DMARC-proven sender, in Italian and English, when attachments were refused. */
  EMAIL_REFUSAL_AUTOREPLY: bool.default(true),
  /** Static TXT answers instead of DNS for SPF/DKIM/DMARC (tests and offline demo only). */
  EMAIL_DNS_STATIC: DnsStatic.optional(),
  /** The name written in Authentication-Results (our MX host name). */
  EMAIL_MTA_NAME: z.string().min(1).default('omnigate-mx'),
  /** EMAIL_SEND_CONCURRENCY (4: SMTP servers limit connections), _MAX_ATTEMPTS, _BACKOFF_MS. */
  ...sendLoopEnv('EMAIL', { concurrency: 4 }),
}).superRefine((env, ctx) => {
  if (Boolean(env.EMAIL_SMTP_TLS_KEY_FILE) !== Boolean(env.EMAIL_SMTP_TLS_CERT_FILE)) {
    ctx.addIssue({
      code: 'custom',
      path: ['EMAIL_SMTP_TLS_KEY_FILE'],
      message: 'set both EMAIL_SMTP_TLS_KEY_FILE and EMAIL_SMTP_TLS_CERT_FILE, or neither',
    });
  }
  if (env.EMAIL_SMTP_USE_PROXY === true) {
    ctx.addIssue({
      code: 'custom',
      path: ['EMAIL_SMTP_USE_PROXY'],
      message:
        'no longer supported (it believed a PROXY header from every peer): list the load balancers in EMAIL_SMTP_PROXIES',
    });
  }
  for (const p of productionProblems(env, EMAIL_PRODUCTION_RULES)) {
    ctx.addIssue({ code: 'custom', path: [p.key], message: p.message });
  }
  if (env.EMAIL_INBOUND !== 'imap') return;
  for (const key of ['EMAIL_IMAP_HOST', 'EMAIL_IMAP_USER', 'EMAIL_IMAP_PASS'] as const) {
    if (!env[key]) {
      ctx.addIssue({ code: 'custom', path: [key], message: 'required with EMAIL_INBOUND=imap' });
    }
  }
});
export type GatewayEmailConfig = z.infer<typeof GatewayEmailEnv>;

export const EMAIL_CONFIG = Symbol('EMAIL_CONFIG');

/** The domain of our own Message-IDs and plus-addresses: EMAIL_FROM's. */
export function ourDomainOf(config: Pick<GatewayEmailConfig, 'EMAIL_FROM'>): string {
  return config.EMAIL_FROM.split('@')[1]!.toLowerCase();
}
