import { Injectable } from '@nestjs/common';
import { BusClient } from '@omnigate/bus';
import { RouterRequests } from '@omnigate/contracts';
import type { AppConsentsResponseV1, SetAppConsentRequestV1 } from '@omnigate/contracts';

/** The app's consent requests to the router; router error codes pass through to the edge. */
@Injectable()
export class RouterConsentClient {
  constructor(private readonly bus: BusClient) {}

  list(appUserId: string): Promise<AppConsentsResponseV1> {
    return this.bus.request(RouterRequests.getAppConsents, { appUserId });
  }

  set(req: SetAppConsentRequestV1): Promise<AppConsentsResponseV1> {
    return this.bus.request(RouterRequests.setAppConsent, req);
  }
}
