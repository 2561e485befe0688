import { Inject, Logger } from '@nestjs/common';
import {
  Ack,
  ConnectedSocket,
  MessageBody,
  SubscribeMessage,
  WebSocketGateway,
} from '@nestjs/websockets';
import type { OnGatewayConnection, OnGatewayDisconnect, OnGatewayInit } from '@nestjs/websockets';
import type { Server } from 'socket.io';
import type { z } from 'zod';
import { AppError, TrustedProxies, rateLimitMiddleware } from '@omnigate/kit';
import { AppTokenService } from '../auth/app-token.service';
import { INAPP_CONFIG } from '../config/gateway-inapp.config';
import type { GatewayInappConfig } from '../config/gateway-inapp.config';
import { RouterConversationClient } from '../conversation/router-conversation.client';
import { inappAuthFailures, inappConnections } from '../inapp.metrics';
import { InappInboundService } from '../inbound/inapp-inbound.service';
import { InappStatusService } from '../receipts/inapp-status.service';
import { TypingService } from '../typing/typing.service';
import {
  ClientEvents,
  ResumeRequestSchema,
  ServerEvents,
  TypingRequestSchema,
  WatermarkSchema,
  ackError,
  describeIssues,
} from './inapp-protocol.v1';
import type { Ack as AckReply } from './inapp-protocol.v1';
import { EXPIRED_MESSAGE, SessionExpiry } from './session-expiry.service';
import { SocketRegistry } from './socket-registry.service';
import type { AppSocket } from './socket-registry.service';

type AckFn = (reply: AckReply) => void;

/**
 * The app's socket. Auth runs as socket.io middleware (Nest guards do not run on connect): a
 * refused handshake reaches the client as `connect_error` with the code in message and data.
 * Handlers stay thin: the services hold the rules.
 */
@WebSocketGateway({ serveClient: false, maxHttpBufferSize: 64 * 1024 })
export class InappGateway implements OnGatewayInit, OnGatewayConnection, OnGatewayDisconnect {
  private readonly logger = new Logger('inapp-gateway');

  constructor(
    private readonly tokens: AppTokenService,
    private readonly registry: SocketRegistry,
    private readonly inbound: InappInboundService,
    private readonly conversations: RouterConversationClient,
    private readonly status: InappStatusService,
    private readonly typing: TypingService,
    private readonly expiry: SessionExpiry,
    @Inject(INAPP_CONFIG) private readonly config: GatewayInappConfig,
  ) {}

  afterInit(server: Server): void {
    // Per source IP, before any token check: a flood of handshakes gets 429 + Retry-After. The
    // source is the client behind a trusted proxy (TRUSTED_PROXIES), the TCP peer otherwise.
    const proxies = new TrustedProxies(this.config.TRUSTED_PROXIES);
    server.engine.use(
      rateLimitMiddleware(
        'gateway-inapp',
        {
          burst: this.config.WEBHOOK_RATE_BURST,
          perMinute: this.config.WEBHOOK_RATE_PER_MINUTE,
        },
        (req) => proxies.clientOf(req),
      ),
    );
    server.use((socket: AppSocket, next) => {
      const auth = socket.handshake.auth as Record<string, unknown> | undefined;
      this.tokens.verify(auth?.token).then(
        (principal) => {
          socket.data.principal = principal;
          next();
        },
        (e: unknown) => next(this.refusal(e)),
      );
    });
  }

  handleConnection(socket: AppSocket): void {
    this.registry.add(socket);
    inappConnections.inc();
    this.expiry.arm(socket);
  }

  handleDisconnect(socket: AppSocket): void {
    this.expiry.disarm(socket);
    if (this.registry.remove(socket)) inappConnections.dec();
    void this.typing.socketGone(socket);
  }

  @SubscribeMessage(ClientEvents.message)
  async onMessage(
    @ConnectedSocket() socket: AppSocket,
    @MessageBody() body: unknown,
    @Ack() ack: unknown,
  ): Promise<void> {
    if (!this.stillValid(socket, ClientEvents.message, ack)) return;
    this.reply(
      socket,
      ClientEvents.message,
      ack,
      await this.inbound.accept(socket.data.principal, body),
    );
  }

