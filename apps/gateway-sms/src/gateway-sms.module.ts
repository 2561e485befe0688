import { Inject, Module } from '@nestjs/common';
import type { DynamicModule, OnApplicationShutdown } from '@nestjs/common';
import { BusModule } from '@omnigate/bus';
import { PanRedactor } from '@omnigate/crypto';
import { KitModule, busOptionsFrom, databaseConfigFrom } from '@omnigate/kit';
import { StoreModule } from '@omnigate/store';
import { SMS_CONFIG } from './config/gateway-sms.config';
import type { GatewaySmsConfig } from './config/gateway-sms.config';
import { SmsInboundService } from './inbound/sms-inbound.service';
import { SmsWebhookController } from './inbound/sms-webhook.controller';
import { SmsSendHandler } from './outbound/sms-send.handler';
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

/** The SMS gateway (Twilio): inbound webhook, status callbacks, outbound consumer. */
@Module({})
export class GatewaySmsModule implements OnApplicationShutdown {
  constructor(@Inject(SmsProvider) private readonly provider: SmsProvider) {}

  static forRoot(config: GatewaySmsConfig): DynamicModule {
    return {
      module: GatewaySmsModule,
      imports: [
        KitModule,
        BusModule.forRoot(busOptionsFrom(config, 'gateway-sms')),
        StoreModule.forRoot(databaseConfigFrom(config)),
      ],
      controllers: [SmsWebhookController, TwilioStatusController],
      providers: [
        { provide: SMS_CONFIG, useValue: config },
        { provide: PanRedactor, useValue: new PanRedactor() },
        { provide: SmsProvider, useFactory: () => twilioClientOf(config) },
        TwilioSignatureGuard,
        SmsInboundService,
        SmsStatusService,
        SmsSendHandler,
      ],
    };
  }

  onApplicationShutdown(): void {
    if (this.provider instanceof TwilioSmsClient) this.provider.close();
  }
}
