import { generateKeyPairSync } from 'node:crypto';
import { NatsConnection, ObjectStoreClient } from '@omnigate/bus';
import { SealedObjectV1Schema, Subjects } from '@omnigate/contracts';
import type { DeliveryStatusV1, InboundMessageV1, OutboundMessageV1 } from '@omnigate/contracts';
import { HpkeOpener, generateHpkeKeyPair } from '@omnigate/crypto';
import { freePort, readSubject as readProbeSubject, startGatewaySystem } from '@omnigate/testing';
import type { GatewaySystem, GatewaySystemOptions } from '@omnigate/testing';
import { bootstrap as startGateway } from '../src/bootstrap';
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

/**
 * The email gateway on the shared gateway test system (libs/testing startGatewaySystem): its
 * environment has no database and no data key (refused otherwise), only the vault's and the
 * router's intake public keys; the sandbox is the customers' MTA and our outbound SMTP sink.
 */
export interface EmailSystem extends GatewaySystem {
  keys: TestKeys;
}

export async function startEmailSystem(
  extraEnv: Record<string, string> = {},
  opts: Pick<
    GatewaySystemOptions,
    'nats' | 'probeAuth' | 'waitReady' | 'probeDeclaresStreams'
  > = {},
): Promise<EmailSystem> {
  const intake = await generateHpkeKeyPair('intake-t1');
  const smtpPort = await freePort();
  const sinkPort = await freePort();
  const sys = await startGatewaySystem({
    channel: 'email',
    ...opts,
    gateway: {
      start: (env) => startGateway(env),
      env: (u) => ({
        EMAIL_GATEWAY_PORT: String(u.gatewayPort),
        ROUTER_INTAKE_PUBLIC_KEY: intake.publicKey,
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
      }),
    },
    sandbox: {
      start: (env) => startSandbox(env),
      env: (u) => ({
        SANDBOX_PORT: String(u.sandboxPort),
        SANDBOX_SMTP_PORT: String(sinkPort),
        SANDBOX_EMAIL_GATEWAY_SMTP: `smtp://127.0.0.1:${smtpPort}`,
        SANDBOX_EMAIL_DKIM_PRIVATE_KEY: KEYS.published.privateKey,
      }),
    },
  });
  return Object.assign(sys, { keys: { vault: sys.vault, intake } });
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
  readSubject<InboundMessageV1>(sys, 'MSG_IN', `${Subjects.inbound('email')}.*`);

/** The inbound message published for this Message-ID (waits for it). */
export const waitInbound = (sys: EmailSystem, messageId: string): Promise<InboundMessageV1> =>
  sys.waitForInbound(messageId);

export const waitStatus = (
  sys: EmailSystem,
  messageId: string,
  state: DeliveryStatusV1['state'],
): Promise<DeliveryStatusV1> => sys.waitForStatus(messageId, state);

/** What the router would publish for an agent's reply. */
export const publishOutbound = (
  sys: EmailSystem,
  to: string,
  text: string,
  over: Partial<OutboundMessageV1> = {},
): Promise<OutboundMessageV1> => sys.publishOutbound(to, text, { seq: 2, ...over });

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
