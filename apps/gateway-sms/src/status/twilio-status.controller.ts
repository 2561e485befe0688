import { Body, Controller, HttpCode, Post, Query, UseGuards } from '@nestjs/common';
import { TwilioSignatureGuard } from '../twilio-signature.guard';
import { SmsStatusService } from './sms-status.service';

/**
 * Twilio's status callbacks for the SMS we sent (StatusCallback = .../status?mid=<messageId>):
 * signature verified over the URL with its query, then a DeliveryStatus published; 204 only after
 * JetStream acknowledged (503 otherwise, and Twilio tries again).
 */
@Controller('webhooks/twilio')
@UseGuards(TwilioSignatureGuard)
export class TwilioStatusController {
  constructor(private readonly statuses: SmsStatusService) {}

  @Post('status')
  @HttpCode(204)
  async status(@Query('mid') mid: string | undefined, @Body() body: unknown): Promise<void> {
    await this.statuses.fromCallback(
      mid,
      typeof body === 'object' && body !== null ? (body as Record<string, unknown>) : {},
    );
  }
}
