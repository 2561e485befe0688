import { Controller } from '@nestjs/common';
import { OnRequest } from '@omnigate/bus';
import { RouterRequests } from '@omnigate/contracts';
import type { GetAppConsentsRequestV1, SetAppConsentRequestV1 } from '@omnigate/contracts';
import { AppConsentService } from './app-consent.service';

/** The app's consent requests, from the in-app gateway (GET/PUT /v1/consents). */
@Controller()
export class AppConsentRpcHandler {
  constructor(private readonly appConsents: AppConsentService) {}

  @OnRequest(RouterRequests.getAppConsents)
  getAppConsents(req: GetAppConsentsRequestV1) {
    return this.appConsents.list(req);
  }

  @OnRequest(RouterRequests.setAppConsent)
  setAppConsent(req: SetAppConsentRequestV1) {
    return this.appConsents.set(req);
  }
}
