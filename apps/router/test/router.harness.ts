import { randomBytes, randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Test } from '@nestjs/testing';
import type { TestingModule } from '@nestjs/testing';
import { z } from 'zod';
import { BusClient, BusModule, BusPublisher, BusSubscriber, NatsConnection } from '@omnigate/bus';
import {
  ConversationEventV1Schema,
  DELIVERY_STATUS_V1,
  DeliveryStatusV1Schema,
  InboundMessageV1Schema,
  OutboundMessageV1Schema,
  Subjects,
  inboundMsgId,
  inboundOrderKey,
  partitionOf,
  statusMsgId,
} from '@omnigate/contracts';
import type {
  Channel,
  ConversationEventV1,
  DeliveryState,
  InboundMessageV1,
  OutboundMessageV1,
} from '@omnigate/contracts';
import { KitModule } from '@omnigate/kit';
import type { RunningHttpApp } from '@omnigate/kit';
import {
  createTestDatabase,
  databaseEnvAs,
  inboundMessage,
  startNatsServer,
} from '@omnigate/testing';
import type { TestDatabase, TestNatsServer } from '@omnigate/testing';
import { bootstrap } from '../src/bootstrap';
import { CORE_EVENTS_SECRET, CORE_KEY, startCoreBanking } from './core-banking.harness';
import type { TestCoreBanking } from './core-banking.harness';

export const OUR_NUMBER = '+390212345678';

const DeadLetterSchema = z.object({
  consumer: z.string(),
  subject: z.string(),
  error: z.object({ code: z.string(), message: z.string() }),
  payload: z.string(),
});
export type DeadLetter = z.infer<typeof DeadLetterSchema>;

/** A real nats-server, a fresh database, the core-banking stand-in, the router, and a bus client. */
export interface RouterSystem {
  nats: TestNatsServer;
  db: TestDatabase;
  core: TestCoreBanking;
  router: RunningHttpApp;
  bus: TestingModule;
  env: NodeJS.ProcessEnv;
  events: ConversationEventV1[];
  outbound: OutboundMessageV1[];
  deadLetters: DeadLetter[];
  /**
   * Publishes an inbound message on its sender's partition, as a gateway does; `msgId` overrides
   * the JetStream dedupe id (to force a redelivery).
   */
  sendInbound(msg: InboundMessageV1, msgId?: string): Promise<void>;
  sendStatus(
    messageId: string,
    state: DeliveryState,
    channel?: InboundMessageV1['channel'],
  ): Promise<void>;
  /** Requests to the router, as the console and the in-app gateway make them. */
  rpc: BusClient;
  restartRouter(): Promise<void>;
  /** With `natsUsers`: a bus client logged in as that service's NATS user. */
  busAs(user: string): Promise<TestingModule>;
  /** With `natsUsers`: NATS_USER and NATS_PASS of that user, for an app or a CLI (else {}). */
  natsEnvOf(user: string): Record<string, string>;
  close(): Promise<void>;
}

export interface RouterSystemOptions {
  /**
   * Run nats-server with the real deploy/nats/nats-users.conf: the router connects as `router`,
   * `busAs(user)` as any service; the harness's own observer gets a user of its own.
   */
  natsUsers?: boolean;
}

const USERS_CONF = join(__dirname, '..', '..', '..', 'deploy', 'nats', 'nats-users.conf');
const OBSERVER = 'test-observer';
const passwordEnv = (user: string) => `NATS_PASS_${user.replace(/-/g, '_').toUpperCase()}`;

/** The real users file, plus an observer allowed everything (it reads what the router emits). */
function usersConfig(): { extraConfig: string; env: Record<string, string> } {
  const conf = readFileSync(USERS_CONF, 'utf8');
  const users = [...conf.matchAll(/user: "([^"]+)"/g)].map((m) => m[1]!).concat(OBSERVER);
  const env = Object.fromEntries(
    users.map((u) => [passwordEnv(u), 'p' + randomBytes(12).toString('hex')]),
  );
  const observer = `{\n      user: "${OBSERVER}"\n      password: $${passwordEnv(OBSERVER)}\n    }`;
  return { extraConfig: conf.replace('users = [', `users = [\n    ${observer}`), env };
}

