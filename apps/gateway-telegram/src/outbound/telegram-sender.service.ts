import { Injectable } from '@nestjs/common';
import type { OutboundMessageV1 } from '@omnigate/contracts';
import type { OutboundSender, SendFailure, SendResult } from '@omnigate/gateway-kit';
import { BLOCKED_REASON } from '../provider/telegram-errors.mapper';
import { TelegramBotClient } from '../provider/telegram-bot.client';
import type { SentMessage } from '../provider/telegram-bot.client';
import { TelegramSendError } from '../provider/telegram-send.errors';
import { toSendSteps } from './telegram-outbound.mapper';

/**
 * The Telegram side of the kit's send loop, its OutboundSender (msg.out.v1.telegram): the Bot
 * API calls of one message through telegraf, and Telegram's errors read as blocked (403,
 * recorded, never retried), rejected (400 chat not found...), retry after exactly Telegram's
 * retry_after (429) or retry (5xx, network). Telegram has no delivery receipts: `sent` is the
 * last state we can know.
 */
@Injectable()
export class TelegramSender implements OutboundSender {
  readonly acceptedState = 'sent';
  readonly blockedReason = BLOCKED_REASON;

  constructor(private readonly client: TelegramBotClient) {}

  recipientOf(msg: OutboundMessageV1): string {
    return msg.to.address.trim();
  }

  async send(msg: OutboundMessageV1, chatId: string): Promise<SendResult> {
    let first: SentMessage | null = null;
    for (const step of toSendSteps(msg)) {
      const sent =
        step.type === 'text'
          ? await this.client.sendText(chatId, step.text)
          : await this.client.sendMedia(chatId, step.media, step.caption);
      first ??= sent;
    }
    return { providerMessageId: first!.providerMessageId };
  }

  classify(e: unknown): SendFailure {
    if (!(e instanceof TelegramSendError)) return { kind: 'retry', code: 'TELEGRAM.SEND_FAILED' };
    switch (e.kind) {
      case 'retry_after':
        return { kind: 'retry', code: e.code, retryAfterMs: e.retryAfterMs ?? undefined };
      case 'retry':
        return { kind: 'retry', code: e.code };
      case 'blocked':
      case 'rejected':
        return { kind: e.kind, code: e.code, reason: e.reason };
    }
  }
}
