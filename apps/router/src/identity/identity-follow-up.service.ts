import { Inject, Injectable } from '@nestjs/common';
import { isSendAllowed } from '@omnigate/contracts';
import type { Channel, InboundMessageV1 } from '@omnigate/contracts';
import { ConsentsRepository, MessagesRepository } from '@omnigate/store';
import type { CustomerRow } from '@omnigate/store';
import { AssuranceService } from '../session/assurance.service';
import { ROUTER_CONFIG } from '../config/router.config';
import type { RouterConfig } from '../config/router.config';
import { ConversationEventsService } from '../events/conversation-events.service';
import { IdentityLinkService } from './identity-link.service';
import type { LinkFollowUp } from './identity-link.service';
import { OTP_STORED_BODY, linkReplyText, otpText } from './link-reply.mapper';
import { OutboundDispatch } from '../outbound/outbound-dispatch.service';
import { OtpRequestService } from './otp-request.service';
import { UNPROVEN_SENDER_TEXT } from './unproven-command.mapper';

/**
 * What identity and assurance do once an inbound message is stored in its conversation: raise
 * the session's assurance from the app login, answer a link command (IT + EN) on the channel it
 * came from, send a requested OTP to the bank-verified address. Replies are idempotent (keyed on
 * the inbound message), like the consent confirmations.
 */
@Injectable()
export class IdentityFollowUpService {
  constructor(
    private readonly linking: IdentityLinkService,
    private readonly assurance: AssuranceService,
    private readonly messages: MessagesRepository,
    private readonly consents: ConsentsRepository,
    private readonly dispatch: OutboundDispatch,
    private readonly events: ConversationEventsService,
    private readonly otps: OtpRequestService,
    @Inject(ROUTER_CONFIG) private readonly config: RouterConfig,
  ) {}

  /**
   * The assurance the message proves (an app login), raised before anyone hears of the message:
   * an agent who acts on the console event sees the level the customer has now.
   */
  async raiseAssurance(msg: InboundMessageV1, customer: CustomerRow): Promise<void> {
    await this.assurance.onInbound(msg, customer);
  }

  /** True when the message was a link command (answered here; nothing else should answer it). */
  async afterStored(
    msg: InboundMessageV1,
    customer: CustomerRow,
    conversationId: string,
  ): Promise<boolean> {
    const followUp = this.linking.takeFollowUp(msg);
    if (!followUp) return false;
    await this.answer(msg, customer, conversationId, followUp);
    return true;
  }

  private async answer(
    msg: InboundMessageV1,
    customer: CustomerRow,
    conversationId: string,
    followUp: LinkFollowUp,
  ): Promise<void> {
    const { otp } = followUp;
    // A STOP on that channel still wins (consent of the customer the address belongs to): the
    // requester's answer is the same either way.
    if (otp && (await this.serviceAllowed(otp.customerId, otp.channel))) {
      const minutes = Math.max(1, Math.round(this.config.OTP_TTL_MS / 60_000));
      await this.send(customer, {
        conversationId,
        channel: otp.channel,
        address: otp.address,
        stored: OTP_STORED_BODY,
        text: otpText(otp.code, minutes),
        dedupeKey: `identity-otp:${otp.proofId}`,
      });
    }
    if (otp) await this.otps.sent(msg);
    const reply =
      followUp.outcome === 'unproven_sender'
        ? UNPROVEN_SENDER_TEXT
        : linkReplyText(followUp.outcome);
    await this.send(customer, {
      conversationId,
      channel: msg.channel,
      address: msg.from.address,
      stored: reply,
      text: reply,
      dedupeKey: `identity-reply:${msg.channel}:${msg.providerMessageId}`,
    });
  }

  /** The consent rule of libs/contracts on the stored decision (no import of consent/: no cycle). */
  private async serviceAllowed(customerId: string, channel: Channel): Promise<boolean> {
    return isSendAllowed('service', await this.consents.get(customerId, channel, 'service'));
  }

  /** A system message: stored (`stored` as body), handed to the channel's gateway with `text`. */
  private async send(
    customer: CustomerRow,
    m: {
      conversationId: string;
      channel: Channel;
      address: string;
      stored: string;
      text: string;
      dedupeKey: string;
    },
  ): Promise<void> {
    const { message, conversation, duplicate } = await this.messages.appendOutbound({
      conversationId: m.conversationId,
      channel: m.channel,
      address: m.address,
      body: m.stored,
      authorKind: 'system',
      authorId: 'identity',
      dedupeKey: m.dedupeKey,
      customerId: customer.id,
    });
    if (message.status !== null) return;
    // A redelivery hands out what was stored the first time (the first answer wins).
    await this.dispatch.handOut(message, {
      author: { kind: 'system', id: message.authorId ?? 'identity' },
      text: duplicate ? message.body : m.text,
    });
    await this.events.messageCreated(conversation, customer, message);
  }
}
