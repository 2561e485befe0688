import { Body, Controller, HttpCode, Post, Res, UseGuards } from '@nestjs/common';
import type { FastifyReply } from 'fastify';
import { SmsProvider } from '../provider/sms-provider.port';
import { TwilioSignatureGuard } from '../twilio-signature.guard';
import { SmsInboundService } from './sms-inbound.service';
import { HELP_REPLY } from './sms-keywords';

/**
 * Twilio's "A message comes in" webhook: signature verified (guard) → mapped and published
 * (service) → TwiML. The 200 goes out only after JetStream acknowledged; NATS down → 503
 * (BUS.UNAVAILABLE) so Twilio tries again; bad signature → 403; malformed form → 400.
 */
@Controller('webhooks/twilio')
export class SmsWebhookController {
  constructor(
    private readonly inbound: SmsInboundService,
    private readonly provider: SmsProvider,
  ) {}

  @Post('sms')
  @HttpCode(200)
  @UseGuards(TwilioSignatureGuard)
  async receive(
    @Body() body: unknown,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<string> {
    const kind = await this.inbound.receive(
      typeof body === 'object' && body !== null ? (body as Record<string, unknown>) : {},
    );
    const doc = this.provider.replyDocument(kind === 'help' ? HELP_REPLY : undefined);
    void reply.header('content-type', doc.contentType);
    return doc.body;
  }
}
