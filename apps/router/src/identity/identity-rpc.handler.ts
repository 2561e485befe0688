import { Controller } from '@nestjs/common';
import { OnRequest } from '@omnigate/bus';
import { RouterRequests } from '@omnigate/contracts';
import type {
  DecideStepUpRequestV1,
  IssueLinkCodeRequestV1,
  UnlinkIdentityRequestV1,
} from '@omnigate/contracts';
import { StepUpService } from './step-up.service';
import { IdentityTrustService } from './identity-trust.service';
import { LinkCodeService } from './link-code.service';

/** Identity requests: link codes and step-up answers from the in-app gateway, unlinks from the console. */
@Controller()
export class IdentityRpcHandler {
  constructor(
    private readonly linkCodes: LinkCodeService,
    private readonly trust: IdentityTrustService,
    private readonly stepUp: StepUpService,
  ) {}

  @OnRequest(RouterRequests.issueLinkCode)
  issueLinkCode(req: IssueLinkCodeRequestV1) {
    return this.linkCodes.issue(req);
  }

  @OnRequest(RouterRequests.unlinkIdentity)
  unlinkIdentity(req: UnlinkIdentityRequestV1) {
    return this.trust.unlink(req);
  }

  @OnRequest(RouterRequests.decideStepUp)
  decideStepUp(req: DecideStepUpRequestV1) {
    return this.stepUp.decide(req);
  }
}
