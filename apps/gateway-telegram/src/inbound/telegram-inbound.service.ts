import { randomUUID } from 'node:crypto';
import { Inject, Injectable, Logger } from '@nestjs/common';
import { BusPublisher } from '@omnigate/bus';
import { InboundMessageV1Schema, Subjects, inboundMsgId } from '@omnigate/contracts';
import { PanRedactor } from '@omnigate/crypto';
import type { FoundCard } from '@omnigate/crypto';
import { CardVault } from '@omnigate/store';
import { TELEGRAM_CONFIG } from '../config/gateway-telegram.config';
import type { GatewayTelegramConfig } from '../config/gateway-telegram.config';
import { TelegramBotClient } from '../provider/telegram-bot.client';
import { telegramMetrics } from '../telegram.metrics';
import { TelegramBlocksService } from './telegram-blocks.service';
import { mapTelegramUpdate } from './telegram-inbound.mapper';
import type { InboundDecision } from './telegram-inbound.mapper';

/**
 * One Telegram update, from the webhook or from polling: mapped (card numbers redacted first),
 * then published with the update_id as dedupe key, so a redelivered update yields one message.
 * Resolves only after JetStream acknowledged: the caller answers Telegram / commits the offset
 * after that. The bot's own words (contact request, thanks) are best effort and never block.
 */
@Injectable()
export class TelegramInboundService {
  private readonly logger = new Logger('telegram-inbound');
  private readonly botId: string;

  constructor(
    @Inject(TELEGRAM_CONFIG) private readonly config: GatewayTelegramConfig,
    private readonly redactor: PanRedactor,
    private readonly publisher: BusPublisher,
    private readonly blocks: TelegramBlocksService,
    private readonly client: TelegramBotClient,
    private readonly vault: CardVault,
  ) {
    this.botId = TelegramBotClient.botIdOf(config.TELEGRAM_BOT_TOKEN);
  }

  async receive(body: unknown): Promise<InboundDecision['action']> {
    const cards: FoundCard[] = [];
    const decision = mapTelegramUpdate(body, {
      redact: (text) => {
        const r = this.redactor.redactWithCards(text);
        cards.push(...r.cards);
        return r;
      },
      botId: this.botId,
      id: randomUUID(),
      now: new Date(),
    });
    switch (decision.action) {
      case 'publish':
        // The numbers go to the vault (sealed) before the tokens that stand for them are published.
        await this.vault.keep(cards);
        await this.publish(decision);
        break;
      case 'start':
        await this.blocks.clearOnMessage(String(decision.chatId));
        if (this.config.TELEGRAM_ASK_CONTACT) {
          await this.bestEffort('contact_prompt', () => this.client.askForContact(decision.chatId));
        }
        break;
      case 'block':
        await this.blocks.set(
          String(decision.chatId),
          decision.blocked,
          decision.blocked ? 'TELEGRAM_BLOCKED' : 'TELEGRAM_UNBLOCKED',
        );
        this.logger.log({ msg: 'telegram block state recorded', blocked: decision.blocked });
        break;
      case 'ignore':
        telegramMetrics.updatesIgnored.inc({ reason: decision.reason });
        break;
    }
    return decision.action;
  }

  private async publish(d: Extract<InboundDecision, { action: 'publish' }>): Promise<void> {
    const msg = d.message;
    await this.blocks.clearOnMessage(msg.from.address);
    const ack = await this.publisher.publish(
      Subjects.inbound('telegram'),
      InboundMessageV1Schema,
      msg,
      { msgId: inboundMsgId('telegram', msg.providerMessageId) },
    );
    telegramMetrics.inboundPublished.inc({ kind: msg.kind, duplicate: String(ack.duplicate) });
    this.logger.log({
      msg: 'telegram inbound published',
      providerMessageId: msg.providerMessageId,
      attachments: msg.attachments.length,
      redactions: msg.redactions.length,
      contactShared: d.contactShared,
      seq: ack.seq,
      duplicate: ack.duplicate,
    });
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
