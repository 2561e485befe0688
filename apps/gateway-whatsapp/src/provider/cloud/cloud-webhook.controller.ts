import {
  Body,
  Controller,
  Get,
  HttpCode,
  Inject,
  Post,
  Query,
  Res,
  UseGuards,
} from '@nestjs/common';
import type { FastifyReply } from 'fastify';
import { WHATSAPP_CONFIG } from '../../config/gateway-whatsapp.config';
import type { GatewayWhatsAppConfig } from '../../config/gateway-whatsapp.config';
import { WhatsAppInboundService } from '../../inbound/whatsapp-inbound.service';
import { WhatsAppStatusService } from '../../status/whatsapp-status.service';
import { WhatsAppVerifyForbiddenError } from '../../whatsapp.errors';
import { CloudSignatureGuard } from './cloud-signature.guard';
import { isValidVerifyToken } from './cloud-signature.mapper';
import { mapCloudWebhook } from './cloud-webhook.mapper';

/**
 * Meta's webhook for the WhatsApp Cloud API. GET = the subscription handshake (echo hub.challenge
 * when the verify token matches); POST = notifications, signature verified (guard) → messages
 * published → statuses published → 200. The 200 goes out only after JetStream acknowledged
 * everything; NATS down → 503 and Meta retries (with the same wamid: deduplicated).
 */
@Controller('webhooks/whatsapp')
export class CloudWebhookController {
  constructor(
    @Inject(WHATSAPP_CONFIG) private readonly config: GatewayWhatsAppConfig,
    private readonly inbound: WhatsAppInboundService,
    private readonly statuses: WhatsAppStatusService,
  ) {}

  @Get()
  verify(
    @Query() query: Record<string, unknown>,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): string {
    const challenge = query['hub.challenge'];
    if (
      query['hub.mode'] !== 'subscribe' ||
      !isValidVerifyToken(this.config.WHATSAPP_VERIFY_TOKEN ?? '', query['hub.verify_token']) ||
      typeof challenge !== 'string' ||
      // Meta sends digits; anything else is not echoed (no reflected content).
      !/^[A-Za-z0-9_-]{1,256}$/.test(challenge)
    ) {
      throw new WhatsAppVerifyForbiddenError();
    }
    void reply.header('content-type', 'text/plain; charset=utf-8');
    return challenge;
  }

  @Post()
  @HttpCode(200)
  @UseGuards(CloudSignatureGuard)
  async receive(@Body() body: unknown): Promise<string> {
    const content = mapCloudWebhook(body);
    for (const m of content.inbound) await this.inbound.receive(m);
    for (const s of content.statuses) await this.statuses.fromProvider(s);
    return 'EVENT_RECEIVED';
  }
}
