import { randomUUID } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { BusPublisher } from '@omnigate/bus';
import {
  ConsentChangedV1Schema,
  Subjects,
  consentChangedEvents,
  consentChangedMsgId,
} from '@omnigate/contracts';
import type { Channel, ConsentPurpose, ConsentSource } from '@omnigate/contracts';
import { IdentitiesRepository } from '@omnigate/store';

/**
 * Tells the gateways of a consent change, so each keeps its own opt-out list (they hold no
 * database): one `consent.v1.changed.<channel>` event per channel, naming the customer's addresses
 * there. Published after the decision is stored; the msgId makes a repeat a no-op.
 */
@Injectable()
export class ConsentEventsService {
  constructor(
    private readonly identities: IdentitiesRepository,
    private readonly bus: BusPublisher,
  ) {}

  async changed(
    customerId: string,
    changes: ReadonlyArray<{ channel: Channel; purpose: ConsentPurpose; granted: boolean }>,
    source: Exclude<ConsentSource, 'default'>,
    at: Date,
  ): Promise<void> {
    const events = consentChangedEvents({
      identities: await this.identities.listForCustomer(customerId),
      changes,
      source,
      at,
      newId: randomUUID,
    });
    for (const e of events) {
      await this.bus.publish(Subjects.consentChanged(e.channel), ConsentChangedV1Schema, e, {
        msgId: consentChangedMsgId(customerId, e),
      });
    }
  }
}
