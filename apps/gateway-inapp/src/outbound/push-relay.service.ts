import { Injectable, Logger } from '@nestjs/common';
import type { OnApplicationBootstrap } from '@nestjs/common';
import { Subjects } from '@omnigate/contracts';
import { BusSubscriber } from '@omnigate/bus';
import { AppError } from '@omnigate/kit';
import { inappPushes } from '../inapp.metrics';
import { InappStatusService } from '../receipts/inapp-status.service';
import { ServerEvents } from '../socket/inapp-protocol.v1';
import { SocketRegistry } from '../socket/socket-registry.service';
import type { AppSocket } from '../socket/socket-registry.service';
import { InappPushV1Schema } from './inapp-push.mapper';
import type { InappPushV1 } from './inapp-push.mapper';

/**
 * Pushes awaiting the app's ack, per socket. An app that never acks would otherwise grow
 * socket.io's ack table for as long as it stays connected; past this it gets pushes without an
 * ack request and reports delivery with its `delivered` watermark instead.
 */
export const MAX_PENDING_ACKS = 256;

/**
 * Every instance hears every push and emits it to the sockets it holds for that user. The app's
 * ack of the emit is the 'delivered' status; without an ack the app still gets it on `resume`.
 */
@Injectable()
export class PushRelayService implements OnApplicationBootstrap {
  private readonly logger = new Logger('inapp-push');

  constructor(
    private readonly subscriber: BusSubscriber,
    private readonly registry: SocketRegistry,
    private readonly status: InappStatusService,
  ) {}

  onApplicationBootstrap(): void {
    this.subscriber.subscribe(Subjects.inappPushAll, InappPushV1Schema, (push) =>
      this.deliverLocally(push),
    );
  }

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
      this.status.publish(messageId, 'delivered').catch((e: unknown) =>
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
