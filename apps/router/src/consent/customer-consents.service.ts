import { Injectable, Logger } from '@nestjs/common';
import type {
  AppConsentsResponseV1,
  GetCustomerConsentsRequestV1,
  SetCustomerConsentsRequestV1,
} from '@omnigate/contracts';
import { ConsentsRepository, CustomerNotFoundError } from '@omnigate/store';
import { toAppConsents } from './app-consent.mapper';
import { ConsentEventsService } from './consent-events.service';

/**
 * A customer's consents as the console shows them, and what the customer told an agent (source
 * 'agent', newest wins like keywords and the app). The router owns the table: the console asks
 * (rpc.v1.router.get_customer_consents / set_customer_consents), the router records the decision
 * and tells the gateways (`consent.v1.changed.<channel>`), which keep their own opt-out lists.
 */
@Injectable()
export class CustomerConsentsService {
  private readonly logger = new Logger('consent');

  constructor(
    private readonly consents: ConsentsRepository,
    private readonly consentEvents: ConsentEventsService,
  ) {}

  async list(req: GetCustomerConsentsRequestV1): Promise<AppConsentsResponseV1> {
    await this.mustExist(req.customerId);
    return toAppConsents(await this.consents.listForCustomer(req.customerId));
  }

  async set(req: SetCustomerConsentsRequestV1): Promise<AppConsentsResponseV1> {
    const { customerId, actor, consents: changes } = req;
    await this.mustExist(customerId);
    const at = new Date();
    await this.consents.record(
      changes.map((c) => ({
        customerId,
        ...c,
        source: 'agent' as const,
        updatedBy: `agent:${actor}`,
        at,
      })),
    );
    // Stored first: a gateway hearing of it before the table says so would be told twice.
    await this.consentEvents.changed(customerId, changes, 'agent', at);
    this.logger.log({
      msg: 'consents changed by agent',
      customerId,
      agentId: actor,
      count: changes.length,
    });
    return toAppConsents(await this.consents.listForCustomer(customerId));
  }

  private async mustExist(customerId: string): Promise<void> {
    if (!(await this.consents.customerExists(customerId))) throw new CustomerNotFoundError();
  }
}
