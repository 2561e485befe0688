import { Injectable, Logger } from '@nestjs/common';
import { consentChangesForKeyword, isSendAllowed } from '@omnigate/contracts';
import type { Channel, ConsentPurpose, InboundMessageV1 } from '@omnigate/contracts';
import { counter } from '@omnigate/kit';
import { ConsentsRepository } from '@omnigate/store';
import { ConsentRevokedError } from '../shared/router.errors';
import { ConsentEventsService } from './consent-events.service';

const keywordChanges = counter(
  'omnigate_router_consent_keyword_total',
  'Consent keywords applied (STOP/START on any channel)',
  ['channel', 'kind'],
);
const refusals = counter(
  'omnigate_router_consent_refused_total',
  'Outbound messages refused because the customer revoked consent',
  ['channel', 'purpose'],
);

/**
 * Consent per customer, channel and purpose: keywords record it, every outbound checks it.
 * The rules (defaults, what STOP and START change) are the pure functions in libs/contracts.
 */
@Injectable()
export class ConsentService {
  private readonly logger = new Logger('consent');

  constructor(
    private readonly consents: ConsentsRepository,
    private readonly events: ConsentEventsService,
  ) {}

  /**
   * An inbound STOP/START from the customer: record it on that channel, as of when it was sent.
   * Says whether service messages were allowed there before (a START that changes nothing, like
   * Telegram's /start on first contact, needs no confirmation).
   */
  async applyKeyword(
    customerId: string,
    msg: Pick<InboundMessageV1, 'channel' | 'kind' | 'occurredAt' | 'id'>,
  ): Promise<{ serviceWasAllowed: boolean }> {
    const serviceWasAllowed = await this.isAllowed(customerId, msg.channel, 'service');
    if (msg.kind !== 'optout' && msg.kind !== 'optin') return { serviceWasAllowed };
    const at = new Date(msg.occurredAt);
    const changes = consentChangesForKeyword(msg.kind).map((c) => ({ ...c, channel: msg.channel }));
    await this.consents.record(
      changes.map((c) => ({
        customerId,
        ...c,
        source: 'keyword' as const,
        updatedBy: `message:${msg.id}`,
        at,
      })),
    );
    await this.events.changed(customerId, changes, 'keyword', at);
    keywordChanges.inc({ channel: msg.channel, kind: msg.kind });
    this.logger.log({
      msg: 'consent keyword applied',
      customerId,
      channel: msg.channel,
      kind: msg.kind,
    });
    return { serviceWasAllowed };
  }

  async isAllowed(customerId: string, channel: Channel, purpose: ConsentPurpose): Promise<boolean> {
    return isSendAllowed(purpose, await this.consents.get(customerId, channel, purpose));
  }

  /** Throws CONSENT.REVOKED (→ 409) when the customer does not want `purpose` on `channel`. */
  async assertAllowed(
    customerId: string,
    channel: Channel,
    purpose: ConsentPurpose,
  ): Promise<void> {
    if (await this.isAllowed(customerId, channel, purpose)) return;
    refusals.inc({ channel, purpose });
    throw new ConsentRevokedError(channel, purpose);
  }
}
