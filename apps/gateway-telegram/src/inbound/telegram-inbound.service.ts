import { randomUUID } from 'node:crypto';
import { Inject, Injectable, Logger } from '@nestjs/common';
import { InboundPublisher, RecipientVetoes } from '@omnigate/gateway-kit';
import type { CardRedaction } from '@omnigate/gateway-kit';
import { TELEGRAM_CONFIG } from '../config/gateway-telegram.config';
import type { GatewayTelegramConfig } from '../config/gateway-telegram.config';
import { TelegramBotClient } from '../provider/telegram-bot.client';
import { telegramMetrics } from '../telegram.metrics';
import { mapTelegramUpdate } from './telegram-inbound.mapper';
import type { InboundDecision } from './telegram-inbound.mapper';

/**
 * One Telegram update, from the webhook or from polling: mapped (card numbers replaced by
 * references, each sealed to the vault), then published with bot, chat and message id as dedupe
 * key (telegramMessageKey), so a redelivered update yields one message. Resolves only after JetStream acknowledged: the caller
 * answers Telegram / commits the offset after that. A customer who blocks the bot is recorded in
 * the gateway's own blocked list (KV), and cleared when they unblock it or write. The bot's own
 * words (contact request, thanks) are best effort and never block.
 */
@Injectable()
export class TelegramInboundService {
  private readonly logger = new Logger('telegram-inbound');
  private readonly botId: string;

  constructor(
    @Inject(TELEGRAM_CONFIG) private readonly config: GatewayTelegramConfig,
    private readonly inbound: InboundPublisher,
    private readonly vetoes: RecipientVetoes,
    private readonly client: TelegramBotClient,
  ) {
    this.botId = TelegramBotClient.botIdOf(config.TELEGRAM_BOT_TOKEN);
  }

  async receive(body: unknown): Promise<InboundDecision['action']> {
    const cards = this.inbound.redaction();
    const decision = mapTelegramUpdate(body, {
      redact: cards.redact,
      botId: this.botId,
      id: randomUUID(),
      now: new Date(),
    });
    switch (decision.action) {
      case 'publish':
        await this.publish(decision, cards);
        break;
      case 'start':
        await this.vetoes.setBlocked(String(decision.chatId), false, 'telegram:start');
        if (this.config.TELEGRAM_ASK_CONTACT) {
          await this.bestEffort('contact_prompt', () => this.client.askForContact(decision.chatId));
        }
        break;
      case 'block':
        await this.vetoes.setBlocked(
          String(decision.chatId),
          decision.blocked,
          decision.blocked ? 'telegram:my_chat_member_kicked' : 'telegram:my_chat_member_member',
        );
        this.logger.log({ msg: 'telegram block state recorded', blocked: decision.blocked });
        break;
      case 'ignore':
        telegramMetrics.updatesIgnored.inc({ reason: decision.reason });
        break;
    }
    return decision.action;
  }

  private async publish(
    d: Extract<InboundDecision, { action: 'publish' }>,
    cards: CardRedaction,
  ): Promise<void> {
    const msg = d.message;
    // A customer who writes to the bot has unblocked it.
    await this.vetoes.setBlocked(msg.from.address, false, 'telegram:message');
    const ack = await this.inbound.publish(msg, cards);
    if (d.contactShared && !ack.duplicate) {
      await this.bestEffort('contact_thanks', () => this.client.thankForContact(d.chatId));
    }
  }

  private async bestEffort(what: string, fn: () => Promise<void>): Promise<void> {
    try {
      await fn();
    } catch (e) {
      this.logger.warn({
        msg: 'telegram bot reply not sent',
        what,
        code: (e as { code?: string }).code,
      });
    }
  }
}
