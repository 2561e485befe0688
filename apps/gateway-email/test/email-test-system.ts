import { generateKeyPairSync } from 'node:crypto';
import {
  publishOutbound as publishProbeOutbound,
  readSubject as readProbeSubject,
  waitForStatus as waitForProbeStatus,
} from '@omnigate/testing';
import { Test } from '@nestjs/testing';
import type { TestingModule } from '@nestjs/testing';
import { BusModule, NatsConnection, ObjectStoreClient } from '@omnigate/bus';
import { SealedObjectV1Schema, Subjects } from '@omnigate/contracts';
import type { DeliveryStatusV1, InboundMessageV1, OutboundMessageV1 } from '@omnigate/contracts';
import { HpkeOpener, generateHpkeKeyPair } from '@omnigate/crypto';
import { JsonLogger, KitModule, setLogSink } from '@omnigate/kit';
import type { RunningHttpApp } from '@omnigate/kit';
import { freePort, pollUntil, reportSlowStop, startNatsServer } from '@omnigate/testing';
import type { TestNatsServer } from '@omnigate/testing';
import { bootstrap as startGateway } from '../src/bootstrap';
import type { RunningEmailGateway } from '../src/bootstrap';
// Tests compose apps in-process, as the all-in-one launcher does; production code never imports another app.
import { bootstrap as startSandbox } from '../../sandbox/src/bootstrap';

export const OUR_DOMAIN = 'bank.example';
export const SUPPORT = `support@${OUR_DOMAIN}`;

/** HPKE key pairs (`<kid>:<base64url>`): the gateway gets only the public halves. */
export interface TestKeys {
  vault: { publicKey: string; privateKey: string };
  intake: { publicKey: string; privateKey: string };
}

function dkimKey(): { privateKey: string; publicKey: string } {
  const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  return {
    privateKey: privateKey.export({ type: 'pkcs8', format: 'pem' }).toString(),
    publicKey: publicKey.export({ type: 'spki', format: 'der' }).toString('base64'),
  };
}

/** The published key of example.it and example.co.uk; a second key nobody published (DKIM fail). */
export const KEYS = { published: dkimKey(), unpublished: dkimKey() };

/**
 * The DNS the gateway sees (served by a static resolver, offline): example.it lets 127.0.0.1 send
 * (SPF pass) and publishes our DKIM key; example.co.uk publishes the key but not our IP (SPF
 * fail); both ask for DMARC p=reject.
 */
export const DNS: Record<string, string[]> = {
  'example.it': ['v=spf1 ip4:127.0.0.1 -all'],
  's1._domainkey.example.it': [`v=DKIM1; k=rsa; p=${KEYS.published.publicKey}`],
  '_dmarc.example.it': ['v=DMARC1; p=reject'],
  'example.co.uk': ['v=spf1 ip4:192.0.2.1 -all'],
  's1._domainkey.example.co.uk': [`v=DKIM1; k=rsa; p=${KEYS.published.publicKey}`],
  '_dmarc.example.co.uk': ['v=DMARC1; p=reject'],
};

export interface EmailSystem {
  nats: TestNatsServer;
  keys: TestKeys;
  sandbox: RunningHttpApp;
  gateway: RunningEmailGateway;
  probe: TestingModule;
  sandboxUrl: string;
  gatewayEnv: Record<string, string>;
  logs: string[];
  restartGateway(extra?: Record<string, string>): Promise<void>;
  stop(): Promise<void>;
}

export async function startEmailSystem(
  extraEnv: Record<string, string> = {},
): Promise<EmailSystem> {
  const logs: string[] = [];
  const previousSink = setLogSink((line) => logs.push(line));
  const nats = await startNatsServer();
  const keys: TestKeys = {
    vault: await generateHpkeKeyPair('vault-t1'),
    intake: await generateHpkeKeyPair('intake-t1'),
  };
  const smtpPort = await freePort();
  const sinkPort = await freePort();
  const sandboxPort = await freePort();
  const probe = await Test.createTestingModule({
    imports: [
      KitModule,
      BusModule.forRoot({ url: nats.url, name: 'email-test-probe', publishTimeoutMs: 1000 }),
    ],
  })
    .setLogger(new JsonLogger('email-test-probe'))
    .compile();
  await probe.init();
  // No database, no data key, no card token key: an edge holds its NATS user and public keys.
  const gatewayEnv: Record<string, string> = {
    NATS_URL: nats.url,
    EMAIL_GATEWAY_PORT: '0',
    VAULT_PUBLIC_KEY: keys.vault.publicKey,
    ROUTER_INTAKE_PUBLIC_KEY: keys.intake.publicKey,
    EMAIL_DOMAINS: OUR_DOMAIN,
    EMAIL_FROM: SUPPORT,
    EMAIL_SMTP_PORT: String(smtpPort),
    EMAIL_OUT_HOST: '127.0.0.1',
    EMAIL_OUT_PORT: String(sinkPort),
    EMAIL_OUT_REQUIRE_TLS: 'false',
    EMAIL_DNS_STATIC: JSON.stringify(DNS),
    EMAIL_ATTACHMENT_MAX_BYTES: String(64 * 1024),
    EMAIL_SEND_BACKOFF_MS: '150',
    EMAIL_SEND_MAX_ATTEMPTS: '20',
    ...extraEnv,
  };
  const sandbox = await startSandbox({
    SANDBOX_PORT: String(sandboxPort),
    SANDBOX_SMTP_PORT: String(sinkPort),
    SANDBOX_EMAIL_GATEWAY_SMTP: `smtp://127.0.0.1:${smtpPort}`,
    SANDBOX_EMAIL_DKIM_PRIVATE_KEY: KEYS.published.privateKey,
  });
  const sys: EmailSystem = {
    nats,
    keys,
    probe,
    sandbox,
    gateway: await startGateway(gatewayEnv),
    sandboxUrl: `http://127.0.0.1:${sandboxPort}`,
    gatewayEnv,
    logs,
    restartGateway: async (extra = {}) => {
      await sys.gateway.close();
      sys.gateway = await startGateway({ ...gatewayEnv, ...extra });
    },
    stop: async () => {
      const started = Date.now();
      await sys.probe.close();
      await sys.gateway.close();
      await sys.sandbox.close().catch(() => undefined);
      reportSlowStop('email test system', Date.now() - started, logs);
      await nats.dispose();
      setLogSink(previousSink);
    },
  };
  return sys;
}

