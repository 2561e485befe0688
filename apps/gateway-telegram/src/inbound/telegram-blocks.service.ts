import { Injectable } from '@nestjs/common';
import { OptOutsRepository } from '@omnigate/store';
import { TelegramStoreUnavailableError } from '../telegram.errors';

/**
 * Customers who blocked the bot, kept in the store's opt-out table (channel 'telegram', the chat
 * id as address, a TELEGRAM_* keyword saying why): a blocked customer is not sent to again until
 * they unblock the bot or write to it.
 */
@Injectable()
export class TelegramBlocksService {
  constructor(private readonly optOuts: OptOutsRepository) {}

  async isBlocked(chatId: string): Promise<boolean> {
    return this.optOuts.isOptedOut('telegram', chatId);
  }

  async set(chatId: string, blocked: boolean, keyword: string): Promise<void> {
    try {
      await this.optOuts.set('telegram', chatId, blocked, keyword);
    } catch (e) {
      throw new TelegramStoreUnavailableError(e);
    }
  }

  /** A customer who writes to the bot has unblocked it. Only writes when a block was recorded. */
  async clearOnMessage(chatId: string): Promise<void> {
    try {
      if (await this.optOuts.isOptedOut('telegram', chatId)) {
        await this.optOuts.set('telegram', chatId, false, 'TELEGRAM_MESSAGE');
      }
    } catch (e) {
      throw new TelegramStoreUnavailableError(e);
    }
  }
}
