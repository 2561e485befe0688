import { Injectable } from '@nestjs/common';
import { CONSENT_CONFIRMATION_AUTHOR } from '@omnigate/contracts';
import type { InboundMessageV1 } from '@omnigate/contracts';
import { MessagesRepository } from '@omnigate/store';
import type { CustomerRow } from '@omnigate/store';
import { ConversationEventsService } from '../events/conversation-events.service';
import {
  confirmsConsentOn,
  consentConfirmationKey,
  consentConfirmationText,
} from './consent-confirmation.mapper';
import { OutboundDispatch } from '../outbound/outbound-dispatch.service';

/**
 * After STOP / START: a bilingual system message on the same channel saying what changed and how
 * to undo it. It is the one message a STOP still allows (the confirmation of the opt-out itself).
 * Idempotent: keyed on the keyword message, handed out again only while no gateway reported on it.
 */
@Injectable()
export class ConsentConfirmationService {
  constructor(
    private readonly messages: MessagesRepository,
    private readonly dispatch: OutboundDispatch,
    private readonly events: ConversationEventsService,
  ) {}

  async confirm(
    msg: InboundMessageV1,
    customer: CustomerRow,
    conversationId: string,
  ): Promise<void> {
    if (msg.kind !== 'optout' && msg.kind !== 'optin') return;
    if (!confirmsConsentOn(msg.channel)) return;
    const stored = await this.messages.appendOutbound({
      conversationId,
      channel: msg.channel,
      address: msg.from.address,
      body: consentConfirmationText(msg.kind),
      authorKind: 'system',
      authorId: 'consent',
      dedupeKey: consentConfirmationKey(msg.channel, msg.providerMessageId),
      customerId: customer.id,
    });
    const { message, conversation } = stored;
    if (message.status !== null) return;
    await this.dispatch.handOut(message, { author: CONSENT_CONFIRMATION_AUTHOR });
    await this.events.messageCreated(conversation, customer, message);
  }
}
