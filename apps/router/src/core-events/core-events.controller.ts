import { Body, Controller, HttpCode, Post, UseGuards } from '@nestjs/common';
import { CoreEventWebhookSchema } from './core-event.mapper';
import { CoreEventSignatureGuard } from './core-event-signature.guard';
import { CoreEventsService } from './core-events.service';

/**
 * The bank's signed core-event webhook (docs/core-banking.openapi.json, webhooks.coreEvent):
 * signature and replay window checked (guard) → body validated → published on CORE_EVENTS →
 * 202, only after JetStream acknowledged. Bus down → 503 (BUS.UNAVAILABLE) so the bank retries;
 * bad or stale signature → 401; bad body → 400; over 16 KiB → 413 (bootstrap's webhook limits).
 */
@Controller('core-banking')
export class CoreEventsController {
  constructor(private readonly events: CoreEventsService) {}

  @Post('events')
  @HttpCode(202)
  @UseGuards(CoreEventSignatureGuard)
  async receive(@Body() body: unknown): Promise<{ accepted: true; duplicate: boolean }> {
    const { duplicate } = await this.events.accept(CoreEventWebhookSchema.parse(body));
    return { accepted: true, duplicate };
  }
}
