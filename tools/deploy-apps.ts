/**
 * What each deployable needs from Kubernetes: one row per app and mode. The manifests under
 * deploy/k8s are generated from it (tools/k8s-manifests.ts), so ports, keys and limits agree.
 */
export interface DeployApp {
  /** Kubernetes name of the Deployment (a polling mode has its own: it runs alone). */
  name: string;
  /** The app (its image omnigate/<app>, its NATS user and its Secret). */
  app: string;
  /** Image name; default omnigate/<app>. */
  image?: string;
  /** The key of its HTTP port and the port (health, webhooks). */
  portKey: string;
  port: number;
  /** Other listeners (the MX's SMTP port). */
  extraPorts?: { name: string; port: number }[];
  /** A gateway holds no database (issue 12); router, console and vault do. */
  database: boolean;
  /** Its HTTP port is reached from outside (provider webhooks, the bank, agents' browsers). */
  publicHttp: boolean;
  /** Ports it calls on the internet (providers, the bank); none for the vault. */
  internetPorts: number[];
  /** One instance only (a polling mode): Recreate, no HPA; `volume` for the linked device's session. */
  single?: { why: string; volume?: { mountPath: string; size: string } };
  /** Non-secret settings for its ConfigMap (placeholders where the platform team decides). */
  config: Record<string, string>;
  /** Keys of its Secret (values come from the secret store, never from this repository). */
  secrets: string[];
  /** Requests and memory limit. */
  cpu: string;
  memory: string;
  memoryLimit: string;
  maxReplicas?: number;
  /** The linked-device browser needs a writable home: no read-only root file system. */
  writableRoot?: boolean;
}

const NATS_PASS = 'NATS_PASS';
const DB = ['DATABASE_URL'];