  @SubscribeMessage(ClientEvents.resume)
  async onResume(
    @ConnectedSocket() socket: AppSocket,
    @MessageBody() body: unknown,
    @Ack() ack: unknown,
  ): Promise<void> {
    await this.handle(
      socket,
      ClientEvents.resume,
      ack,
      ResumeRequestSchema,
      body,
      'INAPP.RESUME_INVALID',
      async (req) => ({
        ok: true,
        // The user is the verified JWT's subject; the router picks what that user may see.
        ...(await this.conversations.history(socket.data.principal.sub, req.lastSeq)),
      }),
    );
  }

  @SubscribeMessage(ClientEvents.typing)
  async onTyping(
    @ConnectedSocket() socket: AppSocket,
    @MessageBody() body: unknown,
    @Ack() ack: unknown,
  ): Promise<void> {
    await this.handle(
      socket,
      ClientEvents.typing,
      ack,
      TypingRequestSchema,
      body,
      'INAPP.TYPING_INVALID',
      async (req) => {
        await this.typing.fromCustomer(socket, req.state);
        return { ok: true };
      },
    );
  }

  @SubscribeMessage(ClientEvents.delivered)
  onDelivered(
    @ConnectedSocket() socket: AppSocket,
    @MessageBody() body: unknown,
    @Ack() ack: unknown,
  ): Promise<void> {
    return this.watermark(socket, 'delivered', body, ack);
  }

  @SubscribeMessage(ClientEvents.read)
  onRead(
    @ConnectedSocket() socket: AppSocket,
    @MessageBody() body: unknown,
    @Ack() ack: unknown,
  ): Promise<void> {
    return this.watermark(socket, 'read', body, ack);
  }

  /** `delivered {upToSeq}` / `read {upToSeq}`: a status for each outbound message up to it. */
  private watermark(
    socket: AppSocket,
    state: 'delivered' | 'read',
    body: unknown,
    ack: unknown,
  ): Promise<void> {
    return this.handle(
      socket,
      ClientEvents[state],
      ack,
      WatermarkSchema,
      body,
      'INAPP.RECEIPT_INVALID',
      async (req) => ({
        ok: true,
        ...(await this.status.watermark(socket.data.principal.sub, state, req.upToSeq)),
      }),
    );
  }

  /** Validate, run, answer; any failure becomes an error reply with a stable code, never a crash. */
  private async handle<S extends z.ZodType>(
    socket: AppSocket,
    event: string,
    ack: unknown,
    schema: S,
    body: unknown,
    invalidCode: string,
    run: (req: z.infer<S>) => Promise<AckReply>,
  ): Promise<void> {
    if (!this.stillValid(socket, event, ack)) return;
    const parsed = schema.safeParse(body);
    if (!parsed.success) {
      return this.reply(socket, event, ack, ackError(invalidCode, describeIssues(parsed.error)));
    }
    let result: AckReply;
    try {
      result = await run(parsed.data);
    } catch (e) {
      const code = e instanceof AppError ? e.code : 'INTERNAL';
      if (!(e instanceof AppError)) {
        this.logger.error(
          { msg: 'socket event failed', event, socketId: socket.id },
          e instanceof Error ? e : undefined,
        );
      }
      result = ackError(code, e instanceof AppError ? e.message : 'internal error: try again');
    }
    this.reply(socket, event, ack, result);
  }

  /** Answers through the ack callback; without one, only an error is worth a `protocol_error`. */
  private reply(socket: AppSocket, event: string, ack: unknown, result: AckReply): void {
    if (typeof ack === 'function') (ack as AckFn)(result);
    else if (!result.ok) socket.emit(ServerEvents.protocolError, { event, ...result.error });
  }

  /** No event is served on an expired token, even if the timer has not fired yet. */
  private stillValid(socket: AppSocket, event: string, ack: unknown): boolean {
    if (!this.expiry.isExpired(socket)) return true;
    this.reply(socket, event, ack, ackError('INAPP.TOKEN_EXPIRED', EXPIRED_MESSAGE));
    this.expiry.expire(socket);
    return false;
  }

  private refusal(e: unknown): Error & { data?: unknown } {
    const code = e instanceof AppError ? e.code : 'INAPP.TOKEN_INVALID';
    const message = e instanceof AppError ? e.message : 'the login token was refused';
    inappAuthFailures.inc({ code });
    this.logger.warn({ msg: 'app socket refused', code });
    const err: Error & { data?: unknown } = new Error(code);
    err.data = { code, message };
    return err;
  }
}
