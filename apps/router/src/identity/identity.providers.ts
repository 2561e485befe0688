import type { Provider } from '@nestjs/common';
import type { RouterConfig } from '../config/router.config';
import { AssuranceService } from '../session/assurance.service';
import { StepUpService } from './step-up.service';
import { AppUserService } from './app-user.service';
import { IdentityFollowUpService } from './identity-follow-up.service';
import { IdentityLinkService } from './identity-link.service';
import { IdentityTrustService } from './identity-trust.service';
import { LinkGuardService } from './link-guard.service';
import { CODE_HASH_KEY, LinkCodeService, codeHashKeyFrom } from './link-code.service';

/** Identity linking, trust, assurance and step-up (issue 5), registered by RouterModule. */
export function identityProviders(config: RouterConfig): Provider[] {
  return [
    { provide: CODE_HASH_KEY, useValue: codeHashKeyFrom(config) },
    AssuranceService,
    StepUpService,
    AppUserService,
    LinkCodeService,
    LinkGuardService,
    IdentityLinkService,
    IdentityTrustService,
    IdentityFollowUpService,
  ];
}
