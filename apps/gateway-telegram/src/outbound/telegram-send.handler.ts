import { Inject, Injectable, Logger } from '@nestjs/common';
import type { OnApplicationBootstrap } from '@nestjs/common';
import { BusConsumers, RetryAfterError, Streams, TransientError } from '@omnigate/bus';
import { OutboundMessageV1Schema, Subjects } from '@omnigate/contracts';
import type { OutboundMessageV1 } from '@omnigate/contracts';
import { MessagesRepository, SentLedger } from '@omnigate/store';
import { TELEGRAM_CONFIG } from '../config/gateway-telegram.config';
import type { GatewayTelegramConfig } from '../config/gateway-telegram.config';
import { TelegramBlocksService } from '../inbound/telegram-blocks.service';
import { BLOCKED_REASON } from '../provider/telegram-errors.mapper';
import { TelegramBotClient } from '../provider/telegram-bot.client';
import type { SentMessage } from '../provider/telegram-bot.client';
import { TelegramSendError } from '../provider/telegram-send.errors';
import { TelegramStatusService } from '../status/telegram-status.service';
import { telegramMetrics } from '../telegram.metrics';
import { toSendSteps } from './telegram-outbound.mapper';

/**
 * Consumes msg.out.v1.telegram and sends through telegraf. Never to a customer who blocked the
 * bot; 403 blocked / 400 chat not found become a failed status and are acknowledged; 429 is
 * retried after exactly Telegram's retry_after; 5xx and network errors with backoff.
 */
@Injectable()
export class TelegramSendHandler implements OnApplicationBootstrap {
  private readonly logger = new Logger('telegram-send');
  private readonly ledger: SentLedger;

  constructor(
    @Inject(TELEGRAM_CONFIG) private readonly config: GatewayTelegramConfig,
    private readonly consumers: BusConsumers,
    private readonly client: TelegramBotClient,
    private readonly statuses: TelegramStatusService,
    private readonly blocks: TelegramBlocksService,
    messages: MessagesRepository,
  ) {
    this.ledger = new SentLedger(messages);
  }

  async onApplicationBootstrap(): Promise<void> {
    await this.consumers.start({
      stream: Streams.MSG_OUT.name,
      durable: 'gateway-telegram-send',
      filterSubject: Subjects.outbound('telegram'),
      schema: OutboundMessageV1Schema,
      handle: (msg) => this.handle(msg),
      maxDeliver: this.config.TELEGRAM_SEND_MAX_ATTEMPTS,
      backoffMs: this.config.TELEGRAM_SEND_BACKOFF_MS,
      concurrency: this.config.TELEGRAM_SEND_CONCURRENCY,
      keyOf: (msg) => msg.conversationId,
    });
  }

  async handle(msg: OutboundMessageV1): Promise<void> {
    const chatId = msg.to.address;
    if (await this.blocks.isBlocked(chatId)) {
      await this.statuses.publish(msg.messageId, 'failed', {
        error: { code: 'TELEGRAM.BLOCKED', reason: BLOCKED_REASON },
      });
      this.count('blocked_before', msg);
      return;
    }
    const sentBefore = await this.ledger.providerIdOf(msg.messageId);
    if (sentBefore) {
      await this.statuses.publish(msg.messageId, 'sent', { providerMessageId: sentBefore });
      this.count('already_sent', msg);
      return;
    }
    let first: SentMessage | null = null;
    try {
      for (const step of toSendSteps(msg)) {
        const sent =
          step.type === 'text'
            ? await this.client.sendText(chatId, step.text)
            : await this.client.sendMedia(chatId, step.media, step.caption);
        first ??= sent;
      }
    } catch (e) {
      await this.onSendFailure(msg, chatId, e);
      return;
    }
    const providerMessageId = first!.providerMessageId;
    this.ledger.remember(msg.messageId, providerMessageId);
    await this.statuses.publish(msg.messageId, 'sent', { providerMessageId });
    this.count('sent', msg);
  }

  private async onSendFailure(msg: OutboundMessageV1, chatId: string, e: unknown): Promise<void> {
    if (!(e instanceof TelegramSendError)) {
      this.count('retry', msg, 'TELEGRAM.SEND_FAILED');
      throw new TransientError('TELEGRAM.SEND_FAILED', 'The Telegram send failed; will retry', e);
    }
    if (e.kind === 'retry_after') {
      this.count('rate_limited', msg, e.code);
      throw new RetryAfterError(e.code, e.reason, e.retryAfterMs ?? 5000, e);
    }
    if (e.kind === 'retry') {
      this.count('retry', msg, e.code);
      throw new TransientError(e.code, e.reason, e);
    }
    if (e.kind === 'blocked') await this.blocks.set(chatId, true, 'TELEGRAM_403_BLOCKED');
    await this.statuses.publish(msg.messageId, 'failed', {
      error: { code: e.code, reason: e.reason },
    });
    this.count(e.kind, msg, e.code);
  }

  private count(outcome: string, msg: OutboundMessageV1, code?: string): void {
    telegramMetrics.sends.inc({ outcome });
    this.logger.log({ msg: 'telegram send', outcome, messageId: msg.messageId, code });
  }
}