export interface CustomerMail {
  from: string;
  to?: string;
  subject?: string;
  text?: string;
  html?: string;
  messageId?: string;
  inReplyTo?: string;
  references?: string[];
  attachments?: Array<{ filename: string; contentType: string; contentBase64: string }>;
  dkim?: boolean | { privateKey: string };
  raw?: string;
  envelopeFrom?: string;
}

export interface SmtpAnswer {
  accepted: boolean;
  responseCode: number | null;
  response: string;
  messageId: string | null;
}

/** A customer's mail through the sandbox's MTA to the gateway's SMTP listener: what it answered. */
export async function sendMail(sys: EmailSystem, mail: CustomerMail): Promise<SmtpAnswer> {
  const res = await fetch(`${sys.sandboxUrl}/sandbox/email/inbound`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ to: SUPPORT, ...mail }),
  });
  if (res.status !== 200) {
    throw new Error(`sandbox inbound failed: ${res.status} ${await res.text()}`);
  }
  return (await res.json()) as SmtpAnswer;
}

/** Every message stored on one subject of a stream, parsed (what actually went over the bus). */
export const readSubject = <T>(sys: EmailSystem, stream: string, subject: string): Promise<T[]> =>
  readProbeSubject<T>(sys.probe, stream, subject);

export const inboundOnBus = (sys: EmailSystem) =>
  readSubject<InboundMessageV1>(sys, 'MSG_IN', Subjects.inbound('email'));

/** The inbound message published for this Message-ID (waits for it). */
export function waitInbound(sys: EmailSystem, messageId: string): Promise<InboundMessageV1> {
  return pollUntil(
    async () => (await inboundOnBus(sys)).find((m) => m.providerMessageId === messageId),
    {
      timeoutMs: 15_000,
      what: `inbound ${messageId}`,
    },
  );
}

export const waitStatus = (
  sys: EmailSystem,
  messageId: string,
  state: DeliveryStatusV1['state'],
): Promise<DeliveryStatusV1> => waitForProbeStatus(sys.probe, 'email', messageId, state);

/** What the router would publish for an agent's reply. */
export const publishOutbound = (
  sys: EmailSystem,
  to: string,
  text: string,
  over: Partial<OutboundMessageV1> = {},
): Promise<OutboundMessageV1> =>
  publishProbeOutbound(sys.probe, 'email', to, text, { seq: 2, ...over });

export interface SinkMessage {
  messageId: string | null;
  inReplyTo: string | null;
  references: string[];
  from: string;
  replyTo: string;
  to: string[];
  subject: string;
  text: string;
  headers: Record<string, string>;
}

export async function sinkMessages(sys: EmailSystem): Promise<SinkMessage[]> {
  const res = await fetch(`${sys.sandboxUrl}/sandbox/email/messages`);
  return ((await res.json()) as { messages: SinkMessage[] }).messages;
}

/** The raw content of an object in a bucket (sealed JSON), or null. */
export async function rawObject(
  sys: EmailSystem,
  bucket: string,
  name: string,
): Promise<Buffer | null> {
  const objects = new ObjectStoreClient(sys.probe.get(NatsConnection));
  return (await objects.bucket(bucket, 60_000)).get(name);
}

/** Opens a sealed object with a private key setting (the router's, in the tests that may). */
export async function openObject(raw: Buffer, privateKeys: string, aad: string): Promise<Buffer> {
  const box = SealedObjectV1Schema.parse(JSON.parse(raw.toString('utf8')));
  return Buffer.from(await HpkeOpener.fromConfig(privateKeys).open(box, aad));
}
