import { randomUUID } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import {
  DeliveryStatusV1Schema,
  Subjects,
  deliveryStatusV1,
  statusMsgId,
} from '@omnigate/contracts';
import { BusPublisher } from '@omnigate/bus';
import { RouterConversationClient } from '../conversation/router-conversation.client';
import { dueForWatermark } from './receipts.mapper';
import type { InappState } from './receipts.mapper';

export interface WatermarkResult {
  conversationId: string | null;
  /** Messages that got a new status. */
  updated: number;
}

/** Publishes the in-app delivery states: 'sent' (pushed), 'delivered' (app acked), 'read' (watermark). */
@Injectable()
export class InappStatusService {
  constructor(
    private readonly bus: BusPublisher,
    private readonly router: RouterConversationClient,
  ) {}

  /** Idempotent: one status per message and state (Nats-Msg-Id). Throws BUS.UNAVAILABLE. */
  async publish(messageId: string, state: InappState): Promise<void> {
    await this.bus.publish(
      Subjects.status('inapp'),
      DeliveryStatusV1Schema,
      deliveryStatusV1('inapp', messageId, state, {}, randomUUID(), new Date()),
      {
        msgId: statusMsgId(messageId, state),
      },
    );
  }

  /** `delivered {upToSeq}` / `read {upToSeq}` from the app: every outbound in-app message up to it. */
  async watermark(
    sub: string,
    state: Exclude<InappState, 'sent'>,
    upToSeq: number,
  ): Promise<WatermarkResult> {
    // The router says which messages this user was sent (their customer's open conversation).
    const { conversationId, outbound } = await this.router.receipts(sub, upToSeq);
    if (!conversationId) return { conversationId: null, updated: 0 };
    const due = dueForWatermark(outbound, state, upToSeq);
    for (const row of due) await this.publish(row.id, state);
    return { conversationId, updated: due.length };
  }
}
