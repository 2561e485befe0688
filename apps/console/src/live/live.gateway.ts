import { Inject, Logger } from '@nestjs/common';
import type { OnModuleDestroy } from '@nestjs/common';
import { WebSocketGateway, WebSocketServer } from '@nestjs/websockets';
import type { OnGatewayConnection, OnGatewayDisconnect, OnGatewayInit } from '@nestjs/websockets';
import type { Namespace, Socket } from 'socket.io';
import { SKILLS } from '@omnigate/contracts';
import { AppError, gauge } from '@omnigate/kit';
import { SessionTokenService } from '../auth/session-token.service';
import type { AgentSession } from '../auth/session-token.service';
import { ConsoleUnauthorizedError } from '../auth/auth.errors';
import { Clock } from '../auth/clock.port';
import { SESSION_COOKIE, parseCookies } from '../auth/cookie.mapper';
import { CONSOLE_CONFIG } from '../config/console.config';
import type { ConsoleConfig } from '../config/console.config';
import { seesAllQueues } from '../privacy/roles';
import { LIVE_NAMESPACE, LiveEvents } from './live.dto';

/** Supervisors, admins, dpos: every event, unmasked. */
const ALL_QUEUES_ROOM = 'all-queues';
/** Agents who belong to every queue: they also get events whose queue is unknown here. */
const EVERY_QUEUE_AGENTS_ROOM = 'agents:every-queue';
/** Agents of one queue: that queue's events, masked. */
const queueRoom = (queue: string): string => `queue:${queue}`;
const MAX_TIMER_MS = 2_147_483_647;

const connected = gauge('omnigate_console_live_sockets', 'Agent sockets connected to /live');

interface LiveSocketData {
  session: AgentSession;
  /** The credential it connected with: checked again every CONSOLE_SESSION_RECHECK_SEC. */
  token: string;
  expiryTimer?: NodeJS.Timeout;
}

/** The rooms a session joins. Pure. */
export function roomsFor(session: Pick<AgentSession, 'role' | 'queues'>): string[] {
  if (seesAllQueues(session.role)) return [ALL_QUEUES_ROOM];
  const rooms = session.queues.map(queueRoom);
  const everyQueue = SKILLS.every((q) => session.queues.includes(q));
  return everyQueue ? [...rooms, EVERY_QUEUE_AGENTS_ROOM] : rooms;
}

/**
 * Socket.io `/live`: agents connect with `auth: { token }` (the login token) or, from the web UI,
 * with the `og_session` cookie. Nest guards do not run on connect, so the session is checked in a
 * namespace middleware; a refused socket gets `connect_error` whose message is the code
 * (CONSOLE.UNAUTHORIZED / TOKEN_INVALID / TOKEN_EXPIRED). Each socket joins the rooms of its
 * session's queues: an agent receives only the events of conversations in their queues.
 */
