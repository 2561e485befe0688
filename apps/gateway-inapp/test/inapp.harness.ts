import { randomUUID } from 'node:crypto';
import { SignJWT } from 'jose';
import { io } from 'socket.io-client';
import type { Socket } from 'socket.io-client';
import type { RunningHttpApp } from '@omnigate/kit';
import {
  dumpStreams,
  startGatewaySystem,
  startNatsServer,
  subjectMatches,
  waitReady,
} from '@omnigate/testing';
import type { GatewaySystem, GatewaySystemOptions, TestNatsServer } from '@omnigate/testing';
import { bootstrap } from '../src/bootstrap';
// Test-only: the real router answers the gateway's history, receipts and typing requests (the
// gateway has no database); tests seed the router's tables through its repositories. Production
// code of the gateway never imports another app.
import { startRouterSystem } from '../../router/test/router.harness';
import type { RouterSystem } from '../../router/test/router.harness';
import { IdentitiesRepository, MessagesRepository } from '../../router/test/router-store';
import type { AppendResult } from '../../router/test/router-store';

export const JWT_SECRET = 'inapp-test-secret-0123456789abcdef';
/** A public key only (`<kid>:<base64url of 32 bytes>`): all an edge holds. */
export const VAULT_PUBLIC_KEY = `vault-t1:${Buffer.alloc(32, 9).toString('base64url')}`;

export interface Infra {
  nats: TestNatsServer;
  /** The router (with its database) when the test needs one. */
  router: RouterSystem | null;
  dispose(): Promise<void>;
}

/** A nats-server, and with `router` a whole router system (database, core-banking stand-in) on it. */
export async function startInfra(opts: { router?: boolean } = {}): Promise<Infra> {
  if (opts.router) {
    // Agents answer here: no bot replies in between.
    const router = await startRouterSystem({ ROUTER_BOT_ENABLED: 'false' });
    return { nats: router.nats, router, dispose: () => router.close() };
  }
  const nats = await startNatsServer();
  return { nats, router: null, dispose: () => nats.dispose() };
}

/** The gateway's own keys, HS256 unless `env` names a JWKS; tests send quickly again. */
function inappEnv(env: Record<string, string>): Record<string, string> {
  const keys: Record<string, string> = env.INAPP_JWKS_URL ? {} : { INAPP_JWT_SECRET: JWT_SECRET };
  return { INAPP_SEND_BACKOFF_MS: '150', ...keys, ...env };
}

/**
 * One gateway instance in this process, on a random port, beside a router system (or a bare
 * nats-server whose streams a test creates): no database, no data key, no card token key in its
 * environment. Resolves once it is ready.
 */
export async function startGateway(
  infra: { nats: TestNatsServer },
  env: Record<string, string> = {},
): Promise<RunningHttpApp> {
  const gateway = await bootstrap({
    NATS_URL: infra.nats.url,
    VAULT_PUBLIC_KEY,
    INAPP_GATEWAY_PORT: '0',
    LOG_LEVEL: 'warn',
    ...inappEnv(env),
  });
  // As a load balancer would: traffic once ready (the gateway has found the router's streams).
  await waitReady(gateway.url);
  return gateway;
}

export type InappSystem = GatewaySystem;

/**
 * The in-app gateway alone on the shared gateway test system (libs/testing startGatewaySystem):
 * an environment with no database and no data key (refused otherwise), the vault's key pair, a
 * probe standing in for the router. For what needs no answer from the router.
 */
export function startInappSystem(
  env: Record<string, string> = {},
  opts: Pick<
    GatewaySystemOptions,
    'nats' | 'probeAuth' | 'waitReady' | 'probeDeclaresStreams'
  > = {},
): Promise<InappSystem> {
  return startGatewaySystem({
    channel: 'inapp',
    ...opts,
    gateway: {
      start: bootstrap,
      env: (u) => inappEnv({ INAPP_GATEWAY_PORT: String(u.gatewayPort), ...env }),
    },
  });
}

export function appToken(
  sub: string,
  opts: { expiresInS?: number; secret?: string; claims?: Record<string, unknown> } = {},
): Promise<string> {
  const now = Math.floor(Date.now() / 1000);
  // As an IdP at login: auth_time is the login (`claims: { auth_time: undefined }` leaves it out).
  return new SignJWT({ auth_time: now, ...opts.claims })
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
  infra: Infra,
  sub: string,
  firstText = 'primo messaggio',
): Promise<AppendResult> {
  const identities = routerOf(infra).get(IdentitiesRepository);
  const linked = await identities.link({
    channel: 'inapp',
    address: sub,
    coreRef: `core-${sub}`,
    displayName: null,
    linkMethod: 'app_jwt',
    assurance: 'app_session',
  });
  return appendInbound(infra, linked.customer.id, 'inapp', sub, firstText);
}

function routerOf(infra: Infra) {
  if (!infra.router) throw new Error('start the infra with { router: true }');
  return infra.router.router.app;
}

export async function appendInbound(
  infra: Infra,
  customerId: string,
  channel: string,
  address: string,
  body: string,
): Promise<AppendResult> {
  const pmid = randomUUID();
  return routerOf(infra)
    .get(MessagesRepository)
    .appendInbound({
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
  infra: Infra,
  conversationId: string,
  address: string,
  body: string,
  channel = 'inapp',
): Promise<AppendResult> {
  return routerOf(infra)
    .get(MessagesRepository)
    .appendOutbound({
      conversationId,
      channel,
      address,
      body,
      authorKind: 'agent',
      authorId: 'agent-1',
      dedupeKey: `reply:${randomUUID()}`,
    });
}

/**
 * The messages stored on one subject of a stream, or on those a wildcard filter matches
 * (`msg.in.v1.inapp.*`), parsed (read raw from JetStream).
 */
export async function streamMessages<T>(
  infra: Infra,
  stream: string,
  subject: string,
): Promise<T[]> {
  const dump = await dumpStreams(infra.nats.url, [stream]);
  return dump.flatMap((line) => {
    const space = line.indexOf(' ');
    if (!subjectMatches(subject, line.slice(0, space))) return [];
    return [JSON.parse(line.slice(space + 1)) as T];
  });
}
