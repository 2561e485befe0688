import { Module } from '@nestjs/common';
import type { DynamicModule } from '@nestjs/common';
import { BusModule } from '@omnigate/bus';
import { PanRedactor } from '@omnigate/crypto';
import { KitModule, busOptionsFrom, databaseConfigFrom } from '@omnigate/kit';
import { StoreModule } from '@omnigate/store';
import { TELEGRAM_CONFIG } from './config/gateway-telegram.config';
import type { GatewayTelegramConfig } from './config/gateway-telegram.config';
import { TelegramBlocksService } from './inbound/telegram-blocks.service';
import { TelegramInboundService } from './inbound/telegram-inbound.service';
import { TelegramIntakeService } from './inbound/telegram-intake.service';
import { TelegramSecretGuard } from './inbound/telegram-secret.guard';
import { TelegramWebhookController } from './inbound/telegram-webhook.controller';
import { TelegramSendHandler } from './outbound/telegram-send.handler';
import { TelegramBotClient } from './provider/telegram-bot.client';
import { TelegramStatusService } from './status/telegram-status.service';

/** The Telegram gateway (telegraf): webhook with secret token or long polling, outbound consumer. */
@Module({})
export class GatewayTelegramModule {
  static forRoot(config: GatewayTelegramConfig): DynamicModule {
    return {
      module: GatewayTelegramModule,
      imports: [
        KitModule,
        BusModule.forRoot(busOptionsFrom(config, 'gateway-telegram')),
        StoreModule.forRoot(databaseConfigFrom(config)),
      ],
      controllers: [TelegramWebhookController],
      providers: [
        { provide: TELEGRAM_CONFIG, useValue: config },
        { provide: PanRedactor, useValue: new PanRedactor() },
        {
          provide: TelegramBotClient,
          useFactory: () =>
            new TelegramBotClient({
              token: config.TELEGRAM_BOT_TOKEN,
              apiRoot: config.TELEGRAM_API_ROOT,
            }),
        },
        TelegramSecretGuard,
        TelegramBlocksService,
        TelegramInboundService,
        TelegramIntakeService,
        TelegramStatusService,
        TelegramSendHandler,
      ],
    };
  }
}
