import { randomUUID } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import type { InboundMessageV1 } from '@omnigate/contracts';
import { InboundPublisher } from '@omnigate/gateway-kit';
import { SMS_CONFIG } from '../config/gateway-sms.config';
import type { GatewaySmsConfig } from '../config/gateway-sms.config';
import { mapTwilioInbound } from './sms-inbound.mapper';
import type { FormParams } from './sms-inbound.mapper';

/**
 * One inbound SMS: mapped (card numbers replaced by references, each sealed to the vault), STOP
 * and START recorded in the gateway's own opt-out list (the authority: Twilio's filtering does not
 * cover every sender type), published with the MessageSid as dedupe key so a retried webhook
 * yields one message. Resolves only after JetStream acknowledged (the kit's InboundPublisher).
 */
@Injectable()
export class SmsInboundService {
  constructor(
    @Inject(SMS_CONFIG) private readonly config: GatewaySmsConfig,
    private readonly inbound: InboundPublisher,
  ) {}

  async receive(form: FormParams): Promise<InboundMessageV1['kind']> {
    const cards = this.inbound.redaction();
    const msg = mapTwilioInbound(form, {
      region: this.config.SMS_DEFAULT_REGION,
      redact: cards.redact,
      id: randomUUID(),
      now: new Date(),
    });
    await this.inbound.publish(msg, cards);
    return msg.kind;
  }
}
