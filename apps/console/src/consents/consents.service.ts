import { randomUUID } from 'node:crypto';
import { Injectable, Logger } from '@nestjs/common';
import { BusPublisher } from '@omnigate/bus';
import {
  ConsentChangedV1Schema,
  Subjects,
  consentChangedEvents,
  consentChangedMsgId,
  effectiveConsents,
} from '@omnigate/contracts';
import type { Channel } from '@omnigate/contracts';
import { ConsentsRepository, IdentitiesRepository } from '@omnigate/store';
import type { ConsentRow } from '@omnigate/store';
import type { ConsentUpdateBody, CustomerConsents } from './consents.dto';
import { CustomerNotFoundError } from './consents.errors';

/**
 * A customer's consents as the console shows and changes them. A change is also published for the
 * gateways (`consent.v1.changed.<channel>`), which keep their own opt-out lists.
 */
@Injectable()
export class ConsentsService {
  private readonly logger = new Logger('console-consents');

  constructor(
    private readonly consents: ConsentsRepository,
    private readonly identities: IdentitiesRepository,
    private readonly bus: BusPublisher,
  ) {}

  async list(customerId: string): Promise<CustomerConsents> {
    if (!(await this.consents.customerExists(customerId))) throw new CustomerNotFoundError();
    return toView(customerId, await this.consents.listForCustomer(customerId));
  }

  async update(
    customerId: string,
    body: ConsentUpdateBody,
    agentId: string,
  ): Promise<CustomerConsents> {
    if (!(await this.consents.customerExists(customerId))) throw new CustomerNotFoundError();
    const at = new Date();
    await this.consents.record(
      body.consents.map((c) => ({
        customerId,
        channel: c.channel,
        purpose: c.purpose,
        granted: c.granted,
        source: 'agent' as const,
        updatedBy: `agent:${agentId}`,
        at,
      })),
    );
    const events = consentChangedEvents({
      identities: await this.identities.listForCustomer(customerId),
      changes: body.consents,
      source: 'agent',
      at,
      newId: randomUUID,
    });
    for (const e of events) {
      await this.bus.publish(Subjects.consentChanged(e.channel), ConsentChangedV1Schema, e, {
        msgId: consentChangedMsgId(customerId, e),
      });
    }
    this.logger.log({
      msg: 'consents changed by agent',
      customerId,
      agentId,
      count: body.consents.length,
    });
    return this.list(customerId);
  }
}

function toView(customerId: string, rows: ConsentRow[]): CustomerConsents {
  const stored = rows.map((r) => ({
    channel: r.channel as Channel,
    purpose: r.purpose,
    granted: r.granted,
    source: r.source,
    updatedAt: r.updatedAt,
  }));
  return {
    customerId,
    consents: effectiveConsents(stored).map((c) => ({
      ...c,
      updatedAt: c.updatedAt ? c.updatedAt.toISOString() : null,
    })),
  };
}
