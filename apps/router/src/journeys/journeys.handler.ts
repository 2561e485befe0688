import { Controller } from '@nestjs/common';
import { OnStream } from '@omnigate/bus';
import { StreamSubjects } from '@omnigate/contracts';
import type { ConversationEventV1 } from '@omnigate/contracts';
import { JourneyProjectionService } from './journey-projection.service';

export const JOURNEYS_DURABLE = 'router-journeys';

/**
 * The journey projection's live feed: every conversation event from CONV_EVENTS, one
 * conversation's events in order. Idempotent (event ids), so a redelivery changes nothing.
 */
@Controller()
export class JourneysHandler {
  constructor(private readonly projection: JourneyProjectionService) {}

  @OnStream(StreamSubjects.conversationEvents, {
    durable: JOURNEYS_DURABLE,
    keyOf: (e) => e.conversationId,
  })
  async handle(event: ConversationEventV1): Promise<void> {
    await this.projection.apply(event);
  }
}
