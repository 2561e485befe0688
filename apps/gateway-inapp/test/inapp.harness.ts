import { randomUUID } from 'node:crypto';
import { SignJWT } from 'jose';
import { io } from 'socket.io-client';
import type { Socket } from 'socket.io-client';
import type { RunningHttpApp } from '@omnigate/kit';
import { IdentitiesRepository, MessagesRepository } from '@omnigate/store';
import type { AppendResult } from '@omnigate/store';
import { createTestDatabase, dumpStreams, startNatsServer } from '@omnigate/testing';
import type { TestDatabase, TestNatsServer } from '@omnigate/testing';
import { bootstrap } from '../src/bootstrap';

export const JWT_SECRET = 'inapp-test-secret-0123456789abcdef';
export const PAN_TOKEN_KEY = 'inapp-test-pan-key-0123';

export interface Infra {
  nats: TestNatsServer;
  db: TestDatabase;
  dispose(): Promise<void>;
}

export async function startInfra(): Promise<Infra> {
  const nats = await startNatsServer();
  const db = await createTestDatabase();
  return {
    nats,
    db,
    dispose: async () => {
      await db.cleanup();
      await nats.dispose();
    },
  };
}

/** One gateway instance in this process, on a random port, HS256 unless `env` says otherwise. */
export async function startGateway(
  infra: Infra,
  env: Record<string, string> = {},
): Promise<RunningHttpApp> {
  const keys = env.INAPP_JWKS_URL ? {} : { INAPP_JWT_SECRET: JWT_SECRET };
  return bootstrap({
    NATS_URL: infra.nats.url,
    ...infra.db.env,
    PAN_TOKEN_KEY,
    INAPP_GATEWAY_PORT: '0',
    LOG_LEVEL: 'warn',
    ...keys,
    ...env,
  });
}

export function appToken(
  sub: string,
  opts: { expiresInS?: number; secret?: string; claims?: Record<string, unknown> } = {},
): Promise<string> {
  const now = Math.floor(Date.now() / 1000);
  return new SignJWT({ ...opts.claims })
    .setProtectedHeader({ alg: 'HS256' })
    .setSubject(sub)
    .setIssuedAt(now)
    .setExpirationTime(now + (opts.expiresInS ?? 3600))
    .sign(new TextEncoder().encode(opts.secret ?? JWT_SECRET));
}

/** Sockets opened by a test file; close them all in afterEach. */
export class SocketPool {
  private readonly open: Socket[] = [];

  /** A socket.io client as the bank's app opens it (websocket, no auto-reconnect in tests). */
  client(
    url: string,
    auth: Record<string, unknown> | undefined,
    query?: Record<string, string>,
  ): Socket {
    const socket = io(url, {
      auth,
      query,
      transports: ['websocket'],
      reconnection: false,
      forceNew: true,
    });
    this.open.push(socket);
    return socket;
  }

  async connect(url: string, token: string): Promise<Socket> {
    const socket = this.client(url, { token });
    await new Promise<void>((resolve, reject) => {
      socket.once('connect', resolve);
      socket.once('connect_error', reject);
    });
    return socket;
  }

  /** The connect_error a refused handshake produces. */
  async refusal(
    url: string,
    auth: Record<string, unknown> | undefined,
    query?: Record<string, string>,
  ): Promise<Error & { data?: unknown }> {
    const socket = this.client(url, auth, query);
    return new Promise((resolve, reject) => {
      socket.once('connect', () => reject(new Error('the handshake was accepted')));
      socket.once('connect_error', (e: Error & { data?: unknown }) => resolve(e));
    });
  }

  closeAll(): void {
    for (const s of this.open.splice(0)) s.close();
  }
}

/** A bank customer whose app user id is linked, with an open conversation seeded by a first message. */
export async function seedCustomer(
  app: RunningHttpApp,
  sub: string,
  firstText = 'primo messaggio',
): Promise<AppendResult> {
  const identities = app.app.get(IdentitiesRepository);
  const linked = await identities.link({
    channel: 'inapp',
    address: sub,
    coreRef: `core-${sub}`,
    displayName: null,
    linkMethod: 'app_jwt',
    assurance: 'app_session',
  });
  return appendInbound(app, linked.customer.id, 'inapp', sub, firstText);
}

export async function appendInbound(
  app: RunningHttpApp,
  customerId: string,
  channel: string,
  address: string,
  body: string,
): Promise<AppendResult> {
  const pmid = randomUUID();
  return app.app.get(MessagesRepository).appendInbound({
    customerId,
    channel,
    address,
    ourAddress: 'app',
    kind: 'text',
    body,
    attachments: [],
    providerMessageId: pmid,
    dedupeKey: `${channel}:${pmid}`,
    clientMsgId: null,
    receivedAt: new Date(),
  });
}

export async function appendOutbound(
  app: RunningHttpApp,
  conversationId: string,
  address: string,
  body: string,
  channel = 'inapp',
): Promise<AppendResult> {
  return app.app.get(MessagesRepository).appendOutbound({
    conversationId,
    channel,
    address,
    body,
    authorKind: 'agent',
    authorId: 'agent-1',
    dedupeKey: `reply:${randomUUID()}`,
  });
}

/** The messages stored on one subject of a stream, parsed (read raw from JetStream). */
export async function streamMessages<T>(
  infra: Infra,
  stream: string,
  subject: string,
): Promise<T[]> {
  const dump = await dumpStreams(infra.nats.url, [stream]);
  return dump
    .filter((line) => line.startsWith(`${subject} `))
    .map((line) => JSON.parse(line.slice(subject.length + 1)) as T);
}
