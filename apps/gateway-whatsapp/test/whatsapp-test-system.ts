import {
  metricValue as gatewayMetric,
  publishOutbound as publishProbeOutbound,
  readSubject as readProbeSubject,
  statusesOf as probeStatuses,
  waitForStatus as waitForProbeStatus,
} from '@omnigate/testing';
import type { Provider } from '@nestjs/common';
import { Test } from '@nestjs/testing';
import type { TestingModule } from '@nestjs/testing';
import { BusModule } from '@omnigate/bus';
import { Subjects } from '@omnigate/contracts';
import type { DeliveryStatusV1, InboundMessageV1, OutboundMessageV1 } from '@omnigate/contracts';
import { JsonLogger, KitModule, setLogSink } from '@omnigate/kit';
import type { RunningHttpApp } from '@omnigate/kit';
import { StoreModule } from '@omnigate/store';
import { createTestDatabase, freePort, reportSlowStop, startNatsServer } from '@omnigate/testing';
import type { TestDatabase, TestNatsServer } from '@omnigate/testing';
import { bootstrap as startGateway } from '../src/bootstrap';
// Tests compose apps in-process, as the all-in-one launcher does; production code never imports another app.
import { bootstrap as startSandbox } from '../../sandbox/src/bootstrap';

export const ACCESS_TOKEN = 'wa-int-test-access-token';
export const APP_SECRET = 'wa-int-test-app-secret';
export const VERIFY_TOKEN = 'wa-int-test-verify-token';
export const PHONE_NUMBER_ID = '106540352242922';
export const OUR_NUMBER = '+390212345678';
export const TWILIO_ACCOUNT_SID = 'AC' + '7a'.repeat(16);
export const TWILIO_AUTH_TOKEN = 'wa-int-test-twilio-token';
export const PAN_TOKEN_KEY = 'wa-int-test-pan-key-0123';

/** nats-server, database, sandbox (Cloud API + Twilio) and the WhatsApp gateway, wired as in production. */
export interface WhatsAppSystem {
  nats: TestNatsServer;
  db: TestDatabase;
  sandbox: RunningHttpApp | null;
  gateway: RunningHttpApp;
  probe: TestingModule;
  gatewayUrl: string;
  sandboxUrl: string;
  logs: string[];
  stop(): Promise<void>;
}

export interface SystemOptions {
  provider?: 'cloud' | 'twilio' | 'webjs';
  env?: Record<string, string>;
  /** Provider overrides for the gateway (the web.js fake Client). */
  overrides?: Provider[];
  withSandbox?: boolean;
}

