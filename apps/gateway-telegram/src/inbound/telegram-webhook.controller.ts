import { Body, Controller, HttpCode, Post, UseGuards } from '@nestjs/common';
import { TelegramInboundService } from './telegram-inbound.service';
import { TelegramSecretGuard } from './telegram-secret.guard';

/**
 * Telegram's webhook: secret token verified (guard) → mapped and published (service) → 200 with
 * an empty JSON body. The 200 goes out only after JetStream acknowledged; NATS down → 503
 * (BUS.UNAVAILABLE) so Telegram delivers the update again; bad secret → 403; not an Update → 400.
 */
@Controller('webhooks')
export class TelegramWebhookController {
  constructor(private readonly inbound: TelegramInboundService) {}

  @Post('telegram')
  @HttpCode(200)
  @UseGuards(TelegramSecretGuard)
  async receive(@Body() body: unknown): Promise<{ ok: true }> {
    await this.inbound.receive(body);
    return { ok: true };
  }
}
