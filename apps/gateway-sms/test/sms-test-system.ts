import {
  metricValue as gatewayMetric,
  publishOutbound as publishProbeOutbound,
  readSubject as readProbeSubject,
  statusesOf as probeStatuses,
  waitForStatus as waitForProbeStatus,
} from '@omnigate/testing';
import { Test } from '@nestjs/testing';
import type { TestingModule } from '@nestjs/testing';
import twilio from 'twilio';
import { BusModule } from '@omnigate/bus';
import { Subjects } from '@omnigate/contracts';
import type { DeliveryStatusV1, InboundMessageV1, OutboundMessageV1 } from '@omnigate/contracts';
import { JsonLogger, KitModule, setLogSink } from '@omnigate/kit';
import type { RunningHttpApp } from '@omnigate/kit';
import { StoreModule } from '@omnigate/store';
import {
  createTestDatabase,
  freePort,
  reportSlowStop,
  stepWatched,
  startNatsServer,
} from '@omnigate/testing';
import type { NatsServerOptions, TestDatabase, TestNatsServer } from '@omnigate/testing';
import { bootstrap as startGateway } from '../src/bootstrap';
// Tests compose apps in-process, as the all-in-one launcher does; production code never imports another app.
import { bootstrap as startSandbox } from '../../sandbox/src/bootstrap';

export const ACCOUNT_SID = 'AC' + '5e'.repeat(16);
export const AUTH_TOKEN = 'gateway-sms-test-token';
export const OUR_NUMBER = '+390212345678';
export const PAN_TOKEN_KEY = 'sms-int-test-pan-key-0123';

/** nats-server, database, sandbox (Twilio) and the SMS gateway, wired as in production. */
export interface SmsSystem {
  nats: TestNatsServer;
  db: TestDatabase;
  sandbox: RunningHttpApp;
  gateway: RunningHttpApp;
  /** A separate bus client + store, standing in for the router. */
  probe: TestingModule;
  gatewayUrl: string;
  sandboxPort: number;
  logs: string[];
  restartSandbox(): Promise<void>;
  stop(): Promise<void>;
}

export interface SmsSystemOptions {
  /** The nats-server's config additions and environment (least-privilege users). */
  nats?: NatsServerOptions;
  /** Credentials of the probe (the router's stand-in) when the server requires users. */
  probeAuth?: { user: string; pass: string };
}

export async function startSmsSystem(
  extraEnv: Record<string, string> = {},
  opts: SmsSystemOptions = {},
): Promise<SmsSystem> {
  const logs: string[] = [];
  const previousSink = setLogSink((line) => logs.push(line));
  const nats = await startNatsServer(opts.nats);
  const db = await createTestDatabase();
  const gatewayPort = await freePort();
  const sandboxPort = await freePort();
  const gatewayUrl = `http://127.0.0.1:${gatewayPort}`;
  const sandboxEnv = {
    SANDBOX_PORT: String(sandboxPort),
    SANDBOX_TWILIO_ACCOUNT_SID: ACCOUNT_SID,
    SANDBOX_TWILIO_AUTH_TOKEN: AUTH_TOKEN,
    SANDBOX_TWILIO_WEBHOOK_URL: `${gatewayUrl}/webhooks/twilio/sms`,
    SANDBOX_TWILIO_STATUS_DELAY_MS: '20',
  };
  // The probe first: Nest's static Logger follows the last app created, and the apps' JSON
  // loggers must be the ones every line goes through (into the captured sink).
  const probe = await Test.createTestingModule({
    imports: [
      KitModule,
      BusModule.forRoot({
        url: nats.url,
        name: 'sms-test-probe',
        publishTimeoutMs: 1000,
        ...opts.probeAuth,
      }),
      StoreModule.forRoot(db.config),
    ],
  })
    .setLogger(new JsonLogger('sms-test-probe'))
    .compile();
  await probe.init();
  const sys: SmsSystem = {
    nats,
    db,
    probe,
    sandbox: await startSandbox(sandboxEnv),
    gateway: await startGateway({
      NATS_URL: nats.url,
      ...db.env,
      SMS_GATEWAY_PORT: String(gatewayPort),
      SMS_PUBLIC_URL: gatewayUrl,
      TWILIO_ACCOUNT_SID: ACCOUNT_SID,
      TWILIO_AUTH_TOKEN: AUTH_TOKEN,
      TWILIO_FROM_NUMBER: OUR_NUMBER,
      TWILIO_API_BASE: `http://127.0.0.1:${sandboxPort}`,
      PAN_TOKEN_KEY,
      SMS_SEND_BACKOFF_MS: '150',
      SMS_SEND_MAX_ATTEMPTS: '50',
      ...extraEnv,
    }),
    gatewayUrl,
    sandboxPort,
    logs,
    restartSandbox: async () => {
      sys.sandbox = await startSandbox(sandboxEnv);
    },
    stop: async () => {
      const started = Date.now();
      await stepWatched('probe.close', logs, () => sys.probe.close());
      await stepWatched('gateway.close', logs, () => sys.gateway.close());
      await stepWatched('sandbox.close', logs, () => sys.sandbox.close().catch(() => undefined));
      reportSlowStop('sms test system', Date.now() - started, logs);
      await db.cleanup();
      await nats.dispose();
      setLogSink(previousSink);
    },
  };
  return sys;
}

