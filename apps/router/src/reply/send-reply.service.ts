import { Inject, Injectable } from '@nestjs/common';
import type {
  Channel,
  ConsentPurpose,
  SendReplyRequestV1,
  SendReplyResponseV1,
} from '@omnigate/contracts';
import { PanRedactor } from '@omnigate/crypto';
import {
  ConversationsRepository,
  DbHandle,
  MessagesRepository,
  toMessageView,
} from '@omnigate/store';
import type {
  ChannelIdentityRow,
  ConversationWithCustomer,
  CustomerRow,
  MessageRow,
} from '@omnigate/store';
import { ConsentService } from '../consent/consent.service';
import { ControlService } from '../control/control.service';
import { ConversationEventsService } from '../events/conversation-events.service';
import { asChannel } from '../events/conversation-event.mapper';
import {
  ChannelNotFoundError,
  ConversationNotFoundError,
  IdempotencyKeyConflictError,
  ReplyTooLargeError,
} from '../shared/router.errors';
import { chooseReplyTarget } from './reply-target.mapper';
import type { ReplyTarget } from './reply-target.mapper';
import { OutboundDispatch } from '../outbound/outbound-dispatch.service';
import { IdentityCache } from '../identity/identity-cache.service';

export const REPLY_REDACTOR = Symbol('REPLY_REDACTOR');
export type ReplyAuthorKind = 'agent' | 'bot';
const MAX_TEXT = 4096;

/** What a caller (the bot) read for this message already: not read again to send its answer. */
export interface HeldForReply {
  conversation?: ConversationWithCustomer['conversation'];
  customer?: CustomerRow;
  /** The customer's identities (the target is chosen among them). */
  identities?: ChannelIdentityRow[];
  /** No reply with this idempotency key is stored (the caller knows: it looked, or it cannot be). */
  notSentBefore?: boolean;
}

/**
 * An agent's reply: pick channel and address, store it, hand it to that channel's gateway,
 * announce it. Idempotent on the request's key: a retried click returns the same message, and
 * the gateway gets it once (same Nats-Msg-Id).
 */
@Injectable()
export class SendReplyService {
  constructor(
    private readonly h: DbHandle,
    private readonly conversations: ConversationsRepository,
    private readonly identities: IdentityCache,
    private readonly messages: MessagesRepository,
    private readonly dispatch: OutboundDispatch,
    private readonly events: ConversationEventsService,
    private readonly consent: ConsentService,
    private readonly control: ControlService,
    @Inject(REPLY_REDACTOR) private readonly redactor: PanRedactor,
  ) {}

  /** `authorKind` 'bot': the bot's answer (`agentId` names the bot); it takes nothing over. */
  async send(
    req: SendReplyRequestV1,
    authorKind: ReplyAuthorKind = 'agent',
    held: HeldForReply = {},
  ): Promise<SendReplyResponseV1> {
    const found = await this.conversationOf(req.conversationId, held);
    const dedupeKey = `reply:${req.idempotencyKey}`;
    // appendOutbound finds a stored one too; read first only to replay without a new target.
    const earlier = held.notSentBefore
      ? null
      : await this.messages.byDedupeKey(this.h.db, dedupeKey);
    if (earlier) return this.replay(earlier, found.customer, req, authorKind);

    const purpose = req.purpose ?? 'service';
    const target = await this.targetFor(found, req.channel, purpose, held.identities);
    // Defence in depth: an agent pasting a card number must not put it on the bus or in the database.
    const body = this.redactor.redact(req.text).text;
    if (body.length > MAX_TEXT) throw new ReplyTooLargeError(MAX_TEXT);

    const stored = await this.messages.appendOutbound({
      conversationId: found.conversation.id,
      channel: target.channel,
      address: target.address,
      body,
      authorKind,
      authorId: req.agentId,
      dedupeKey,
      customerId: found.customer.id,
    });
    if (stored.message.conversationId !== found.conversation.id) {
      throw new IdempotencyKeyConflictError();
    }
    await this.dispatch.handOut(stored.message, {
      author: { kind: authorKind, id: req.agentId },
      purpose,
    });
    await this.events.messageCreated(stored.conversation, found.customer, stored.message);
    // An agent who answers takes the conversation over: the bot falls silent.
    if (authorKind === 'agent') {
      await this.control.onAgentReply(found.conversation.id, req.agentId, stored.message.id);
    }
    return { message: toMessageView(stored.message) };
  }

  private async conversationOf(
    conversationId: string,
    held: HeldForReply,
  ): Promise<ConversationWithCustomer> {
    const { conversation, customer } = held;
    if (conversation?.id === conversationId && customer?.id === conversation.customerId) {
      return { conversation, customer };
    }
    const found = await this.conversations.get(conversationId);
    if (!found) throw new ConversationNotFoundError();
    return found;
  }

  private async targetFor(
    found: ConversationWithCustomer,
    requested: Channel | undefined,
    purpose: ConsentPurpose,
    identities?: ChannelIdentityRow[],
  ): Promise<ReplyTarget> {
    const target = chooseReplyTarget({
      requested,
      conversation: {
        lastChannel: asChannel(found.conversation.lastChannel),
        lastAddress: found.conversation.lastAddress,
      },
      identities: identities ?? (await this.identities.listForCustomer(found.customer.id)),
    });
    if (!target) throw new ChannelNotFoundError(requested ?? found.conversation.lastChannel);
    // Consent per customer, channel and purpose (STOP/START recorded there); the gateway's own
    // veto list per address is the second line.
    await this.consent.assertAllowed(found.customer.id, target.channel, purpose);
    return target;
  }

  /** The same key again: answer with the stored reply; hand it out again only if no gateway has reported on it. */
  private async replay(
    message: MessageRow,
    customer: CustomerRow,
    req: SendReplyRequestV1,
    authorKind: ReplyAuthorKind,
  ): Promise<SendReplyResponseV1> {
    if (message.conversationId !== req.conversationId) throw new IdempotencyKeyConflictError();
    if (message.status === null) {
      // Handed out again: the customer may have sent STOP since the first attempt.
      const purpose = req.purpose ?? 'service';
      await this.consent.assertAllowed(customer.id, asChannel(message.channel), purpose);
      const author = { kind: authorKind, id: message.authorId ?? req.agentId };
      await this.dispatch.handOut(message, { author, purpose });
      const conv = await this.conversations.get(message.conversationId);
      if (conv) await this.events.messageCreated(conv.conversation, customer, message);
    }
    return { message: toMessageView(message) };
  }
}
