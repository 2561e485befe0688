import { Module } from '@nestjs/common';
import type { DynamicModule } from '@nestjs/common';
import { BusModule, ObjectStoreClient } from '@omnigate/bus';
import { PanRedactor } from '@omnigate/crypto';
import { KitModule, busOptionsFrom, databaseConfigFrom } from '@omnigate/kit';
import { EmailAttachmentsRepository, StoreModule } from '@omnigate/store';
import { ROUTER_CONFIG } from './config/router.config';
import type { RouterConfig } from './config/router.config';
import { CoreBankingPort } from './core-banking/core-banking.port';
import { HttpCoreBankingClient } from './core-banking/http-core-banking.client';
import { CachedCoreBankingClient } from './core-banking/cached-core-banking.client';
import { CircuitBreakerCoreBankingClient } from './core-banking/circuit-breaker.core-banking.client';
import { CoreEventsController } from './core-events/core-events.controller';
import { CoreEventsService } from './core-events/core-events.service';
import { CoreEventSignatureGuard } from './core-events/core-event-signature.guard';
import { IdentityService } from './identity/identity.service';
import { identityProviders } from './identity/identity.providers';
import { SessionService } from './session/session.service';
import { ConversationEventsService } from './events/conversation-events.service';
import { IdentityRpcHandler } from './identity/identity-rpc.handler';
import { InboundMessageHandler } from './inbound/inbound-message.handler';
import { DeliveryStatusHandler } from './status/delivery-status.handler';
import { REPLY_REDACTOR, SendReplyService } from './reply/send-reply.service';
import { CustomerContextService } from './context/customer-context.service';
import { OutboundDispatch } from './outbound/outbound-dispatch.service';
import { RouterRpcHandler } from './rpc/router-rpc.handler';
import { ConsentService } from './consent/consent.service';
import { ConsentConfirmationService } from './consent/consent-confirmation.service';
import { AppConsentService } from './consent/app-consent.service';
import { ConsentEventsService } from './consent/consent-events.service';
import { AppConsentRpcHandler } from './consent/app-consent-rpc.handler';
import { RetentionService } from './retention/retention.service';
import { CoreEventsHandler } from './fraud/core-events.handler';
import { ControlService } from './control/control.service';
import { ConversationRouterService } from './routing/conversation-router.service';
import { RoutingRpcHandler } from './control/routing-rpc.handler';
import { BotService } from './bot/bot.service';
import { IntentClassifier } from './intent/intent-classifier.port';
import { RulesIntentClassifier } from './intent/rules-intent.classifier';
import { CardActionsService } from './actions/card-actions.service';
import { TicketActionsService } from './actions/ticket-actions.service';
import { ApprovalsService } from './actions/approvals.service';
import { UnblockRefusalService } from './actions/unblock-refusal.service';
import { NotifyService } from './notify/notify.service';
import { ConversationLanguageService } from './notify/conversation-language.service';
import { EmailIntakeService } from './intake/email-intake.service';
import { AppConversationService } from './app-conversation/app-conversation.service';
import { AppConversationRpcHandler } from './app-conversation/app-conversation-rpc.handler';

/** Core banking as the router uses it: cache(breaker(http)). */
function coreBankingFrom(config: RouterConfig): CoreBankingPort {
  const http = new HttpCoreBankingClient({
    baseUrl: config.CORE_BANKING_URL,
    apiKey: config.CORE_BANKING_API_KEY,
    timeoutMs: config.CORE_BANKING_TIMEOUT_MS,
  });
  const breaker = new CircuitBreakerCoreBankingClient(http, {
    failures: config.CORE_BANKING_BREAKER_FAILURES,
    cooldownMs: config.CORE_BANKING_BREAKER_COOLDOWN_MS,
  });
  return new CachedCoreBankingClient(breaker, config.CONTEXT_CACHE_TTL_MS);
}

@Module({})
export class RouterModule {
  static forRoot(config: RouterConfig): DynamicModule {
    return {
      module: RouterModule,
      imports: [
        KitModule,
        BusModule.forRoot(busOptionsFrom(config, 'router')),
        StoreModule.forRoot(databaseConfigFrom(config)),
      ],
      controllers: [
        CoreEventsController,
        // Bus handlers (@OnStream / @OnRequest), served by BusTransport (bootstrap.ts).
        InboundMessageHandler,
        DeliveryStatusHandler,
        CoreEventsHandler,
        RouterRpcHandler,
        IdentityRpcHandler,
        RoutingRpcHandler,
        AppConsentRpcHandler,
        AppConversationRpcHandler,
      ],
      providers: [
        { provide: ROUTER_CONFIG, useValue: config },
        CoreEventsService,
        CoreEventSignatureGuard,
        { provide: CoreBankingPort, useFactory: () => coreBankingFrom(config) },
        // An agent's reply never carries a card number out: it is replaced by a reference.
        { provide: REPLY_REDACTOR, useFactory: () => new PanRedactor() },
        IdentityService,
        ...identityProviders(config),
        SessionService,
        ConversationEventsService,
        SendReplyService,
        OutboundDispatch,
        CustomerContextService,
        ConsentService,
        ConsentEventsService,
        ConsentConfirmationService,
        AppConsentService,
        RetentionService,
        // The rules now; a model later behind the same port.
        { provide: IntentClassifier, useFactory: () => new RulesIntentClassifier() },
        ControlService,
        ConversationRouterService,
        BotService,
        CardActionsService,
        TicketActionsService,
        ApprovalsService,
        UnblockRefusalService,
        NotifyService,
        ConversationLanguageService,
        ObjectStoreClient,
        EmailAttachmentsRepository,
        EmailIntakeService,
        AppConversationService,
      ],
    };
  }
}
