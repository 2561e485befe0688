import { Module } from '@nestjs/common';
import type { DynamicModule } from '@nestjs/common';
import { GatewayKitModule, OutboundSender, sendLoopSettings } from '@omnigate/gateway-kit';
import { TELEGRAM_CONFIG } from './config/gateway-telegram.config';
import type { GatewayTelegramConfig } from './config/gateway-telegram.config';
import { TelegramInboundService } from './inbound/telegram-inbound.service';
import { TelegramIntakeService } from './inbound/telegram-intake.service';
import { TelegramSecretGuard } from './inbound/telegram-secret.guard';
import { TelegramWebhookController } from './inbound/telegram-webhook.controller';
import { TelegramSender } from './outbound/telegram-sender.service';
import { TelegramBotClient } from './provider/telegram-bot.client';

/** The Telegram gateway (telegraf): webhook with secret token or long polling, outbound sends. */
@Module({})
export class GatewayTelegramModule {
  static forRoot(config: GatewayTelegramConfig): DynamicModule {
    return {
      module: GatewayTelegramModule,
      imports: [
        GatewayKitModule.forRoot(config, {
          channel: 'telegram',
          send: sendLoopSettings(config, 'TELEGRAM'),
        }),
      ],
      controllers: [TelegramWebhookController],
      providers: [
        { provide: TELEGRAM_CONFIG, useValue: config },
        {
          provide: TelegramBotClient,
          useFactory: () =>
            new TelegramBotClient({
              token: config.TELEGRAM_BOT_TOKEN,
              apiRoot: config.TELEGRAM_API_ROOT,
            }),
        },
        TelegramSecretGuard,
        TelegramInboundService,
        TelegramIntakeService,
        { provide: OutboundSender, useClass: TelegramSender },
      ],
    };
  }
}
