import { Module } from '@nestjs/common';
import type { DynamicModule } from '@nestjs/common';
import { GatewayKitModule, OutboundSender, sendLoopSettings } from '@omnigate/gateway-kit';
import { AppTokenService } from './auth/app-token.service';
import { INAPP_CONFIG } from './config/gateway-inapp.config';
import type { GatewayInappConfig } from './config/gateway-inapp.config';
import { RouterConversationClient } from './conversation/router-conversation.client';
import { InappInboundService } from './inbound/inapp-inbound.service';
import { InappSender } from './outbound/inapp-sender.service';
import { PushRelayHandler } from './outbound/push-relay.handler';
import { InappStatusService } from './receipts/inapp-status.service';
import { InappGateway } from './socket/inapp.gateway';
import { SessionExpiry } from './socket/session-expiry.service';
import { SocketRegistry } from './socket/socket-registry.service';
import { TypingHandler } from './typing/typing.handler';
import { TypingService } from './typing/typing.service';
import { AppBearerGuard } from './identity/app-bearer.guard';
import { IdentityController } from './identity/identity.controller';
import { RouterIdentityClient } from './identity/router-identity.client';
import { ConsentsController } from './consent/consents.controller';
import { RouterConsentClient } from './consent/router-consent.client';

@Module({})
export class GatewayInappModule {
  static forRoot(config: GatewayInappConfig): DynamicModule {
    return {
      module: GatewayInappModule,
      // An edge: no database, no data key; history and receipts are requests to the router.
      imports: [
        GatewayKitModule.forRoot(config, {
          channel: 'inapp',
          send: sendLoopSettings(config, 'INAPP'),
        }),
      ],
      // HTTP for the app, and the core-NATS broadcasts between instances (@OnBroadcast).
      controllers: [IdentityController, ConsentsController, PushRelayHandler, TypingHandler],
      providers: [
        { provide: INAPP_CONFIG, useValue: config },
        AppTokenService,
        SocketRegistry,
        SessionExpiry,
        RouterConversationClient,
        InappStatusService,
        InappInboundService,
        TypingService,
        { provide: OutboundSender, useClass: InappSender },
        InappGateway,
        AppBearerGuard,
        RouterIdentityClient,
        RouterConsentClient,
      ],
    };
  }
}
