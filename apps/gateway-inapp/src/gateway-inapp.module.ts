import { Module } from '@nestjs/common';
import type { DynamicModule } from '@nestjs/common';
import { BusModule } from '@omnigate/bus';
import { CardSealer, HpkeSealer, PanRedactor } from '@omnigate/crypto';
import { KitModule, busOptionsFrom } from '@omnigate/kit';
import { AppTokenService } from './auth/app-token.service';
import { INAPP_CONFIG } from './config/gateway-inapp.config';
import type { GatewayInappConfig } from './config/gateway-inapp.config';
import { RouterConversationClient } from './conversation/router-conversation.client';
import { InappInboundService } from './inbound/inapp-inbound.service';
import { InappSendHandler } from './outbound/inapp-send.handler';
import { PushRelayService } from './outbound/push-relay.service';
import { InappStatusService } from './receipts/inapp-status.service';
import { InappGateway } from './socket/inapp.gateway';
import { SessionExpiry } from './socket/session-expiry.service';
import { SocketRegistry } from './socket/socket-registry.service';
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
      imports: [KitModule, BusModule.forRoot(busOptionsFrom(config, 'gateway-inapp'))],
      controllers: [IdentityController, ConsentsController],
      providers: [
        { provide: INAPP_CONFIG, useValue: config },
        { provide: PanRedactor, useFactory: () => new PanRedactor() },
        {
          provide: CardSealer,
          useFactory: (redactor: PanRedactor) =>
            new CardSealer(redactor, HpkeSealer.fromConfig(config.VAULT_PUBLIC_KEY)),
          inject: [PanRedactor],
        },
        AppTokenService,
        SocketRegistry,
        SessionExpiry,
        RouterConversationClient,
        InappStatusService,
        InappInboundService,
        TypingService,
        PushRelayService,
        InappSendHandler,
        InappGateway,
        AppBearerGuard,
        RouterIdentityClient,
        RouterConsentClient,
      ],
    };
  }
}
