import { Injectable } from '@nestjs/common';
import { RouterRequests } from '@omnigate/contracts';
import { AppError } from '@omnigate/kit';
import { RouterRpcClient } from '../router/router-rpc.client';
import type { ConsentUpdateBody, CustomerConsents } from './consents.dto';
import { CustomerNotFoundError } from './consents.errors';

/**
 * A customer's consents as the console shows and changes them. The router owns them: the console
 * asks it to read and to record an agent's decision (it stores the change, then tells the gateways
 * with `consent.v1.changed.<channel>`); the console checks the agent's access and audits.
 */
@Injectable()
export class ConsentsService {
  constructor(private readonly router: RouterRpcClient) {}

  async list(customerId: string): Promise<CustomerConsents> {
    const answer = await this.ask(() =>
      this.router.call(RouterRequests.getCustomerConsents, { customerId }),
    );
    return { customerId, consents: answer.consents };
  }

  async update(
    customerId: string,
    body: ConsentUpdateBody,
    agentId: string,
  ): Promise<CustomerConsents> {
    const answer = await this.ask(() =>
      this.router.call(RouterRequests.setCustomerConsents, {
        customerId,
        actor: agentId,
        consents: body.consents,
      }),
    );
    return { customerId, consents: answer.consents };
  }

  /** The router's CUSTOMER.NOT_FOUND is the console's 404 of this route, as before. */
  private async ask<T>(call: () => Promise<T>): Promise<T> {
    try {
      return await call();
    } catch (e) {
      if (e instanceof AppError && e.code === 'CUSTOMER.NOT_FOUND') {
        throw new CustomerNotFoundError();
      }
      throw e;
    }
  }
}
