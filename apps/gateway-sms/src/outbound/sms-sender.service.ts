import { Inject, Injectable } from '@nestjs/common';
import type { OutboundMessageV1 } from '@omnigate/contracts';
import type { OutboundSender, SendResult } from '@omnigate/gateway-kit';
import { SMS_CONFIG } from '../config/gateway-sms.config';
import type { GatewaySmsConfig } from '../config/gateway-sms.config';
import { toE164OrRaw } from '../phone-number.mapper';
import { SmsProvider } from '../provider/sms-provider.port';
import { toSendRequest } from './sms-outbound.mapper';

/**
 * The SMS side of the kit's send loop, its OutboundSender (msg.out.v1.sms): the recipient in
 * E.164, one Twilio create-message per outbound, and Twilio's errors read as opted out (21610),
 * rejected (any other 4xx) or retry (429, 5xx, network). Vetoes, idempotency and statuses are the
 * loop's.
 */
@Injectable()
export class SmsSender implements OutboundSender {
  readonly acceptedState = 'queued';

  constructor(
    @Inject(SMS_CONFIG) private readonly config: GatewaySmsConfig,
    private readonly provider: SmsProvider,
  ) {}

  recipientOf(msg: OutboundMessageV1): string {
    return toE164OrRaw(msg.to.address, this.config.SMS_DEFAULT_REGION);
  }

  async send(msg: OutboundMessageV1, to: string): Promise<SendResult> {
    const { providerMessageId } = await this.provider.send(
      toSendRequest(msg, to, this.config.SMS_PUBLIC_URL),
    );
    return { providerMessageId };
  }
}