export const DEPLOY_APPS: DeployApp[] = [
  {
    name: 'router',
    app: 'router',
    portKey: 'ROUTER_PORT',
    port: 3003,
    database: true,
    // The bank POSTs signed core events to /core-banking/events.
    publicHttp: true,
    internetPorts: [443],
    config: { CORE_BANKING_URL: 'https://core-banking.example.com/core/v1' },
    secrets: [
      NATS_PASS,
      ...DB,
      'DATA_KEKS',
      'DATA_INDEX_KEY',
      'PAN_TOKEN_KEY',
      'IDENTITY_CODE_KEY',
      'CORE_BANKING_API_KEY',
      'CORE_BANKING_EVENTS_SECRET',
      'ROUTER_INTAKE_PRIVATE_KEYS',
    ],
    cpu: '250m',
    memory: '256Mi',
    memoryLimit: '768Mi',
    maxReplicas: 12,
  },
  {
    name: 'console',
    app: 'console',
    portKey: 'CONSOLE_PORT',
    port: 3000,
    database: true,
    publicHttp: true,
    // The OpenID provider of the bank's staff.
    internetPorts: [443],
    config: { CONSOLE_COOKIE_SECURE: 'true', CONSOLE_OIDC_ISSUER: 'https://sso.example.com' },
    secrets: [
      NATS_PASS,
      ...DB,
      'DATA_KEKS',
      'CONSOLE_SESSION_SECRET',
      'CONSOLE_OIDC_CLIENT_SECRET',
    ],
    cpu: '200m',
    memory: '256Mi',
    // argon2 takes 19 MiB per login, CONSOLE_ARGON2_CONCURRENCY (4) at once.
    memoryLimit: '768Mi',
  },
  {
    name: 'vault',
    app: 'vault',
    portKey: 'VAULT_PORT',
    port: 3007,
    database: true,
    // Health and metrics only: nothing outside the cluster ever calls the vault.
    publicHttp: false,
    internetPorts: [],
    config: {},
    secrets: [NATS_PASS, ...DB, 'VAULT_PRIVATE_KEYS', 'VAULT_TOKEN_KEY'],
    cpu: '100m',
    memory: '192Mi',
    memoryLimit: '512Mi',
    maxReplicas: 4,
  },
  {
    name: 'gateway-sms',
    app: 'gateway-sms',
    portKey: 'SMS_GATEWAY_PORT',
    port: 3001,
    database: false,
    publicHttp: true,
    internetPorts: [443],
    config: { SMS_PUBLIC_URL: 'https://sms.example.com', TWILIO_FROM_NUMBER: '+390000000000' },
    secrets: [NATS_PASS, 'TWILIO_ACCOUNT_SID', 'TWILIO_AUTH_TOKEN'],
    cpu: '100m',
    memory: '192Mi',
    memoryLimit: '512Mi',
  },
  {
    name: 'gateway-inapp',
    app: 'gateway-inapp',
    portKey: 'INAPP_GATEWAY_PORT',
    port: 3002,
    database: false,
    publicHttp: true,
    // The bank's JWKS and the push hook.
    internetPorts: [443],
    config: {
      INAPP_JWKS_URL: 'https://login.example.com/.well-known/jwks.json',
      INAPP_JWT_ISSUER: 'https://login.example.com',
      INAPP_JWT_AUDIENCE: 'omnigate-inapp',
    },
    secrets: [NATS_PASS],
    cpu: '100m',
    memory: '192Mi',
    memoryLimit: '512Mi',
  },
  {
    name: 'gateway-telegram',
    app: 'gateway-telegram',
    portKey: 'TELEGRAM_GATEWAY_PORT',
    port: 3004,
    database: false,
    publicHttp: true,
    internetPorts: [443],
    config: { TELEGRAM_MODE: 'webhook', TELEGRAM_PUBLIC_URL: 'https://telegram.example.com' },
    secrets: [NATS_PASS, 'TELEGRAM_BOT_TOKEN', 'TELEGRAM_WEBHOOK_SECRET'],
    cpu: '100m',
    memory: '192Mi',
    memoryLimit: '512Mi',
  },
  {
    name: 'gateway-telegram-polling',
    app: 'gateway-telegram',
    portKey: 'TELEGRAM_GATEWAY_PORT',
    port: 3004,
    database: false,
    publicHttp: false,
    internetPorts: [443],
    single: { why: 'Telegram allows one getUpdates consumer per bot' },
    config: { TELEGRAM_MODE: 'polling' },
    secrets: [NATS_PASS, 'TELEGRAM_BOT_TOKEN', 'TELEGRAM_WEBHOOK_SECRET'],
    cpu: '100m',
    memory: '192Mi',
    memoryLimit: '512Mi',
  },
  {
    name: 'gateway-whatsapp',
    app: 'gateway-whatsapp',
    portKey: 'WHATSAPP_GATEWAY_PORT',
    port: 3005,
    database: false,
    publicHttp: true,
    internetPorts: [443],
    config: {
      WHATSAPP_PROVIDER: 'cloud',
      WHATSAPP_PUBLIC_URL: 'https://whatsapp.example.com',
      WHATSAPP_PHONE_NUMBER_ID: '000000000000000',
    },
    secrets: [NATS_PASS, 'WHATSAPP_ACCESS_TOKEN', 'WHATSAPP_APP_SECRET', 'WHATSAPP_VERIFY_TOKEN'],
    cpu: '100m',
    memory: '192Mi',
    memoryLimit: '512Mi',
  },
  {
    name: 'gateway-whatsapp-webjs',
    app: 'gateway-whatsapp',
    image: 'omnigate/gateway-whatsapp-webjs',
    portKey: 'WHATSAPP_GATEWAY_PORT',
    port: 3005,
    database: false,
    publicHttp: false,
    internetPorts: [443],
    single: {
      why: 'one linked device drives one browser session',
      volume: { mountPath: '/data', size: '1Gi' },
    },
    config: { WHATSAPP_PROVIDER: 'webjs' },
    secrets: [NATS_PASS],
    cpu: '500m',
    memory: '1Gi',
    memoryLimit: '2Gi',
    writableRoot: true,
  },
  {
    name: 'gateway-email',
    app: 'gateway-email',
    portKey: 'EMAIL_GATEWAY_PORT',
    port: 3006,
    extraPorts: [{ name: 'smtp', port: 2525 }],
    database: false,
    // Health only: mail arrives on the SMTP port (its own LoadBalancer Service).
    publicHttp: false,
    internetPorts: [587],
    config: {
      EMAIL_INBOUND: 'smtp',
      // The router's intake public key (attachments are sealed to it): public, so not a Secret.
      ROUTER_INTAKE_PUBLIC_KEY: '',
      EMAIL_DOMAINS: 'bank.example.com',
      EMAIL_FROM: 'support@bank.example.com',
      EMAIL_OUT_HOST: 'smtp-relay.example.com',
      EMAIL_OUT_PORT: '587',
    },
    secrets: [NATS_PASS, 'EMAIL_OUT_USER', 'EMAIL_OUT_PASS'],
    cpu: '100m',
    memory: '256Mi',
    memoryLimit: '768Mi',
  },
  {
    name: 'gateway-email-imap',
    app: 'gateway-email',
    portKey: 'EMAIL_GATEWAY_PORT',
    port: 3006,
    database: false,
    publicHttp: false,
    internetPorts: [587, 993],
    single: { why: 'two pollers of one mailbox would fetch each mail twice' },
    config: {
      EMAIL_INBOUND: 'imap',
      ROUTER_INTAKE_PUBLIC_KEY: '',
      EMAIL_DOMAINS: 'bank.example.com',
      EMAIL_FROM: 'support@bank.example.com',
      EMAIL_IMAP_HOST: 'imap.example.com',
      EMAIL_OUT_HOST: 'smtp-relay.example.com',
      EMAIL_OUT_PORT: '587',
    },
    secrets: [NATS_PASS, 'EMAIL_IMAP_USER', 'EMAIL_IMAP_PASS', 'EMAIL_OUT_USER', 'EMAIL_OUT_PASS'],
    cpu: '100m',
    memory: '256Mi',
    memoryLimit: '768Mi',
  },
];

/** The variants `overlays/production` deploys: the scalable mode of each app. */
export const DEFAULT_VARIANTS = DEPLOY_APPS.filter((a) => !a.single).map((a) => a.name);
