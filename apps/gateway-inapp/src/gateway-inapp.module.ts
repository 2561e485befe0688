import { Module } from '@nestjs/common';
import type { DynamicModule } from '@nestjs/common';
import { BusModule } from '@omnigate/bus';
import { PanRedactor } from '@omnigate/crypto';
import { KitModule, busOptionsFrom, databaseConfigFrom } from '@omnigate/kit';
import { StoreModule } from '@omnigate/store';
import { AppTokenService } from './auth/app-token.service';
import { INAPP_CONFIG } from './config/gateway-inapp.config';
import type { GatewayInappConfig } from './config/gateway-inapp.config';
import { AppConversationService } from './conversation/app-conversation.service';
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
      imports: [
        KitModule,
        BusModule.forRoot(busOptionsFrom(config, 'gateway-inapp')),
        StoreModule.forRoot(databaseConfigFrom(config)),
      ],
      controllers: [IdentityController, ConsentsController],
      providers: [
        { provide: INAPP_CONFIG, useValue: config },
        { provide: PanRedactor, useFactory: () => new PanRedactor() },
        AppTokenService,
        SocketRegistry,
        SessionExpiry,
        AppConversationService,
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
