import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SignJWT } from 'jose';
import { io } from 'socket.io-client';
import type { Socket } from 'socket.io-client';
import type { ConversationEventV1 } from '@omnigate/contracts';
import type { RunningHttpApp } from '@omnigate/kit';
import {
  TestAuthenticator,
  createTestDatabase,
  freePort,
  pollUntil,
  startNatsServer,
} from '@omnigate/testing';
import type { TestDatabase, TestNatsServer } from '@omnigate/testing';
import { bootstrap as startSandbox } from '../../apps/sandbox/src/bootstrap';
import { bootstrap as startRouter } from '../../apps/router/src/bootstrap';
import { bootstrap as startSms } from '../../apps/gateway-sms/src/bootstrap';
import { bootstrap as startInapp } from '../../apps/gateway-inapp/src/bootstrap';
import { bootstrap as startConsole } from '../../apps/console/src/bootstrap';
import { bootstrap as startWhatsApp } from '../../apps/gateway-whatsapp/src/bootstrap';
import { bootstrap as startTelegram } from '../../apps/gateway-telegram/src/bootstrap';
import { bootstrap as startEmail } from '../../apps/gateway-email/src/bootstrap';
import { bootstrap as startVault } from '../../apps/vault/src/bootstrap';
import { DEV_OUR_NUMBER, devEnv, appEnv, loadDevSecrets } from '../../tools/dev-env';
import type { DevPorts, DevSecrets } from '../../tools/dev-env';

export interface System {
  nats: TestNatsServer;
  db: TestDatabase;
  env: NodeJS.ProcessEnv;
  secrets: DevSecrets;
  urls: Record<keyof DevPorts, string>;
  ourNumber: string;
  apps: Record<string, RunningHttpApp>;
  stop(): Promise<void>;
}

/**
 * For the channel stories (issues 2–4): the agent answers and the timeline is exactly what the
 * customer and agent wrote, so the bot, which would answer first, is off. The bot's journeys are
 * told in fraud-story.e2e-spec.ts.
 */
export const WITHOUT_BOT = { ROUTER_BOT_ENABLED: 'false' } as const;

/** The whole system in this process: real NATS, a fresh database, every app on a random port. */
export async function startSystem(
  opts: { skip?: string[]; env?: Record<string, string> } = {},
): Promise<System> {
  const nats = await startNatsServer();
  const db = await createTestDatabase();
  const secretsDir = mkdtempSync(join(tmpdir(), 'og-e2e-'));
  const secrets = await loadDevSecrets(secretsDir);
  const ports: DevPorts = {
    console: await freePort(),
    sms: await freePort(),
    inapp: await freePort(),
    router: await freePort(),
    sandbox: await freePort(),
    whatsapp: await freePort(),
    telegram: await freePort(),
    email: await freePort(),
    emailSmtp: await freePort(),
    smtpSink: await freePort(),
    vault: await freePort(),
  };
  const env = devEnv({
    natsUrl: nats.url,
    dataEnv: db.env,
    secrets,
    ports,
    base: {
      LOG_LEVEL: 'warn',
      SANDBOX_TWILIO_STATUS_DELAY_MS: '20',
      SANDBOX_WHATSAPP_STATUS_DELAY_MS: '20',
      ...opts.env,
    },
  });
  const apps: Record<string, RunningHttpApp> = {};
  const starters = {
    sandbox: startSandbox,
    router: startRouter,
    vault: startVault,
    'gateway-sms': startSms,
    'gateway-inapp': startInapp,
    'gateway-whatsapp': startWhatsApp,
    'gateway-telegram': startTelegram,
    'gateway-email': startEmail,
    console: startConsole,
  };
  for (const [name, start] of Object.entries(starters)) {
    if (opts.skip?.includes(name)) continue;
    apps[name] = await start(appEnv(name, env));
  }
  const url = (p: number) => `http://127.0.0.1:${p}`;
  return {
    nats,
    db,
    env,
    secrets,
    ourNumber: DEV_OUR_NUMBER,
    urls: {
      console: url(ports.console),
      sms: url(ports.sms),
      inapp: url(ports.inapp),
      router: url(ports.router),
      sandbox: url(ports.sandbox),
      whatsapp: url(ports.whatsapp),
      telegram: url(ports.telegram),
      email: url(ports.email!),
      emailSmtp: `smtp://127.0.0.1:${ports.emailSmtp}`,
      smtpSink: `smtp://127.0.0.1:${ports.smtpSink}`,
      vault: url(ports.vault!),
    },
    apps,
    stop: async () => {
      for (const name of Object.keys(apps).reverse()) {
        await apps[name]!.close().catch(() => undefined);
      }
      await db.cleanup();
      await nats.dispose();
      rmSync(secretsDir, { recursive: true, force: true });
    },
  };
}

