import { Module } from '@nestjs/common';
import { TelegramApiController } from './telegram-api.controller';
import { TelegramBotApiService } from './telegram-bot-api.service';
import { TelegramChatsService } from './telegram-chats.service';
import { TelegramControlController } from './telegram-control.controller';
import { TelegramUpdatesService } from './telegram-updates.service';

/** The Telegram Bot API stand-in: /bot<token>/<method>, file downloads, control API. */
@Module({
  controllers: [TelegramApiController, TelegramControlController],
  providers: [TelegramBotApiService, TelegramChatsService, TelegramUpdatesService],
  // For the customer simulator: sends as the customer, reads what our bot sent.
  exports: [TelegramBotApiService, TelegramChatsService, TelegramUpdatesService],
})
export class TelegramSandboxModule {}
