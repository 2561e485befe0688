import { Injectable } from '@nestjs/common';
import { StatusPublisher } from '@omnigate/gateway-kit';
import { RouterConversationClient } from '../conversation/router-conversation.client';
import { dueForWatermark } from './receipts.mapper';
import type { InappState } from './receipts.mapper';

export interface WatermarkResult {
  conversationId: string | null;
  /** Messages that got a new status. */
  updated: number;
}

/**
 * The app's `delivered` / `read` watermarks as statuses of each message they cover ('sent' is the
 * send loop's, a single 'delivered' the push relay's); the kit's StatusPublisher publishes them,
 * one per message and state.
 */
@Injectable()
export class InappStatusService {
  constructor(
    private readonly statuses: StatusPublisher,
    private readonly router: RouterConversationClient,
  ) {}

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
    for (const row of due) await this.statuses.publish(row.id, state);
    return { conversationId, updated: due.length };
  }
}
