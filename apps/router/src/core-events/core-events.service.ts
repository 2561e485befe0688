import { Injectable, Logger } from '@nestjs/common';
import { lastValueFrom } from 'rxjs';
import { BusClient } from '@omnigate/bus';
import { StreamSubjects } from '@omnigate/contracts';
import { counter } from '@omnigate/kit';
import { toCoreBankingEvent } from './core-event.mapper';
import type { CoreEventWebhook } from './core-event.mapper';

const received = counter(
  'omnigate_router_core_events_total',
  'Core events accepted from the bank and stored on CORE_EVENTS',
  ['kind', 'duplicate'],
);

/**
 * A verified core event onto the bus: CoreBankingEventV1 on core.v1.event.<kind>, deduplicated
 * by the bank's event id (a retried webhook yields one message). Resolves only after JetStream
 * acknowledged; BusUnavailableError otherwise (the controller answers 503 and the bank retries).
 */
@Injectable()
export class CoreEventsService {
  private readonly logger = new Logger('core-events');

  constructor(private readonly bus: BusClient) {}

  async accept(body: CoreEventWebhook): Promise<{ duplicate: boolean }> {
    const event = toCoreBankingEvent(body);
    // The declaration names the subject (core.v1.event.<kind>) and the msgId (core:<eventId>).
    const ack = await lastValueFrom(this.bus.emit(StreamSubjects.coreEvents, event));
    received.inc({ kind: event.kind, duplicate: String(ack.duplicate) });
    this.logger.log({
      msg: 'core event published',
      kind: event.kind,
      coreEventId: event.coreEventId,
      seq: ack.seq,
      duplicate: ack.duplicate,
    });
    return { duplicate: ack.duplicate };
  }
}
