import { JourneysController } from './journeys/journeys.controller';
import { Module } from '@nestjs/common';
import { APP_INTERCEPTOR } from '@nestjs/core';
import type { DynamicModule } from '@nestjs/common';
import { BusModule } from '@omnigate/bus';
import { KitModule, busOptionsFrom, databaseConfigFrom } from '@omnigate/kit';
import { ConsoleStoreModule } from '@omnigate/store';
import { AccountDirectory } from './auth/account-directory';
import { AuthController } from './auth/auth.controller';
import { AuthService } from './auth/auth.service';
import { AuthHousekeeping } from './auth/auth-housekeeping.service';
import { LoginAuditor } from './auth/login-auditor.service';
import { LoginThrottle } from './auth/login-throttle.service';
import { SessionsController } from './auth/sessions.controller';
import { TotpService } from './auth/totp.service';
import { BearerAuthGuard } from './auth/bearer-auth.guard';
import { ConversationAccessGuard } from './auth/conversation-access.guard';
import { OidcController } from './auth/oidc.controller';
import { OidcLoginService } from './auth/oidc-login.service';
import { ConversationQueues } from './live/conversation-queues.service';
import { Clock, SystemClock } from './auth/clock.port';
import { SessionTokenService } from './auth/session-token.service';
import { CONSOLE_CONFIG } from './config/console.config';
import type { ConsoleConfig } from './config/console.config';
import { ConversationsController } from './conversations/conversations.controller';
import { CustomerAccessGuard } from './auth/customer-access.guard';
import { AttachmentsController } from './conversations/attachments.controller';
import { ConversationsService } from './conversations/conversations.service';
import { RepliesController } from './conversations/replies.controller';
import { DeadLettersController } from './operations/dead-letters.controller';
import { LiveEventsHandler } from './live/live-events.handler';
import { LiveGateway } from './live/live.gateway';
import { RouterRpcClient } from './router/router-rpc.client';
import { VaultRpcClient } from './vault/vault-rpc.client';
import { ConsentsController } from './consents/consents.controller';
import { PrivacyController } from './privacy/privacy.controller';
import { ConsentsService } from './consents/consents.service';
import { CardActionsController } from './actions/card-actions.controller';
import { TicketsController } from './actions/tickets.controller';
import { ApprovalsController } from './actions/approvals.controller';
import { IdentitiesController } from './identities/identities.controller';
import { QueuesController } from './queues/queues.controller';
import { ConsoleAuditService } from './audit/console-audit.service';
import { AuditController } from './audit/audit.controller';
import { AuditInterceptor } from './audit/audit.interceptor';

export interface ConsoleOverrides {
  /** Tests move time past a session's expiry with this. */
  clock?: Clock;
}

@Module({})
export class ConsoleModule {
  static forRoot(config: ConsoleConfig, overrides: ConsoleOverrides = {}): DynamicModule {
    return {
      module: ConsoleModule,
      imports: [
        KitModule,
        BusModule.forRoot(busOptionsFrom(config, 'console')),
        // Opens what agents see with the KEKs; the blind-index key stays with the router.
        ConsoleStoreModule.forRoot(databaseConfigFrom(config, { blindIndex: false })),
      ],
      controllers: [
        // Bus → agent sockets (@OnBroadcast), served by BusTransport (bootstrap.ts).
        LiveEventsHandler,
        AuthController,
        OidcController,
        SessionsController,
        ConversationsController,
        AttachmentsController,
        RepliesController,
        DeadLettersController,
        ConsentsController,
        PrivacyController,
        CardActionsController,
        TicketsController,
        ApprovalsController,
        IdentitiesController,
        QueuesController,
        AuditController,
        JourneysController,
      ],
      providers: [
        { provide: CONSOLE_CONFIG, useValue: config },
        { provide: Clock, useValue: overrides.clock ?? new SystemClock() },
        // Hashes the CONSOLE_AGENTS passwords with argon2 once, at start.
        { provide: AccountDirectory, useFactory: () => AccountDirectory.build(config) },
        SessionTokenService,
        LoginThrottle,
        TotpService,
        LoginAuditor,
        AuthService,
        AuthHousekeeping,
        OidcLoginService,
        BearerAuthGuard,
        ConversationAccessGuard,
        ConversationQueues,
        ConversationsService,
        RouterRpcClient,
        VaultRpcClient,
        LiveGateway,
        ConsentsService,
        ConsoleAuditService,
        CustomerAccessGuard,
        // Records every route marked @Audited (apps/console/src/audit).
        { provide: APP_INTERCEPTOR, useClass: AuditInterceptor },
      ],
    };
  }
}
