import { Inject, Injectable, Logger } from '@nestjs/common';
import { AppError } from '@omnigate/kit';
import { SANDBOX_CONFIG } from '../config/sandbox.config';
import type { SandboxConfig } from '../config/sandbox.config';
import { TwilioMessagesService } from './twilio-messages.service';
import { TwilioOptOutsService } from './twilio-opt-outs.service';
import { newSid } from './twilio-resource.mapper';
import { TwilioWebhookClient } from './twilio-webhook.client';
import { inboundWebhookParams } from './twilio-webhook.mapper';

export interface InjectInbound {
  from: string;
  to: string;
  body: string;
  messageSid?: string;
  messagingServiceSid?: string;
  webhookUrl?: string;
}

export interface InjectResult {
  messageSid: string;
  /** The HTTP status the webhook (our gateway) answered. */
  status: number;
  /** The webhook's response text (TwiML). */
  body: string;
  contentType: string | null;
}

/** The gateway could not be reached at all (connection refused, timeout). */
export class WebhookUnavailableError extends AppError {
  constructor(cause: unknown) {
    super('SANDBOX.WEBHOOK_UNAVAILABLE', 'The webhook URL did not answer', { cause });
  }
}

/**
 * Plays a customer's SMS arriving at our number: Twilio's opt-out bookkeeping first (it applies
 * STOP before the webhook), then the signed webhook POST, exactly once (Twilio does not retry an
 * SMS webhook by default).
 */
@Injectable()
export class TwilioInboundService {
  private readonly logger = new Logger('twilio-inbound');

  constructor(
    @Inject(SANDBOX_CONFIG) private readonly config: SandboxConfig,
    private readonly messages: TwilioMessagesService,
    private readonly optOuts: TwilioOptOutsService,
    private readonly webhook: TwilioWebhookClient,
  ) {}

  async inject(input: InjectInbound): Promise<InjectResult> {
    const accountSid = this.config.SANDBOX_TWILIO_ACCOUNT_SID;
    const messageSid = input.messageSid ?? newSid('SM');
    const service = input.messagingServiceSid ?? null;
    this.optOuts.applyInbound(service ? [input.to, service] : [input.to], input.from, input.body);
    this.messages.recordInbound({
      accountSid,
      sid: messageSid,
      from: input.from,
      to: input.to,
      body: input.body,
      messagingServiceSid: service,
    });
    const params = inboundWebhookParams({
      ...input,
      accountSid,
      messageSid,
      messagingServiceSid: service ?? undefined,
    });
    const url = input.webhookUrl ?? this.config.SANDBOX_TWILIO_WEBHOOK_URL;
    try {
      const res = await this.webhook.post(url, params);
      this.logger.log({ msg: 'inbound webhook answered', sid: messageSid, httpStatus: res.status });
      return { messageSid, ...res };
    } catch (e) {
      this.logger.warn({ msg: 'inbound webhook unreachable', sid: messageSid, code: 11200 });
      throw new WebhookUnavailableError(e);
    }
  }
}