export async function startRouterSystem(
  extraEnv: Record<string, string> = {},
  opts: RouterSystemOptions = {},
): Promise<RouterSystem> {
  const users = opts.natsUsers ? usersConfig() : null;
  const nats = await startNatsServer(users ?? {});
  const credentials = (user: string) =>
    users ? { user, pass: users.env[passwordEnv(user)], inboxPrefix: `_INBOX.${user}` } : {};
  const routerUser = users
    ? { NATS_USER: 'router', NATS_PASS: users.env[passwordEnv('router')]! }
    : {};
  const db = await createTestDatabase();
  const core = await startCoreBanking();
  const env: NodeJS.ProcessEnv = {
    NATS_URL: nats.url,
    // On PostgreSQL the router logs in as omnigate_router: its grants must be enough.
    ...databaseEnvAs(db, 'router'),
    ROUTER_PORT: '0',
    LOG_LEVEL: 'warn',
    CORE_BANKING_URL: core.apiUrl,
    CORE_BANKING_API_KEY: CORE_KEY,
    CORE_BANKING_TIMEOUT_MS: '500',
    CONTEXT_CACHE_TTL_MS: '300',
    // A short cooldown: a test that takes core banking down must not leave the breaker open for the next.
    CORE_BANKING_BREAKER_COOLDOWN_MS: '200',
    CORE_BANKING_EVENTS_SECRET: CORE_EVENTS_SECRET,
    ROUTER_INBOUND_BACKOFF_MS: '250',
    ROUTER_INBOUND_MAX_DELIVER: '4',
    ROUTER_ACK_WAIT_MS: '2000',
    PAN_TOKEN_KEY: 'router-test-pan-token-key',
    ...routerUser,
    ...extraEnv,
  };
  const bus = await Test.createTestingModule({
    imports: [
      KitModule,
      BusModule.forRoot({ url: nats.url, name: 'router-test', ...credentials(OBSERVER) }),
    ],
  }).compile();
  await bus.init();
  const extraBuses: TestingModule[] = [];
  const events: ConversationEventV1[] = [];
  const outbound: OutboundMessageV1[] = [];
  const deadLetters: DeadLetter[] = [];
  const sub = bus.get(BusSubscriber);
  sub.subscribe(
    Subjects.conversationEventAll,
    ConversationEventV1Schema,
    (e) => void events.push(e),
  );
  sub.subscribe(Subjects.outboundAll, OutboundMessageV1Schema, (m) => void outbound.push(m));
  sub.subscribe(Subjects.deadLetterAll, DeadLetterSchema, (d) => void deadLetters.push(d));
  const pub = bus.get(BusPublisher);
  let router = await bootstrap(env);

  const system: RouterSystem = {
    nats,
    db,
    core,
    get router() {
      return router;
    },
    bus,
    env,
    events,
    outbound,
    deadLetters,
    rpc: bus.get(BusClient),
    sendInbound: async (msg, msgId) => {
      // The sender's partition, as a gateway publishes it.
      const subject = Subjects.inboundPartitioned(msg.channel, partitionOf(inboundOrderKey(msg)));
      await pub.publish(subject, InboundMessageV1Schema, msg, {
        msgId: msgId ?? inboundMsgId(msg.channel, msg.providerMessageId),
      });
    },
    sendStatus: (messageId, state, channel = 'sms') =>
      publishStatus(pub, Subjects.status(channel), channel, messageId, state),
    restartRouter: async () => {
      await router.close();
      router = await bootstrap(env);
    },
    natsEnvOf: (user): Record<string, string> =>
      users ? { NATS_USER: user, NATS_PASS: users.env[passwordEnv(user)]! } : {},
    busAs: async (user) => {
      const mod = await Test.createTestingModule({
        imports: [
          KitModule,
          BusModule.forRoot({
            url: nats.url,
            name: user,
            publishTimeoutMs: 2000,
            ...credentials(user),
          }),
        ],
      }).compile();
      extraBuses.push(mod);
      await mod.init();
      return mod;
    },
    close: async () => {
      for (const m of extraBuses) await m.close().catch(() => undefined);
      await router?.close();
      await bus?.close();
      await core?.close();
      await db?.cleanup();
      await nats?.dispose();
    },
  };
  return system;
}

/** A delivery status as a gateway publishes it, on any subject (to play a lying gateway too). */
export async function publishStatus(
  pub: BusPublisher,
  subject: string,
  channel: Channel,
  messageId: string,
  state: DeliveryState,
): Promise<void> {
  await pub.publish(
    subject,
    DeliveryStatusV1Schema,
    {
      type: DELIVERY_STATUS_V1,
      version: 1,
      id: randomUUID(),
      occurredAt: new Date().toISOString(),
      channel,
      messageId,
      state,
    },
    { msgId: `${statusMsgId(messageId, state)}:${randomUUID()}` },
  );
}

/** The raw NATS connection of the test's bus client (to send requests a typed client would refuse). */
export function rawConnection(sys: RouterSystem) {
  return sys.bus.get(NatsConnection).connection();
}

/** An inbound message as a gateway would publish it (SMS from `from` by default). */
export function inbound(
  over: Partial<InboundMessageV1> & { from: InboundMessageV1['from'] },
): InboundMessageV1 {
  return inboundMessage({ to: { address: OUR_NUMBER }, ...over });
}

/** An in-app message from a logged-in app user (the gateway verified the JWT). */
export function inappMessage(
  appUserId: string,
  text: string,
  clientMsgId: string,
): InboundMessageV1 {
  return inbound({
    channel: 'inapp',
    providerMessageId: `inapp-${clientMsgId}`,
    from: { address: appUserId },
    to: { address: 'bank-app' },
    text,
    auth: {
      method: 'app_jwt',
      level: 'app_session',
      subject: appUserId,
      authenticatedAt: new Date().toISOString(),
    },
    meta: { clientMsgId },
  });
}

export type MessageCreated = Extract<ConversationEventV1['event'], { kind: 'message.created' }>;

/** The message.created events seen so far for a message text. */
export function createdFor(events: ConversationEventV1[], text: string): MessageCreated[] {
  return events
    .map((e) => e.event)
    .filter((e): e is MessageCreated => e.kind === 'message.created' && e.message.text === text);
}