export interface InjectResult {
  messageSid: string;
  status: number;
  body: string;
  contentType: string | null;
}

/** A customer's SMS through the sandbox: signed exactly as Twilio signs it, POSTed to the gateway. */
export async function injectSms(
  sys: SmsSystem,
  from: string,
  body: string,
  extra: Record<string, string> = {},
): Promise<InjectResult> {
  const res = await fetch(`http://127.0.0.1:${sys.sandboxPort}/sandbox/twilio/inbound`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ from, to: OUR_NUMBER, body, ...extra }),
  });
  if (res.status !== 200) {
    throw new Error(`sandbox inbound failed: ${res.status} ${await res.text()}`);
  }
  return (await res.json()) as InjectResult;
}

/** POSTs a form to the gateway, signed with `token` for the URL (or unsigned with token null). */
export async function postSigned(
  sys: SmsSystem,
  path: string,
  params: Record<string, string>,
  token: string | null = AUTH_TOKEN,
): Promise<Response> {
  const url = sys.gatewayUrl + path;
  return fetch(url, {
    method: 'POST',
    headers: {
      'content-type': 'application/x-www-form-urlencoded',
      ...(token
        ? { 'x-twilio-signature': twilio.getExpectedTwilioSignature(token, url, params) }
        : {}),
    },
    body: new URLSearchParams(params).toString(),
  });
}

/** Every message stored on one subject of a stream, parsed (what actually went over the bus). */
export const readSubject = <T>(sys: SmsSystem, stream: string, subject: string): Promise<T[]> =>
  readProbeSubject<T>(sys.probe, stream, subject);

export const inboundOnBus = (sys: SmsSystem) =>
  readSubject<InboundMessageV1>(sys, 'MSG_IN', Subjects.inbound('sms'));

export const statusesOf = (sys: SmsSystem, messageId: string): Promise<DeliveryStatusV1[]> =>
  probeStatuses(sys.probe, 'sms', messageId);

export const waitForStatus = (
  sys: SmsSystem,
  messageId: string,
  state: DeliveryStatusV1['state'],
): Promise<DeliveryStatusV1> => waitForProbeStatus(sys.probe, 'sms', messageId, state);

/** What the router would publish for an agent's reply. */
export const publishOutbound = (
  sys: SmsSystem,
  to: string,
  text: string,
  over: Partial<OutboundMessageV1> = {},
): Promise<OutboundMessageV1> => publishProbeOutbound(sys.probe, 'sms', to, text, over);

export interface SandboxMessage {
  sid: string;
  to: string;
  from: string | null;
  body: string;
  direction: string;
  status: string;
}

/** What went over the wire to "Twilio": the sandbox's Messages list (its real list endpoint). */
export async function sandboxOutbound(sys: SmsSystem): Promise<SandboxMessage[]> {
  const res = await fetch(
    `http://127.0.0.1:${sys.sandboxPort}/2010-04-01/Accounts/${ACCOUNT_SID}/Messages.json?PageSize=1000`,
    {
      headers: {
        authorization: 'Basic ' + Buffer.from(`${ACCOUNT_SID}:${AUTH_TOKEN}`).toString('base64'),
      },
    },
  );
  const page = (await res.json()) as { messages: SandboxMessage[] };
  return page.messages.filter((m) => m.direction === 'outbound-api');
}

export async function sandboxControl(
  sys: SmsSystem,
  path: string,
  body: unknown,
): Promise<Response> {
  return fetch(`http://127.0.0.1:${sys.sandboxPort}/sandbox/twilio/${path}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
}

export const metricValue = (
  sys: SmsSystem,
  name: string,
  labels: Record<string, string> = {},
): Promise<number> => gatewayMetric(sys.gatewayUrl, name, labels);