// Agents only listen: small frames suffice. The web UI bundles its own client (no /socket.io/socket.io.js).
@WebSocketGateway({ namespace: LIVE_NAMESPACE, serveClient: false, maxHttpBufferSize: 16 * 1024 })
export class LiveGateway
  implements
    OnGatewayInit<Namespace>,
    OnGatewayConnection<Socket>,
    OnGatewayDisconnect<Socket>,
    OnModuleDestroy
{
  private readonly logger = new Logger('console-live');
  @WebSocketServer() private server: Namespace;
  private readonly recheckMs: number;
  private recheckTimer?: NodeJS.Timeout;

  constructor(
    private readonly tokens: SessionTokenService,
    private readonly clock: Clock,
    @Inject(CONSOLE_CONFIG) config: ConsoleConfig,
  ) {
    this.recheckMs = config.CONSOLE_SESSION_RECHECK_SEC * 1000;
    // Sessions this instance ends (logout, an admin's revoke) close their sockets at once.
    tokens.onRevoked((ids) => this.endSessions(new Set(ids), 'CONSOLE.SESSION_REVOKED'));
  }

  afterInit(ns: Namespace): void {
    ns.use((socket, next) => {
      this.authenticate(socket).then(
        ({ session, token }) => {
          Object.assign(socket.data as LiveSocketData, { session, token });
          next();
        },
        (e: unknown) => {
          const err = e instanceof AppError ? e : new ConsoleUnauthorizedError();
          this.logger.warn({ msg: 'live connection refused', code: err.code });
          next(
            Object.assign(new Error(err.code), { data: { code: err.code, message: err.message } }),
          );
        },
      );
    });
    // Sessions ended by another instance: every socket's session is read again now and then.
    this.recheckTimer = setInterval(() => void this.recheckAll(), this.recheckMs);
    this.recheckTimer.unref();
  }

  onModuleDestroy(): void {
    clearInterval(this.recheckTimer);
  }

  handleConnection(socket: Socket): void {
    const data = socket.data as LiveSocketData;
    void socket.join(roomsFor(data.session));
    // The socket does not outlive the session (revocation ends it earlier: endSessions).
    const ms = Math.min(Math.max(data.session.expiresAt - this.clock.now(), 0), MAX_TIMER_MS);
    data.expiryTimer = setTimeout(() => {
      socket.emit(LiveEvents.sessionExpired, { code: 'CONSOLE.TOKEN_EXPIRED' });
      socket.disconnect(true);
    }, ms);
    data.expiryTimer.unref();
    connected.inc();
    this.logger.log({ msg: 'agent connected to live', agentId: data.session.agentId });
  }

  handleDisconnect(socket: Socket): void {
    const data = socket.data as Partial<LiveSocketData>;
    if (!data.session) return;
    clearTimeout(data.expiryTimer);
    connected.dec();
  }

  /**
   * One conversation's event: `full` to the roles that see every queue, `masked` to the agents of
   * `queues` (null: the queue is unknown, so only agents of every queue get it).
   */
  relay(queues: ReadonlyArray<string | null>, event: string, full: unknown, masked: unknown): void {
    this.server.to(ALL_QUEUES_ROOM).emit(event, full);
    const rooms = queues.map((q) => (q === null ? EVERY_QUEUE_AGENTS_ROOM : queueRoom(q)));
    this.server.to(rooms).emit(event, masked);
  }

  /** Disconnects the sockets of these sessions, telling them why. */
  private endSessions(ids: ReadonlySet<string>, code: string): void {
    for (const socket of this.server?.sockets.values() ?? []) {
      const data = socket.data as Partial<LiveSocketData>;
      if (data.session && ids.has(data.session.sessionId)) this.end(socket, code);
    }
  }

  private end(socket: Socket, code: string): void {
    socket.emit(LiveEvents.sessionExpired, { code });
    socket.disconnect(true);
  }

  private async recheckAll(): Promise<void> {
    for (const socket of [...(this.server?.sockets.values() ?? [])]) {
      const data = socket.data as Partial<LiveSocketData>;
      if (!data.token) continue;
      try {
        await this.tokens.verify(data.token);
      } catch (e) {
        // Only a verdict on the session ends the socket; a database hiccup does not.
        if (e instanceof AppError && /UNAUTHORIZED|TOKEN_|SESSION_REVOKED/.test(e.code)) {
          this.end(socket, e.code);
        }
      }
    }
  }

  private async authenticate(socket: Socket): Promise<{ session: AgentSession; token: string }> {
    const token = (socket.handshake.auth as { token?: unknown } | undefined)?.token;
    if (typeof token === 'string' && token.length > 0) {
      return { session: await this.tokens.verify(token), token };
    }
    const { cookie, origin, host } = socket.handshake.headers;
    const fromCookie = parseCookies(cookie)[SESSION_COOKIE];
    if (!fromCookie) throw new ConsoleUnauthorizedError('missing auth.token or og_session cookie');
    // A page of another site must not ride the browser's cookie (cross-site WebSocket hijacking).
    if (origin !== undefined && !sameHost(origin, host)) {
      throw new ConsoleUnauthorizedError('the og_session cookie is accepted from this site only');
    }
    return { session: await this.tokens.verify(fromCookie), token: fromCookie };
  }
}

function sameHost(origin: string, host: string | undefined): boolean {
  try {
    return new URL(origin).host === host;
  } catch {
    return false;
  }
}
