import {
  publishOutbound as publishProbeOutbound,
  readSubject as readProbeSubject,
  statusesOf as probeStatuses,
  waitForStatus as waitForProbeStatus,
} from '@omnigate/testing';
import { Test } from '@nestjs/testing';
import type { TestingModule } from '@nestjs/testing';
import { BusModule } from '@omnigate/bus';
import { Subjects } from '@omnigate/contracts';
import type { DeliveryStatusV1, InboundMessageV1, OutboundMessageV1 } from '@omnigate/contracts';
import { JsonLogger, KitModule, setLogSink } from '@omnigate/kit';
import type { RunningHttpApp } from '@omnigate/kit';
import { StoreModule } from '@omnigate/store';
import {
  createTestDatabase,
  freePort,
  pollUntil,
  reportSlowStop,
  startNatsServer,
} from '@omnigate/testing';
import type { TestDatabase, TestNatsServer } from '@omnigate/testing';
import { bootstrap as startGateway } from '../src/bootstrap';
// Tests compose apps in-process, as the all-in-one launcher does; production code never imports another app.
import { bootstrap as startSandbox } from '../../sandbox/src/bootstrap';

export const BOT_TOKEN = '987654321:gateway-telegram-test-token-abcdef';
export const BOT_ID = '987654321';
export const WEBHOOK_SECRET = 'telegram-int-test-secret_0123';
export const PAN_TOKEN_KEY = 'telegram-int-test-pan-key';

/** nats-server, database, sandbox (Bot API) and the Telegram gateway, wired as in production. */
export interface TelegramSystem {
  nats: TestNatsServer;
  db: TestDatabase;
  sandbox: RunningHttpApp;
  gateway: RunningHttpApp;
  /** A separate bus client + store, standing in for the router. */
  probe: TestingModule;
  gatewayUrl: string;
  sandboxUrl: string;
  logs: string[];
  /** Stops the gateway (a crash or a deploy); restartGateway starts it again. */
  stopGateway(): Promise<void>;
  /** Starts a new gateway with the same configuration (stopping the running one first). */
  restartGateway(): Promise<void>;
  stop(): Promise<void>;
}

export async function startTelegramSystem(
  extraEnv: Record<string, string> = {},
): Promise<TelegramSystem> {
  const logs: string[] = [];
  const previousSink = setLogSink((line) => logs.push(line));
  const nats = await startNatsServer();
  const db = await createTestDatabase();
  const gatewayPort = await freePort();
  const sandboxPort = await freePort();
  const gatewayUrl = `http://127.0.0.1:${gatewayPort}`;
  const sandboxUrl = `http://127.0.0.1:${sandboxPort}`;
  const probe = await Test.createTestingModule({
    imports: [
      KitModule,
      BusModule.forRoot({ url: nats.url, name: 'telegram-test-probe', publishTimeoutMs: 1000 }),
      StoreModule.forRoot(db.config),
    ],
  })
    .setLogger(new JsonLogger('telegram-test-probe'))
    .compile();
  await probe.init();
  const gatewayEnv = {
    NATS_URL: nats.url,
    ...db.env,
    TELEGRAM_GATEWAY_PORT: String(gatewayPort),
    TELEGRAM_PUBLIC_URL: gatewayUrl,
    TELEGRAM_BOT_TOKEN: BOT_TOKEN,
    TELEGRAM_WEBHOOK_SECRET: WEBHOOK_SECRET,
    TELEGRAM_API_ROOT: sandboxUrl,
    TELEGRAM_POLL_TIMEOUT_S: '1',
    PAN_TOKEN_KEY,
    TELEGRAM_SEND_BACKOFF_MS: '150',
    TELEGRAM_SEND_MAX_ATTEMPTS: '50',
    ...extraEnv,
  };
  const sandbox = await startSandbox({
    SANDBOX_PORT: String(sandboxPort),
    SANDBOX_TELEGRAM_BOT_TOKEN: BOT_TOKEN,
  });
  let gatewayRunning = true;
  const sys: TelegramSystem = {
    nats,
    db,
    probe,
    sandbox,
    gateway: await startGateway(gatewayEnv),
    gatewayUrl,
    sandboxUrl,
    logs,
    stopGateway: async () => {
      if (gatewayRunning) await sys.gateway.close();
      gatewayRunning = false;
    },
    restartGateway: async () => {
      await sys.stopGateway();
      sys.gateway = await startGateway(gatewayEnv);
      gatewayRunning = true;
    },
    stop: async () => {
      const started = Date.now();
      await sys.probe.close();
      await sys.stopGateway();
      await sys.sandbox.close().catch(() => undefined);
      reportSlowStop('telegram test system', Date.now() - started, logs);
      await db.cleanup();
      await nats.dispose();
      setLogSink(previousSink);
    },
  };
  return sys;
}

