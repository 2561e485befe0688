import { Controller, Logger } from '@nestjs/common';
import { OnBroadcast } from '@omnigate/bus';
import { BroadcastSubjects } from '@omnigate/contracts';
import type { InappPushV1 } from '@omnigate/contracts';
import { StatusPublisher } from '@omnigate/gateway-kit';
import { AppError } from '@omnigate/kit';
import { inappPushes } from '../inapp.metrics';
import { ServerEvents } from '../socket/inapp-protocol.v1';
import { SocketRegistry } from '../socket/socket-registry.service';
import type { AppSocket } from '../socket/socket-registry.service';

/**
 * Pushes awaiting the app's ack, per socket. An app that never acks would otherwise grow
 * socket.io's ack table for as long as it stays connected; past this it gets pushes without an
 * ack request and reports delivery with its `delivered` watermark instead.
 */
export const MAX_PENDING_ACKS = 256;

/**
 * Every instance hears every push (`@OnBroadcast`, core NATS) and emits it to the sockets it
 * holds for that user. The app's ack of the emit is the 'delivered' status; without an ack the
 * app still gets it on `resume`.
 */
@Controller()
export class PushRelayHandler {
  private readonly logger = new Logger('inapp-push');

  constructor(
    private readonly registry: SocketRegistry,
    private readonly statuses: StatusPublisher,
  ) {}

  @OnBroadcast(BroadcastSubjects.inappPush)
  deliverLocally(push: InappPushV1): void {
    for (const socket of this.registry.socketsOf(push.appUserId)) this.emit(socket, push);
  }

  /**
   * No socket.io ack timeout on purpose: its timer outlives a closed socket, and a late ack still
   * proves delivery. The table of pending acks is bounded instead (MAX_PENDING_ACKS).
   */
  private emit(socket: AppSocket, push: InappPushV1): void {
    const messageId = push.message.id;
    // A step-up request travels as the message's `action` (answered with POST /v1/approvals/:id).
    const payload = push.action ? { ...push.message, action: push.action } : push.message;
    if ((socket.data.pendingAcks ?? 0) >= MAX_PENDING_ACKS) {
      socket.emit(ServerEvents.message, payload);
      inappPushes.inc({ result: 'emitted_without_ack' });
      return;
    }
    socket.data.pendingAcks = (socket.data.pendingAcks ?? 0) + 1;
    inappPushes.inc({ result: 'emitted' });
    socket.emit(ServerEvents.message, payload, () => {
      socket.data.pendingAcks = (socket.data.pendingAcks ?? 1) - 1;
      inappPushes.inc({ result: 'acked' });
      this.statuses.publish(messageId, 'delivered').catch((e: unknown) =>
        // The app's `delivered` watermark reports it again later.
        this.logger.warn({
          msg: 'delivered status not published',
          messageId,
          code: e instanceof AppError ? e.code : 'INTERNAL',
        }),
      );
    });
  }
}
