import { Module } from '@nestjs/common';
import type { DynamicModule } from '@nestjs/common';
import { BusModule } from '@omnigate/bus';
import { KitModule, busOptionsFrom } from '@omnigate/kit';
import { RouterStoreModule } from '@omnigate/store';
import { RouterConfigModule } from './config/router-config.module';
import type { RouterConfig } from './config/router.config';
import { ActionsModule } from './actions/actions.module';
import { AppConversationModule } from './app-conversation/app-conversation.module';
import { BotModule } from './bot/bot.module';
import { ConsentModule } from './consent/consent.module';
import { ContextModule } from './context/context.module';
import { ControlModule } from './control/control.module';
import { CoreBankingModule } from './core-banking/core-banking.module';
import { CoreEventsModule } from './core-events/core-events.module';
import { EventsModule } from './events/events.module';
import { FraudModule } from './fraud/fraud.module';
import { IdentityModule } from './identity/identity.module';
import { InboundModule } from './inbound/inbound.module';
import { IntakeModule } from './intake/intake.module';
import { IntentModule } from './intent/intent.module';
import { JourneysModule } from './journeys/journeys.module';
import { NotifyModule } from './notify/notify.module';
import { OperationsModule } from './operations/operations.module';
import { OutboundModule } from './outbound/outbound.module';
import { PrivacyModule } from './privacy/privacy.module';
import { ReplyModule } from './reply/reply.module';
import { RetentionModule } from './retention/retention.module';
import { RoutingModule } from './routing/routing.module';
import { RpcModule } from './rpc/rpc.module';
import { SessionModule } from './session/session.module';
import { StatusModule } from './status/status.module';

/**
 * The router's features, each a module with explicit exports, importing each other one way
 * (tools/folder-cycles.spec.ts). Bus handlers (@OnStream / @OnRequest controllers) of every
 * imported module are served by BusTransport (bootstrap.ts).
 */
const FEATURES = [
  CoreBankingModule,
  EventsModule,
  IntentModule,
  OutboundModule,
  SessionModule,
  IdentityModule,
  ConsentModule,
  ControlModule,
  ReplyModule,
  BotModule,
  ContextModule,
  RoutingModule,
  NotifyModule,
  ActionsModule,
  RpcModule,
  IntakeModule,
  InboundModule,
  StatusModule,
  FraudModule,
  CoreEventsModule,
  RetentionModule,
  AppConversationModule,
  PrivacyModule,
  OperationsModule,
  JourneysModule,
];

@Module({})
export class RouterModule {
  static forRoot(config: RouterConfig): DynamicModule {
    return {
      module: RouterModule,
      imports: [
        KitModule,
        BusModule.forRoot(busOptionsFrom(config, 'router')),
        RouterStoreModule,
        RouterConfigModule.forRoot(config),
        ...FEATURES,
      ],
    };
  }
}
