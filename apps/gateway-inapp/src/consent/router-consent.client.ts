import { Injectable } from '@nestjs/common';
import { BusRpc } from '@omnigate/bus';
import {
  AppConsentsResponseV1Schema,
  GetAppConsentsRequestV1Schema,
  SetAppConsentRequestV1Schema,
  Subjects,
} from '@omnigate/contracts';
import type { AppConsentsResponseV1, SetAppConsentRequestV1 } from '@omnigate/contracts';

const TIMEOUT_MS = 5000;

/** The app's consent requests to the router; router error codes pass through to the edge. */
@Injectable()
export class RouterConsentClient {
  constructor(private readonly rpc: BusRpc) {}

  list(appUserId: string): Promise<AppConsentsResponseV1> {
    return this.rpc.request(
      Subjects.rpc.getAppConsents,
      GetAppConsentsRequestV1Schema,
      { appUserId },
      AppConsentsResponseV1Schema,
      TIMEOUT_MS,
    );
  }

  set(req: SetAppConsentRequestV1): Promise<AppConsentsResponseV1> {
    return this.rpc.request(
      Subjects.rpc.setAppConsent,
      SetAppConsentRequestV1Schema,
      req,
      AppConsentsResponseV1Schema,
      TIMEOUT_MS,
    );
  }
}
