import { Injectable } from '@nestjs/common';
import { BusRpc } from '@omnigate/bus';
import {
  DecideStepUpRequestV1Schema,
  DecideStepUpResponseV1Schema,
  IssueLinkCodeRequestV1Schema,
  IssueLinkCodeResponseV1Schema,
  Subjects,
} from '@omnigate/contracts';
import type {
  DecideStepUpRequestV1,
  DecideStepUpResponseV1,
  IssueLinkCodeResponseV1,
} from '@omnigate/contracts';

const TIMEOUT_MS = 5000;

/** The gateway's identity requests to the router; router error codes pass through to the edge. */
@Injectable()
export class RouterIdentityClient {
  constructor(private readonly rpc: BusRpc) {}

  issueLinkCode(appUserId: string): Promise<IssueLinkCodeResponseV1> {
    return this.rpc.request(
      Subjects.rpc.issueLinkCode,
      IssueLinkCodeRequestV1Schema,
      { appUserId },
      IssueLinkCodeResponseV1Schema,
      TIMEOUT_MS,
    );
  }

  decideStepUp(req: DecideStepUpRequestV1): Promise<DecideStepUpResponseV1> {
    return this.rpc.request(
      Subjects.rpc.decideStepUp,
      DecideStepUpRequestV1Schema,
      req,
      DecideStepUpResponseV1Schema,
      TIMEOUT_MS,
    );
  }
}
