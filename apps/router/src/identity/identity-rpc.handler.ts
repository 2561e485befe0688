import { Injectable } from '@nestjs/common';
import type { OnApplicationBootstrap } from '@nestjs/common';
import { BusRpc } from '@omnigate/bus';
import {
  DecideStepUpRequestV1Schema,
  IssueLinkCodeRequestV1Schema,
  Subjects,
  UnlinkIdentityRequestV1Schema,
} from '@omnigate/contracts';
import { RPC_QUEUE } from '../rpc/router-rpc.handler';
import { StepUpService } from '../step-up/step-up.service';
import { IdentityTrustService } from './identity-trust.service';
import { LinkCodeService } from './link-code.service';

/** Identity requests: link codes and step-up answers from the in-app gateway, unlinks from the console. */
@Injectable()
export class IdentityRpcHandler implements OnApplicationBootstrap {
  constructor(
    private readonly rpc: BusRpc,
    private readonly linkCodes: LinkCodeService,
    private readonly trust: IdentityTrustService,
    private readonly stepUp: StepUpService,
  ) {}

  onApplicationBootstrap(): void {
    this.rpc.serve(
      Subjects.rpc.issueLinkCode,
      IssueLinkCodeRequestV1Schema,
      (req) => this.linkCodes.issue(req),
      RPC_QUEUE,
    );
    this.rpc.serve(
      Subjects.rpc.unlinkIdentity,
      UnlinkIdentityRequestV1Schema,
      (req) => this.trust.unlink(req),
      RPC_QUEUE,
    );
    this.rpc.serve(
      Subjects.rpc.decideStepUp,
      DecideStepUpRequestV1Schema,
      (req) => this.stepUp.decide(req),
      RPC_QUEUE,
    );
  }
}
