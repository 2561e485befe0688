import { generateKeyPairSync, randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { generateHpkeKeyPair, newTotpSecret } from '@omnigate/crypto';
import { DB_ROLES, DEFAULT_ROLE_PREFIX, dbRoleName, urlAsRole } from '@omnigate/store';
import type { DbRole } from '@omnigate/store';

export interface DevSecrets {
  panTokenKey: string;
  twilioAccountSid: string;
  twilioAuthToken: string;
  inappJwtSecret: string;
  consoleSessionSecret: string;
  agentPassword: string;
  supervisorPassword: string;
  coreBankingApiKey: string;
  /** WhatsApp Cloud API (the sandbox plays Meta): access token, app secret, webhook verify token. */
  whatsappAccessToken: string;
  whatsappAppSecret: string;
  whatsappVerifyToken: string;
  /** Encryption at rest: the key-encryption key and the blind-index key (base64, 32 bytes each). */
  dataKek: string;
  dataIndexKey: string;
  dpoPassword: string;
  adminPassword: string;
  /** Telegram: the bot token the sandbox's Bot API accepts, and our webhook's secret token. */
  telegramBotToken: string;
  telegramWebhookSecret: string;
  /** Email: the DKIM key the sandbox signs customers' mail with (its public half is in EMAIL_DNS_STATIC). */
  emailDkimPrivateKey: string;
  emailDkimPublicKey: string;
  /** HMAC key of the core-banking event webhook (X-Core-Signature), shared by sandbox and router. */
  coreEventsSecret: string;
  /**
   * The card vault's HPKE key pair (`<kid>:<base64url>`): the private half for the vault only
   * (VAULT_PRIVATE_KEYS), the public half for the gateways (VAULT_PUBLIC_KEY).
   */
  vaultPublicKey: string;
  vaultPrivateKey: string;
  /** The vault's card-token key (VAULT_TOKEN_KEY). */
  vaultTokenKey: string;
  /** Email attachments and quarantined mail are sealed to the router's intake key. */
  routerIntakePublicKey: string;
  routerIntakePrivateKey: string;
  /**
   * TOTP secrets (base32) of the development accounts whose role needs a second factor: sam,
   * ada, dora (CONSOLE_AGENT_TOTP). `npm run console:account -- code <id>` prints the current code.
   */
  consoleTotpSecrets: Record<string, string>;
}

/** The development accounts with a second factor (supervisor, admin, dpo). */
export const DEV_TOTP_AGENTS = ['sam', 'ada', 'dora'] as const;

/** An X25519 key pair in the `<kid>:<base64url raw key>` form of libs/crypto's HpkeSealer/HpkeOpener. */
export function hpkeKeyPair(kid: string): { publicKey: string; privateKey: string } {
  const { publicKey, privateKey } = generateKeyPairSync('x25519');
  const pub = publicKey.export({ format: 'jwk' }).x!;
  const priv = privateKey.export({ format: 'jwk' }).d!;
  return { publicKey: `${kid}:${pub}`, privateKey: `${kid}:${priv}` };
}

function intakeSecrets(): Pick<DevSecrets, 'routerIntakePublicKey' | 'routerIntakePrivateKey'> {
  const intake = hpkeKeyPair('intake-dev-1');
  return { routerIntakePublicKey: intake.publicKey, routerIntakePrivateKey: intake.privateKey };
}

export interface DevPorts {
  console: number;
  sms: number;
  inapp: number;
  router: number;
  sandbox: number;
  whatsapp: number;
  telegram: number;
  /** Email gateway: HTTP (health, metrics), its SMTP listener, and the sandbox's SMTP sink. */
  email?: number;
  emailSmtp?: number;
  smtpSink?: number;
  /** The card vault's HTTP port (health and metrics only). */
  vault?: number;
}

export const DEFAULT_PORTS: DevPorts = {
  console: 3000,
  sms: 3001,
  inapp: 3002,
  router: 3003,
  sandbox: 3100,
  whatsapp: 3005,
  telegram: 3004,
  email: 3006,
  emailSmtp: 2525,
  smtpSink: 2526,
  vault: 3007,
};

/** Our sandbox phone number (the "To" of customer SMS): a valid Italian landline. */
export const DEV_OUR_NUMBER = '+390212345678';

/** Our WhatsApp business number's id at the (sandbox) Cloud API. */
export const DEV_WHATSAPP_PHONE_NUMBER_ID = '106540352242922';

/** Our sandbox mail domain: customers write to support@DEV_EMAIL_DOMAIN. */
export const DEV_EMAIL_DOMAIN = 'bank.example';

function dkimKeyPair(): Pick<DevSecrets, 'emailDkimPrivateKey' | 'emailDkimPublicKey'> {
  const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  return {
    emailDkimPrivateKey: privateKey.export({ type: 'pkcs8', format: 'pem' }).toString(),
    emailDkimPublicKey: publicKey.export({ type: 'spki', format: 'der' }).toString('base64'),
  };
}

/**
 * The DNS the email gateway sees in the sandbox (no real DNS here): the seeded customers' domains
 * let 127.0.0.1 send (SPF) and publish the sandbox's DKIM key, with DMARC p=reject; except
 * example.co.uk, whose SPF leaves 127.0.0.1 out, so unsigned mail from it fails DMARC (a spoof).
 */
export function devEmailDns(dkimPublicKey: string): Record<string, string[]> {
  const dns: Record<string, string[]> = {};
  for (const domain of ['example.it', 'example.co.uk']) {
    dns[domain] = [
      domain === 'example.it' ? 'v=spf1 ip4:127.0.0.1 -all' : 'v=spf1 ip4:192.0.2.1 -all',
    ];
    dns[`s1._domainkey.${domain}`] = [`v=DKIM1; k=rsa; p=${dkimPublicKey}`];
    dns[`_dmarc.${domain}`] = ['v=DMARC1; p=reject'];
  }
  return dns;
}

/** The vault's key pair as stored, or a new one: never half of a stored pair with a new half. */
async function vaultKeyPair(
  stored: Partial<DevSecrets>,
): Promise<Pick<DevSecrets, 'vaultPublicKey' | 'vaultPrivateKey'>> {
  if (stored.vaultPublicKey && stored.vaultPrivateKey) {
    return { vaultPublicKey: stored.vaultPublicKey, vaultPrivateKey: stored.vaultPrivateKey };
  }
  const pair = await generateHpkeKeyPair('dev-1');
  return { vaultPublicKey: pair.publicKey, vaultPrivateKey: pair.privateKey };
}

/** Random secrets made once per data folder, so nothing secret is hard-coded or committed. */
export async function loadDevSecrets(dataDir: string): Promise<DevSecrets> {
  const file = join(dataDir, 'dev-secrets.json');
  const stored: Partial<DevSecrets> = existsSync(file)
    ? (JSON.parse(readFileSync(file, 'utf8')) as Partial<DevSecrets>)
    : {};
  const hex = (n: number) => randomBytes(n).toString('hex');
  const b64 = (n: number) => randomBytes(n).toString('base64');
  // Secrets added by a later version are made once and kept beside the older ones.
  const secrets: DevSecrets = {
    panTokenKey: hex(32),
    twilioAccountSid: 'AC' + hex(16),
    twilioAuthToken: hex(16),
    inappJwtSecret: hex(32),
    consoleSessionSecret: hex(32),
    agentPassword: 'agent-' + hex(4),
    supervisorPassword: 'super-' + hex(4),
    coreBankingApiKey: hex(16),
    whatsappAccessToken: 'EAA' + hex(24),
    whatsappAppSecret: hex(16),
    whatsappVerifyToken: hex(16),
    dataKek: b64(32),
    dataIndexKey: b64(32),
    dpoPassword: 'dpo-' + hex(4),
    adminPassword: 'admin-' + hex(4),
    telegramBotToken: `${100_000_000 + randomBytes(3).readUIntBE(0, 3)}:${randomBytes(26).toString('base64url')}`,
    telegramWebhookSecret: hex(24),
    coreEventsSecret: hex(32),
    vaultTokenKey: hex(32),
    consoleTotpSecrets: Object.fromEntries(DEV_TOTP_AGENTS.map((id) => [id, newTotpSecret()])),
    ...dkimKeyPair(),
    ...intakeSecrets(),
    ...stored,
    ...(await vaultKeyPair(stored)),
  };
  if (Object.keys(stored).length === Object.keys(secrets).length) return secrets;
  mkdirSync(dataDir, { recursive: true });
  writeFileSync(file, JSON.stringify(secrets, null, 2), { mode: 0o600 });
  return secrets;
}

/**
 * The environment of every app for one machine: the sandbox plays Twilio and core banking, the
 * gateways point their SDKs at it. Values already set in `base` win (so any key can be overridden).
 */
export function devEnv(opts: {
  natsUrl: string;
  dataEnv: Record<string, string>;
  secrets: DevSecrets;
  ports: DevPorts;
  host?: string;
  base?: NodeJS.ProcessEnv;
}): NodeJS.ProcessEnv {
  const host = opts.host ?? '127.0.0.1';
  const url = (port: number) => `http://${host}:${port}`;
  const s = opts.secrets;
  const env: NodeJS.ProcessEnv = {
    NATS_URL: opts.natsUrl,
    ...opts.dataEnv,
    HOST: host,
    PAN_TOKEN_KEY: s.panTokenKey,
    // Gateways seal to these public keys; the router opens attachments with its intake private key.
    VAULT_PUBLIC_KEY: s.vaultPublicKey,
    ROUTER_INTAKE_PUBLIC_KEY: s.routerIntakePublicKey,
    ROUTER_INTAKE_PRIVATE_KEYS: s.routerIntakePrivateKey,
    // The web.js gateway's own session folder, beside the other dev data (it reads no DATA_DIR).
    ...(opts.dataEnv.DATA_DIR && !opts.dataEnv.DATA_DIR.startsWith('memory://')
      ? { WHATSAPP_WEBJS_DATA_PATH: join(opts.dataEnv.DATA_DIR, 'wwebjs_auth') }
      : {}),
    CONSOLE_PORT: String(opts.ports.console),
    SMS_GATEWAY_PORT: String(opts.ports.sms),
    INAPP_GATEWAY_PORT: String(opts.ports.inapp),
    ROUTER_PORT: String(opts.ports.router),
    SANDBOX_PORT: String(opts.ports.sandbox),
    // SMS gateway → Twilio (the sandbox)
    TWILIO_ACCOUNT_SID: s.twilioAccountSid,
    TWILIO_AUTH_TOKEN: s.twilioAuthToken,
    TWILIO_FROM_NUMBER: DEV_OUR_NUMBER,
    TWILIO_API_BASE: url(opts.ports.sandbox),
    SMS_PUBLIC_URL: url(opts.ports.sms),
    // Sandbox: Twilio account, where it delivers inbound SMS, core banking key
    SANDBOX_TWILIO_ACCOUNT_SID: s.twilioAccountSid,
    SANDBOX_TWILIO_AUTH_TOKEN: s.twilioAuthToken,
    SANDBOX_TWILIO_WEBHOOK_URL: `${url(opts.ports.sms)}/webhooks/twilio/sms`,
    CORE_BANKING_API_KEY: s.coreBankingApiKey,
    // WhatsApp gateway → Meta's Cloud API (the sandbox), and the sandbox → its webhook
    WHATSAPP_GATEWAY_PORT: String(opts.ports.whatsapp),
    WHATSAPP_PROVIDER: 'cloud',
    WHATSAPP_PUBLIC_URL: url(opts.ports.whatsapp),
    WHATSAPP_GRAPH_BASE: url(opts.ports.sandbox),
    WHATSAPP_PHONE_NUMBER_ID: DEV_WHATSAPP_PHONE_NUMBER_ID,
    WHATSAPP_ACCESS_TOKEN: s.whatsappAccessToken,
    WHATSAPP_APP_SECRET: s.whatsappAppSecret,
    WHATSAPP_VERIFY_TOKEN: s.whatsappVerifyToken,
    SANDBOX_WHATSAPP_ACCESS_TOKEN: s.whatsappAccessToken,
    SANDBOX_WHATSAPP_APP_SECRET: s.whatsappAppSecret,
    SANDBOX_WHATSAPP_PHONE_NUMBER_ID: DEV_WHATSAPP_PHONE_NUMBER_ID,
    SANDBOX_WHATSAPP_DISPLAY_NUMBER: DEV_OUR_NUMBER,
    SANDBOX_WHATSAPP_WEBHOOK_URL: `${url(opts.ports.whatsapp)}/webhooks/whatsapp`,
    // Telegram gateway → the Bot API (the sandbox), webhook with a secret token
    TELEGRAM_GATEWAY_PORT: String(opts.ports.telegram),
    TELEGRAM_MODE: 'webhook',
    TELEGRAM_BOT_TOKEN: s.telegramBotToken,
    TELEGRAM_WEBHOOK_SECRET: s.telegramWebhookSecret,
    TELEGRAM_PUBLIC_URL: url(opts.ports.telegram),
    TELEGRAM_API_ROOT: url(opts.ports.sandbox),
    SANDBOX_TELEGRAM_BOT_TOKEN: s.telegramBotToken,
    // Email gateway: SMTP listener (our MX) and SMTP out to the sandbox's sink; DNS from a map
    EMAIL_GATEWAY_PORT: String(opts.ports.email ?? DEFAULT_PORTS.email),
    EMAIL_SMTP_PORT: String(opts.ports.emailSmtp ?? DEFAULT_PORTS.emailSmtp),
    EMAIL_DOMAINS: DEV_EMAIL_DOMAIN,
    EMAIL_FROM: `support@${DEV_EMAIL_DOMAIN}`,
    EMAIL_OUT_HOST: host,
    EMAIL_OUT_PORT: String(opts.ports.smtpSink ?? DEFAULT_PORTS.smtpSink),
    EMAIL_OUT_REQUIRE_TLS: 'false',
    EMAIL_DNS_STATIC: JSON.stringify(devEmailDns(s.emailDkimPublicKey)),
    SANDBOX_SMTP_PORT: String(opts.ports.smtpSink ?? DEFAULT_PORTS.smtpSink),
    SANDBOX_EMAIL_GATEWAY_SMTP: `smtp://${host}:${opts.ports.emailSmtp ?? DEFAULT_PORTS.emailSmtp}`,
    SANDBOX_EMAIL_DKIM_PRIVATE_KEY: s.emailDkimPrivateKey,
    // Router → core banking (the sandbox)
    CORE_BANKING_URL: `${url(opts.ports.sandbox)}/core/v1`,
    // Core banking (the sandbox) → the router's signed event webhook
    SANDBOX_CORE_EVENTS_URL: `${url(opts.ports.router)}/core-banking/events`,
    SANDBOX_CORE_EVENTS_SECRET: s.coreEventsSecret,
    CORE_BANKING_EVENTS_SECRET: s.coreEventsSecret,
    // Router: our addresses for the app's link deep links (t.me/<bot>, wa.me/<number>)
    TELEGRAM_BOT_USERNAME: 'omnigate_sandbox_bot',
    WHATSAPP_NUMBER: DEV_OUR_NUMBER,
    // In-app gateway: the bank app's login tokens
    INAPP_JWT_SECRET: s.inappJwtSecret,
    // Customer simulator (the sandbox's /simulator): our SMS number and mailbox, the app's gateway
    SANDBOX_SIMULATOR_SMS_TO: DEV_OUR_NUMBER,
    SANDBOX_SIMULATOR_EMAIL_TO: `support@${DEV_EMAIL_DOMAIN}`,
    SANDBOX_SIMULATOR_INAPP_URL: url(opts.ports.inapp),
    SANDBOX_SIMULATOR_INAPP_JWT_SECRET: s.inappJwtSecret,
    // Console
    // alice: every queue; bruno: onboarding only (an agent sees only the queues they belong to).
    CONSOLE_AGENTS: `alice:${s.agentPassword},bruno:${s.agentPassword},sam:${s.supervisorPassword},dora:${s.dpoPassword},ada:${s.adminPassword}`,
    CONSOLE_ROLES: 'sam:supervisor,dora:dpo,ada:admin',
    CONSOLE_AGENT_QUEUES: 'bruno:onboarding',
    // Their second factor (supervisor, admin, dpo): `npm run console:account -- code sam`.
    CONSOLE_AGENT_TOTP: Object.entries(s.consoleTotpSecrets)
      .map(([id, secret]) => `${id}:${secret}`)
      .join(','),
    // Encryption at rest (every app with a database); DEV_ENCRYPTION_AT_REST=off for comparisons
    ...(opts.base?.DEV_ENCRYPTION_AT_REST === 'off'
      ? {}
      : { DATA_KEKS: `dev1:${s.dataKek}`, DATA_INDEX_KEY: s.dataIndexKey }),
    CONSOLE_SESSION_SECRET: s.consoleSessionSecret,
    // Card vault: its private keys and token key; the gateways seal to its public key
    VAULT_PORT: String(opts.ports.vault ?? DEFAULT_PORTS.vault),
    VAULT_PRIVATE_KEYS: s.vaultPrivateKey,
    VAULT_TOKEN_KEY: s.vaultTokenKey,
  };
  const overrides = Object.fromEntries(
    Object.entries(opts.base ?? {}).filter(([, v]) => v !== undefined && v !== ''),
  );
  return { ...env, ...overrides };
}

/**
 * Which apps may hold each secret of `devEnv`'s (least privilege also on one machine; with
 * `--processes` each process sees only its share). Keys not listed are not one app's secret.
 */
const SECRET_HOLDERS: Record<string, readonly string[]> = {
  DATABASE_URL: ['router', 'console', 'vault'],
  DATA_DIR: ['router', 'console', 'vault', 'sandbox'],
  DATA_KEKS: ['router', 'console'],
  DATA_INDEX_KEY: ['router'],
  PAN_TOKEN_KEY: ['router'],
  ROUTER_INTAKE_PRIVATE_KEYS: ['router'],
  VAULT_PRIVATE_KEYS: ['vault'],
  VAULT_TOKEN_KEY: ['vault'],
  CONSOLE_SESSION_SECRET: ['console'],
  CONSOLE_AGENT_TOTP: ['console'],
  // The migrator's: an app gets its own role's password inside its DATABASE_URL, nothing else.
  DB_PASSWORD_ROUTER: [],
  DB_PASSWORD_CONSOLE: [],
  DB_PASSWORD_VAULT: [],
};

/**
 * One app's share of the environment: the other apps' secrets removed, and on PostgreSQL a
 * DATABASE_URL that logs in as the app's own role (`npm run migrate` made it; its password from
 * DB_PASSWORD_<ROLE>, none with trust auth on a laptop), never the migrator's.
 */
export function appEnv(app: string, env: NodeJS.ProcessEnv): NodeJS.ProcessEnv {
  const share = Object.fromEntries(
    Object.entries(env).filter(([k]) => !SECRET_HOLDERS[k] || SECRET_HOLDERS[k].includes(app)),
  );
  const role = (DB_ROLES as readonly string[]).includes(app) ? (app as DbRole) : null;
  if (!role || !share.DATABASE_URL) return share;
  const user = dbRoleName(role, env.DB_ROLE_PREFIX || DEFAULT_ROLE_PREFIX);
  const password = env[`DB_PASSWORD_${role.toUpperCase()}`] || undefined;
  return { ...share, DATABASE_URL: urlAsRole(share.DATABASE_URL, user, password) };
}