export async function json<T>(res: Response): Promise<T> {
  const text = await res.text();
  try {
    return JSON.parse(text) as T;
  } catch {
    throw new Error(`not JSON (${res.status}): ${text.slice(0, 200)}`);
  }
}

const authenticators = new WeakMap<System, TestAuthenticator>();
/** The authenticator app of the development accounts with a second factor (one per system). */
function devAuthenticator(sys: System): TestAuthenticator {
  let a = authenticators.get(sys);
  if (!a) {
    a = new TestAuthenticator(new Map(Object.entries(sys.secrets.consoleTotpSecrets)));
    authenticators.set(sys, a);
  }
  return a;
}

/** The current authenticator code of a development account with a second factor, else null. */
export function totpFor(sys: System, agentId: string): string | null {
  const a = devAuthenticator(sys);
  return a.has(agentId) ? a.code(agentId, Date.now()) : null;
}

export async function agentLogin(
  sys: System,
  agentId = 'alice',
  password = sys.secrets.agentPassword,
): Promise<string> {
  // sam, ada and dora give their authenticator's code (the dev secrets hold their TOTP secrets).
  const code = totpFor(sys, agentId);
  const totp = code ? { totp: code } : {};
  const res = await fetch(`${sys.urls.console}/api/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ agentId, password, ...totp }),
  });
  if (res.status !== 200 && res.status !== 201) throw new Error(`login failed: ${res.status}`);
  return (await json<{ token: string }>(res)).token;
}

export function api(sys: System, token: string) {
  const call = async (method: string, path: string, body?: unknown) =>
    fetch(`${sys.urls.console}${path}`, {
      method,
      headers: {
        authorization: `Bearer ${token}`,
        ...(body ? { 'content-type': 'application/json' } : {}),
      },
      body: body ? JSON.stringify(body) : undefined,
    });
  return {
    get: (p: string) => call('GET', p),
    post: (p: string, b: unknown) => call('POST', p, b),
  };
}

/** A customer's SMS, signed by the sandbox exactly as Twilio signs it, delivered to the gateway. */
export async function injectSms(
  sys: System,
  from: string,
  body: string,
  messageSid?: string,
): Promise<{ status: number; messageSid: string }> {
  const res = await fetch(`${sys.urls.sandbox}/sandbox/twilio/inbound`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ from, to: sys.ourNumber, body, ...(messageSid ? { messageSid } : {}) }),
  });
  if (!res.ok) throw new Error(`sandbox inbound failed: ${res.status} ${await res.text()}`);
  return json(res);
}

/** An app login's JWT; `claims` adds e.g. `{ amr: ['face'] }` for a strong (biometric) login. */
export async function appToken(
  sys: System,
  sub: string,
  expiresIn = '1h',
  claims: Record<string, unknown> = {},
): Promise<string> {
  return new SignJWT({ auth_time: Math.floor(Date.now() / 1000), ...claims })
    .setProtectedHeader({ alg: 'HS256' })
    .setSubject(sub)
    .setIssuedAt()
    .setExpirationTime(expiresIn)
    .sign(Buffer.from(sys.secrets.inappJwtSecret));
}

export async function connect(url: string, token: string): Promise<Socket> {
  const socket = io(url, { auth: { token }, transports: ['websocket'], reconnection: false });
  await new Promise<void>((resolve, reject) => {
    socket.once('connect', resolve);
    socket.once('connect_error', reject);
  });
  return socket;
}

export interface ConversationSummaryView {
  id: string;
  status: string;
  customer: { id: string; displayName: string | null; verified: boolean };
}

/** Waits until the console lists a conversation of the customer named `name` (any status). */
export function conversationNamed(
  console_: ReturnType<typeof api>,
  name: string,
  accept: (c: ConversationSummaryView) => boolean = () => true,
): Promise<ConversationSummaryView> {
  return pollUntil(
    async () => {
      const list = await json<ConversationSummaryView[]>(
        await console_.get('/api/conversations?status=all'),
      );
      return list.find((c) => c.customer.displayName === name && accept(c));
    },
    { what: `${name}'s conversation` },
  );
}

/**
 * The console's live feed as an agent sees it: every conversation event, and a wait for the first
 * `message.created` on a channel. The socket is pushed to `sockets` for the caller to close.
 */
export async function liveConsole(sys: System, token: string, sockets: Socket[]) {
  const live = await connect(`${sys.urls.console}/live`, token);
  sockets.push(live);
  const events: ConversationEventV1[] = [];
  live.on('conversation.event', (e: ConversationEventV1) => events.push(e));
  const created = (channel: string) =>
    pollUntil(
      () =>
        events.find(
          (e) => e.event.kind === 'message.created' && e.event.message.channel === channel,
        ),
      { what: `a ${channel} message on the console` },
    );
  return { events, created };
}