export interface InjectResult {
  updateId: number;
  delivered: 'webhook' | 'queued';
  status?: number;
  body?: string;
  update: Record<string, unknown>;
}

/** A customer action through the sandbox: POSTed to the webhook, or queued for getUpdates. */
export async function injectUpdate(sys: TelegramSystem, body: unknown): Promise<InjectResult> {
  const res = await sandboxControl(sys, 'updates', body);
  if (res.status !== 200) {
    throw new Error(`sandbox inject failed: ${res.status} ${await res.text()}`);
  }
  return (await res.json()) as InjectResult;
}

export async function sandboxControl(
  sys: TelegramSystem,
  path: string,
  body: unknown,
): Promise<Response> {
  return fetch(`${sys.sandboxUrl}/sandbox/telegram/${path}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
}

export interface SentRecord {
  messageId: number;
  chatId: string;
  method: string;
  text?: string;
  caption?: string;
  media?: string;
  replyMarkup?: unknown;
}

/** What went over the wire to "Telegram": the sandbox's list of what the bot sent. */
export async function sandboxSent(sys: TelegramSystem, chatId?: string): Promise<SentRecord[]> {
  const q = chatId ? `?chatId=${chatId}` : '';
  const res = await fetch(`${sys.sandboxUrl}/sandbox/telegram/sent${q}`);
  return ((await res.json()) as { messages: SentRecord[] }).messages;
}

/** Every message stored on one subject of a stream, parsed (what actually went over the bus). */
export const readSubject = <T>(
  sys: TelegramSystem,
  stream: string,
  subject: string,
): Promise<T[]> => readProbeSubject<T>(sys.probe, stream, subject);

export const inboundOnBus = (sys: TelegramSystem) =>
  readSubject<InboundMessageV1>(sys, 'MSG_IN', Subjects.inbound('telegram'));

export async function waitForInbound(
  sys: TelegramSystem,
  updateId: number,
): Promise<InboundMessageV1> {
  return pollUntil(
    async () => (await inboundOnBus(sys)).find((m) => m.providerMessageId === String(updateId)),
    { timeoutMs: 15_000, what: `inbound of update ${updateId}` },
  );
}

export const statusesOf = (sys: TelegramSystem, messageId: string): Promise<DeliveryStatusV1[]> =>
  probeStatuses(sys.probe, 'telegram', messageId);

export const waitForStatus = (
  sys: TelegramSystem,
  messageId: string,
  state: DeliveryStatusV1['state'],
): Promise<DeliveryStatusV1> => waitForProbeStatus(sys.probe, 'telegram', messageId, state);

/** What the router would publish for an agent's reply. */
export const publishOutbound = (
  sys: TelegramSystem,
  to: string,
  text: string,
  over: Partial<OutboundMessageV1> = {},
): Promise<OutboundMessageV1> => publishProbeOutbound(sys.probe, 'telegram', to, text, over);

/** POSTs an update to the gateway's webhook with the given secret header (null: none). */
export async function postUpdate(
  sys: TelegramSystem,
  update: unknown,
  secret: string | null,
): Promise<Response> {
  return fetch(`${sys.gatewayUrl}/webhooks/telegram`, {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      ...(secret === null ? {} : { 'x-telegram-bot-api-secret-token': secret }),
    },
    body: JSON.stringify(update),
  });
}
