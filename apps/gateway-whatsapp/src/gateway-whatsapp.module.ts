import { Inject, Module } from '@nestjs/common';
import type { DynamicModule, OnApplicationShutdown, Provider, Type } from '@nestjs/common';
import { GatewayKitModule, OutboundSender, sendLoopSettings } from '@omnigate/gateway-kit';
import { TwilioRestClient } from '@omnigate/twilio';
import { WHATSAPP_CONFIG } from './config/gateway-whatsapp.config';
import type { GatewayWhatsAppConfig } from './config/gateway-whatsapp.config';
import { WhatsAppInboundService } from './inbound/whatsapp-inbound.service';
import { WhatsAppSender } from './outbound/whatsapp-sender.service';
import { CloudGraphClient } from './provider/cloud/cloud-graph.client';
import { CloudSignatureGuard } from './provider/cloud/cloud-signature.guard';
import { CloudWebhookController } from './provider/cloud/cloud-webhook.controller';
import { TwilioWhatsAppSignatureGuard } from './provider/twilio/twilio-whatsapp-signature.guard';
import { TwilioWhatsAppClient } from './provider/twilio/twilio-whatsapp.client';
import { TwilioWhatsAppController } from './provider/twilio/twilio-whatsapp.controller';
import {
  WEBJS_CLIENT_CTOR,
  WEBJS_LOCAL_AUTH_CTOR,
  loadLocalAuth,
  loadRealClient,
} from './provider/webjs/webjs-client.port';
import { WebjsConnection } from './provider/webjs/webjs-connection.service';
import { WebjsLinkController } from './provider/webjs/webjs-link.controller';
import { WebjsWhatsAppClient } from './provider/webjs/webjs-whatsapp.client';
import { WhatsAppProvider } from './provider/whatsapp-provider.port';
import { SentMessagesStore } from './status/sent-messages.store';
import { WhatsAppStatusService } from './status/whatsapp-status.service';
import { ServiceWindowStore } from './window/service-window.store';

/** The adapter's own edge (webhook controllers, listeners) and its provider, per WHATSAPP_PROVIDER. */
function adapterOf(config: GatewayWhatsAppConfig): {
  controllers: Type[];
  providers: Provider[];
} {
  switch (config.WHATSAPP_PROVIDER) {
    case 'cloud':
      return {
        controllers: [CloudWebhookController],
        providers: [
          CloudSignatureGuard,
          {
            provide: WhatsAppProvider,
            useFactory: () =>
              new CloudGraphClient({
                graphBase: config.WHATSAPP_GRAPH_BASE,
                version: config.WHATSAPP_GRAPH_VERSION,
                phoneNumberId: config.WHATSAPP_PHONE_NUMBER_ID!,
                accessToken: config.WHATSAPP_ACCESS_TOKEN!,
                timeoutMs: config.WHATSAPP_TIMEOUT_MS,
              }),
          },
        ],
      };
    case 'twilio':
      return {
        controllers: [TwilioWhatsAppController],
        providers: [
          TwilioWhatsAppSignatureGuard,
          {
            provide: TwilioRestClient,
            useFactory: () =>
              new TwilioRestClient({
                accountSid: config.TWILIO_ACCOUNT_SID!,
                authToken: config.TWILIO_AUTH_TOKEN!,
                apiBase: config.TWILIO_API_BASE,
                timeoutMs: config.WHATSAPP_TIMEOUT_MS,
              }),
          },
          {
            provide: WhatsAppProvider,
            inject: [TwilioRestClient],
            useFactory: (rest: TwilioRestClient) =>
              new TwilioWhatsAppClient(rest, {
                from: config.TWILIO_WHATSAPP_FROM!,
                publicUrl: config.WHATSAPP_PUBLIC_URL,
              }),
          },
        ],
      };
    case 'webjs':
      return {
        controllers: [WebjsLinkController],
        providers: [
          { provide: WEBJS_CLIENT_CTOR, useFactory: loadRealClient },
          { provide: WEBJS_LOCAL_AUTH_CTOR, useFactory: loadLocalAuth },
          WebjsConnection,
          WebjsWhatsAppClient,
          { provide: WhatsAppProvider, useExisting: WebjsWhatsAppClient },
        ],
      };
  }
}

/** The WhatsApp gateway: one provider port, three adapters (Cloud API, Twilio, whatsapp-web.js). */
@Module({})
export class GatewayWhatsAppModule implements OnApplicationShutdown {
  constructor(@Inject(WhatsAppProvider) private readonly provider: WhatsAppProvider) {}

  static forRoot(config: GatewayWhatsAppConfig, extra: Provider[] = []): DynamicModule {
    const adapter = adapterOf(config);
    return {
      module: GatewayWhatsAppModule,
      imports: [
        GatewayKitModule.forRoot(config, {
          channel: 'whatsapp',
          send: sendLoopSettings(config, 'WHATSAPP'),
        }),
      ],
      controllers: adapter.controllers,
      providers: [
        { provide: WHATSAPP_CONFIG, useValue: config },
        ...adapter.providers,
        ServiceWindowStore,
        SentMessagesStore,
        WhatsAppInboundService,
        WhatsAppStatusService,
        { provide: OutboundSender, useClass: WhatsAppSender },
        ...extra,
      ],
    };
  }

  async onApplicationShutdown(): Promise<void> {
    await this.provider.close();
  }
}
