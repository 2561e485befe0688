import { Injectable } from '@nestjs/common';
import type { OnApplicationBootstrap } from '@nestjs/common';
import { BusRpc } from '@omnigate/bus';
import {
  GetAppConsentsRequestV1Schema,
  SetAppConsentRequestV1Schema,
  Subjects,
} from '@omnigate/contracts';
import { RPC_QUEUE } from '../rpc/router-rpc.handler';
import { AppConsentService } from './app-consent.service';

/** The app's consent requests, from the in-app gateway (GET/PUT /v1/consents). */
@Injectable()
export class AppConsentRpcHandler implements OnApplicationBootstrap {
  constructor(
    private readonly rpc: BusRpc,
    private readonly appConsents: AppConsentService,
  ) {}

  onApplicationBootstrap(): void {
    this.rpc.serve(
      Subjects.rpc.getAppConsents,
      GetAppConsentsRequestV1Schema,
      (req) => this.appConsents.list(req),
      RPC_QUEUE,
    );
    this.rpc.serve(
      Subjects.rpc.setAppConsent,
      SetAppConsentRequestV1Schema,
      (req) => this.appConsents.set(req),
      RPC_QUEUE,
    );
  }
}