export async function startWhatsAppSystem(opts: SystemOptions = {}): Promise<WhatsAppSystem> {
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
      BusModule.forRoot({ url: nats.url, name: 'wa-test-probe', publishTimeoutMs: 1000 }),
      StoreModule.forRoot(db.config),
    ],
  })
    .setLogger(new JsonLogger('wa-test-probe'))
    .compile();
  await probe.init();
  const sandbox =
    opts.withSandbox === false
      ? null
      : await startSandbox({
          SANDBOX_PORT: String(sandboxPort),
          SANDBOX_WHATSAPP_ACCESS_TOKEN: ACCESS_TOKEN,
          SANDBOX_WHATSAPP_APP_SECRET: APP_SECRET,
          SANDBOX_WHATSAPP_PHONE_NUMBER_ID: PHONE_NUMBER_ID,
          SANDBOX_WHATSAPP_DISPLAY_NUMBER: OUR_NUMBER,
          SANDBOX_WHATSAPP_WEBHOOK_URL: `${gatewayUrl}/webhooks/whatsapp`,
          SANDBOX_WHATSAPP_STATUS_DELAY_MS: '20',
          SANDBOX_TWILIO_ACCOUNT_SID: TWILIO_ACCOUNT_SID,
          SANDBOX_TWILIO_AUTH_TOKEN: TWILIO_AUTH_TOKEN,
          SANDBOX_TWILIO_WEBHOOK_URL: `${gatewayUrl}/webhooks/twilio/whatsapp`,
          SANDBOX_TWILIO_STATUS_DELAY_MS: '20',
        });
  const gateway = await startGateway(
    {
      NATS_URL: nats.url,
      ...db.env,
      WHATSAPP_GATEWAY_PORT: String(gatewayPort),
      WHATSAPP_PUBLIC_URL: gatewayUrl,
      WHATSAPP_PROVIDER: opts.provider ?? 'cloud',
      WHATSAPP_GRAPH_BASE: sandboxUrl,
      WHATSAPP_PHONE_NUMBER_ID: PHONE_NUMBER_ID,
      WHATSAPP_ACCESS_TOKEN: ACCESS_TOKEN,
      WHATSAPP_APP_SECRET: APP_SECRET,
      WHATSAPP_VERIFY_TOKEN: VERIFY_TOKEN,
      TWILIO_ACCOUNT_SID,
      TWILIO_AUTH_TOKEN,
      TWILIO_WHATSAPP_FROM: OUR_NUMBER,
      TWILIO_API_BASE: sandboxUrl,
      PAN_TOKEN_KEY,
      WHATSAPP_SEND_BACKOFF_MS: '150',
      WHATSAPP_SEND_MAX_ATTEMPTS: '50',
      ...opts.env,
    },
    opts.overrides,
  );
  const sys: WhatsAppSystem = {
    nats,
    db,
    probe,
    sandbox,
    gateway,
    gatewayUrl,
    sandboxUrl,
    logs,
    stop: async () => {
      const started = Date.now();
      await sys.probe.close();
      await sys.gateway.close();
      await sys.sandbox?.close().catch(() => undefined);
      reportSlowStop('whatsapp test system', Date.now() - started, logs);
      await db.cleanup();
      await nats.dispose();
      setLogSink(previousSink);
    },
  };
  return sys;
}

/** Every message stored on one subject of a stream, parsed (what actually went over the bus). */
export const readSubject = <T>(
  sys: WhatsAppSystem,
  stream: string,
  subject: string,
): Promise<T[]> => readProbeSubject<T>(sys.probe, stream, subject);

export const inboundOnBus = (sys: WhatsAppSystem) =>
  readSubject<InboundMessageV1>(sys, 'MSG_IN', Subjects.inbound('whatsapp'));

export const statusesOf = (sys: WhatsAppSystem, messageId: string): Promise<DeliveryStatusV1[]> =>
  probeStatuses(sys.probe, 'whatsapp', messageId);

export const waitForStatus = (
  sys: WhatsAppSystem,
  messageId: string,
  state: DeliveryStatusV1['state'],
): Promise<DeliveryStatusV1> => waitForProbeStatus(sys.probe, 'whatsapp', messageId, state);

/** What the router would publish for an agent's reply. */
export const publishOutbound = (
  sys: WhatsAppSystem,
  to: string,
  text: string,
  over: Partial<OutboundMessageV1> = {},
): Promise<OutboundMessageV1> => publishProbeOutbound(sys.probe, 'whatsapp', to, text, over);

export async function sandboxPost(
  sys: WhatsAppSystem,
  path: string,
  body: unknown,
): Promise<Response> {
  return fetch(`${sys.sandboxUrl}${path}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
}

export interface SandboxWhatsApp {
  id: string;
  to: string;
  type: string;
  request: Record<string, unknown>;
  statuses: string[];
}

/** What went over the wire to the fake Graph API. */
export async function sentAtSandbox(sys: WhatsAppSystem): Promise<SandboxWhatsApp[]> {
  const res = await fetch(`${sys.sandboxUrl}/sandbox/whatsapp/messages`);
  return ((await res.json()) as { messages: SandboxWhatsApp[] }).messages;
}

export const metricValue = (
  sys: WhatsAppSystem,
  name: string,
  labels: Record<string, string> = {},
): Promise<number> => gatewayMetric(sys.gatewayUrl, name, labels);
