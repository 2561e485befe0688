import { Module } from '@nestjs/common';
import { RouterStoreModule } from '@omnigate/store';
import { ROUTER_CONFIG } from '../config/router.config';
import { CoreBankingModule } from '../core-banking/core-banking.module';
import { EventsModule } from '../events/events.module';
import { OutboundModule } from '../outbound/outbound.module';
import { SessionModule } from '../session/session.module';
import { AppUserService } from './app-user.service';
import { IdentityFollowUpService } from './identity-follow-up.service';
import { IdentityLinkService } from './identity-link.service';
import { IdentityRpcHandler } from './identity-rpc.handler';
import { IdentityTrustService } from './identity-trust.service';
import { IdentityService } from './identity.service';
import { LinkGuardService } from './link-guard.service';
import { CODE_HASH_KEY, LinkCodeService, codeHashKeyFrom } from './link-code.service';
import { OtpLimitsService } from './otp-limits.service';
import { OtpRequestService } from './otp-request.service';
import { StepUpService } from './step-up.service';
import { IdentityCacheModule } from './identity-cache.module';

/**
 * Who writes (a channel address linked to a customer on proof only), how sure we are of it, and
 * step-up in the app when a sensitive action needs more (issue 5).
 */
@Module({
  imports: [
    RouterStoreModule,
    SessionModule,
    CoreBankingModule,
    EventsModule,
    OutboundModule,
    IdentityCacheModule,
  ],
  controllers: [IdentityRpcHandler],
  providers: [
    { provide: CODE_HASH_KEY, inject: [ROUTER_CONFIG], useFactory: codeHashKeyFrom },
    AppUserService,
    LinkCodeService,
    LinkGuardService,
    OtpLimitsService,
    OtpRequestService,
    IdentityLinkService,
    IdentityTrustService,
    IdentityFollowUpService,
    IdentityService,
    StepUpService,
  ],
  exports: [
    IdentityService,
    IdentityTrustService,
    IdentityFollowUpService,
    AppUserService,
    StepUpService,
  ],
})
export class IdentityModule {}
