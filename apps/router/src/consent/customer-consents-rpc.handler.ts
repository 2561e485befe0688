import { Controller } from '@nestjs/common';
import { OnRequest } from '@omnigate/bus';
import { RouterRequests } from '@omnigate/contracts';
import type {
  GetCustomerConsentsRequestV1,
  SetCustomerConsentsRequestV1,
} from '@omnigate/contracts';
import { CustomerConsentsService } from './customer-consents.service';

/** The console's consent requests (GET/PUT /api/customers/:id/consents); roles checked there. */
@Controller()
export class CustomerConsentsRpcHandler {
  constructor(private readonly consents: CustomerConsentsService) {}

  @OnRequest(RouterRequests.getCustomerConsents)
  getCustomerConsents(req: GetCustomerConsentsRequestV1) {
    return this.consents.list(req);
  }

  @OnRequest(RouterRequests.setCustomerConsents)
  setCustomerConsents(req: SetCustomerConsentsRequestV1) {
    return this.consents.set(req);
  }
}
