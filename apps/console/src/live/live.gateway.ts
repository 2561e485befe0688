import { Logger } from '@nestjs/common';
import { WebSocketGateway, WebSocketServer } from '@nestjs/websockets';
import type { OnGatewayConnection, OnGatewayDisconnect, OnGatewayInit } from '@nestjs/websockets';
import type { Namespace, Socket } from 'socket.io';
import { AppError, gauge } from '@omnigate/kit';
import { SessionTokenService } from '../auth/session-token.service';
import type { AgentSession } from '../auth/session-token.service';
import { ConsoleUnauthorizedError } from '../auth/auth.errors';
import { Clock } from '../auth/clock.port';
import { LIVE_NAMESPACE, LiveEvents } from './live.dto';

/** Every authenticated agent. Issue 6 adds one room per queue and filters by the agent's queues. */
const AGENTS_ROOM = 'agents';
const MAX_TIMER_MS = 2_147_483_647;

const connected = gauge('omnigate_console_live_sockets', 'Agent sockets connected to /live');

interface LiveSocketData {
  session: AgentSession;
  expiryTimer?: NodeJS.Timeout;
}

/**
 * Socket.io `/live`: agents connect with `auth: { token }` (the login token). Nest guards do not
 * run on connect, so the token is checked in a namespace middleware; a refused socket gets
 * `connect_error` whose message is the code (CONSOLE.UNAUTHORIZED / TOKEN_INVALID / TOKEN_EXPIRED).
 */
// Agents only listen: small frames suffice. The web UI bundles its own client (no /socket.io/socket.io.js).
@WebSocketGateway({ namespace: LIVE_NAMESPACE, serveClient: false, maxHttpBufferSize: 16 * 1024 })
export class LiveGateway
  implements OnGatewayInit<Namespace>, OnGatewayConnection<Socket>, OnGatewayDisconnect<Socket>
{
  private readonly logger = new Logger('console-live');
  @WebSocketServer() private server: Namespace;

  constructor(
    private readonly tokens: SessionTokenService,
    private readonly clock: Clock,
  ) {}

  afterInit(ns: Namespace): void {
    ns.use((socket, next) => {
      try {
        (socket.data as LiveSocketData).session = this.authenticate(socket);
        next();
      } catch (e) {
        const err = e instanceof AppError ? e : new ConsoleUnauthorizedError();
        this.logger.warn({ msg: 'live connection refused', code: err.code });
        next(
          Object.assign(new Error(err.code), { data: { code: err.code, message: err.message } }),
        );
      }
    });
  }

  handleConnection(socket: Socket): void {
    const data = socket.data as LiveSocketData;
    void socket.join(AGENTS_ROOM);
    // A stateless token cannot be revoked: at least the socket does not outlive the session.
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

  /** Sends to every connected agent (issue 6: to the rooms of the conversation's queue only). */
  broadcast(event: string, payload: unknown): void {
    this.server.to(AGENTS_ROOM).emit(event, payload);
  }

  private authenticate(socket: Socket): AgentSession {
    const token = (socket.handshake.auth as { token?: unknown } | undefined)?.token;
    if (typeof token !== 'string' || token.length === 0) {
      throw new ConsoleUnauthorizedError('missing auth.token');
    }
    return this.tokens.verify(token);
  }
}
