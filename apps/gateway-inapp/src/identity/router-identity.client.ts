import { Injectable } from '@nestjs/common';
import { BusClient } from '@omnigate/bus';
import { RouterRequests } from '@omnigate/contracts';
import type {
  DecideStepUpRequestV1,
  DecideStepUpResponseV1,
  IssueLinkCodeResponseV1,
} from '@omnigate/contracts';

/** The gateway's identity requests to the router; router error codes pass through to the edge. */
@Injectable()
export class RouterIdentityClient {
  constructor(private readonly bus: BusClient) {}

  issueLinkCode(appUserId: string): Promise<IssueLinkCodeResponseV1> {
    return this.bus.request(RouterRequests.issueLinkCode, { appUserId });
  }

  decideStepUp(req: DecideStepUpRequestV1): Promise<DecideStepUpResponseV1> {
    return this.bus.request(RouterRequests.decideStepUp, req);
  }
}
