import { Inject, Module } from '@nestjs/common';
import type { DynamicModule, OnApplicationShutdown } from '@nestjs/common';
import { GatewayKitModule, OutboundSender, sendLoopSettings } from '@omnigate/gateway-kit';
import { SMS_CONFIG } from './config/gateway-sms.config';
import type { GatewaySmsConfig } from './config/gateway-sms.config';
import { SmsInboundService } from './inbound/sms-inbound.service';
import { SmsWebhookController } from './inbound/sms-webhook.controller';
import { SmsSender } from './outbound/sms-sender.service';
import { toE164OrRaw } from './phone-number.mapper';
import { SmsProvider } from './provider/sms-provider.port';
import { TwilioSmsClient } from './provider/twilio-sms.client';
import { SmsStatusService } from './status/sms-status.service';
import { TwilioStatusController } from './status/twilio-status.controller';
import { TwilioSignatureGuard } from './twilio-signature.guard';

function twilioClientOf(config: GatewaySmsConfig): TwilioSmsClient {
  return new TwilioSmsClient({
    accountSid: config.TWILIO_ACCOUNT_SID,
    authToken: config.TWILIO_AUTH_TOKEN,
    fromNumber: config.TWILIO_FROM_NUMBER,
    messagingServiceSid: config.TWILIO_MESSAGING_SERVICE_SID,
    apiBase: config.TWILIO_API_BASE,
    timeoutMs: config.TWILIO_TIMEOUT_MS,
  });
}

/** The SMS gateway (Twilio): inbound webhook, status callbacks, outbound sends; state in NATS. */
@Module({})
export class GatewaySmsModule implements OnApplicationShutdown {
  constructor(@Inject(SmsProvider) private readonly provider: SmsProvider) {}

  static forRoot(config: GatewaySmsConfig): DynamicModule {
    const region = config.SMS_DEFAULT_REGION;
    return {
      module: GatewaySmsModule,
      imports: [
        GatewayKitModule.forRoot(config, {
          channel: 'sms',
          send: sendLoopSettings(config, 'SMS'),
          addressKey: (address) => toE164OrRaw(address, region),
        }),
      ],
      controllers: [SmsWebhookController, TwilioStatusController],
      providers: [
        { provide: SMS_CONFIG, useValue: config },
        { provide: SmsProvider, useFactory: () => twilioClientOf(config) },
        TwilioSignatureGuard,
        SmsInboundService,
        SmsStatusService,
        { provide: OutboundSender, useClass: SmsSender },
      ],
    };
  }

  onApplicationShutdown(): void {
    if (this.provider instanceof TwilioSmsClient) this.provider.close();
  }
}
