import { Body, Controller, HttpCode, Post, Query, Res, UseGuards } from '@nestjs/common';
import type { FastifyReply } from 'fastify';
import { z } from 'zod';
import { TwilioRestClient, mapTwilioStatus } from '@omnigate/twilio';
import { WhatsAppInboundService } from '../../inbound/whatsapp-inbound.service';
import { WhatsAppStatusService } from '../../status/whatsapp-status.service';
import { WhatsAppPayloadMalformedError } from '../../whatsapp.errors';
import { TwilioWhatsAppSignatureGuard } from './twilio-whatsapp-signature.guard';
import { mapTwilioWhatsAppInbound } from './twilio-whatsapp.mapper';

const MessageId = z.uuid();

function formOf(body: unknown): Record<string, unknown> {
  return typeof body === 'object' && body !== null ? (body as Record<string, unknown>) : {};
}

/**
 * Twilio's WhatsApp webhooks: "a message comes in" (→ published, empty TwiML) and the status
 * callbacks of our messages (StatusCallback = .../status?mid=<messageId>). Signature first; the
 * answer goes out only after JetStream acknowledged.
 */
@Controller('webhooks/twilio/whatsapp')
@UseGuards(TwilioWhatsAppSignatureGuard)
export class TwilioWhatsAppController {
  constructor(
    private readonly inbound: WhatsAppInboundService,
    private readonly statuses: WhatsAppStatusService,
    private readonly rest: TwilioRestClient,
  ) {}

  @Post()
  @HttpCode(200)
  async receive(
    @Body() body: unknown,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<string> {
    await this.inbound.receive(mapTwilioWhatsAppInbound(formOf(body)));
    const doc = this.rest.messagingResponse();
    void reply.header('content-type', doc.contentType);
    return doc.body;
  }

  @Post('status')
  @HttpCode(204)
  async status(@Query('mid') mid: string | undefined, @Body() body: unknown): Promise<void> {
    const messageId = MessageId.safeParse(mid);
    if (!messageId.success) {
      throw new WhatsAppPayloadMalformedError(
        "query parameter 'mid' must be our message id (a UUID)",
      );
    }
    const update = mapTwilioStatus(formOf(body), 'WHATSAPP');
    if (!update) return;
    await this.statuses.fromProvider({
      providerMessageId: update.providerMessageId,
      state: update.state,
      messageId: messageId.data,
      ...(update.error ? { error: update.error } : {}),
    });
  }
}
