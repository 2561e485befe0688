import { Inject, Injectable, Logger } from '@nestjs/common';
import { PanRedactor } from '@omnigate/crypto';
import { counter } from '@omnigate/kit';
import {
  ConversationsRepository,
  DbHandle,
  IdentitiesRepository,
  MessagesRepository,
} from '@omnigate/store';
import type { ConversationWithCustomer, CustomerRow, MessageRow } from '@omnigate/store';
import { ConsentService } from '../consent/consent.service';
import { CoreBankingPort } from '../core-banking/core-banking.port';
import { CoreBankingUnavailableError } from '../core-banking/core-banking.errors';
import { ConversationEventsService } from '../events/conversation-events.service';
import { REPLY_REDACTOR } from '../reply/send-reply.service';
import { ConversationNotFoundError } from '../shared/router.errors';
import {
  NotifyKeys,
  notificationAddresses,
  notificationIdOf,
  pickFallback,
  planNotification,
} from './notification-channels.mapper';
import type { NotifyTarget } from './notification-channels.mapper';
import { notificationText } from './notification-text.mapper';
import type { NotificationContent } from './notification-text.mapper';
import { ConversationLanguageService } from './conversation-language.service';
import { OutboundDispatch } from '../outbound/outbound-dispatch.service';

const sent = counter('omnigate_router_notifications_total', 'Customer notifications handed out', [
  'channel',
  'kind',
]);

export interface NotifyRequest {
  /** Stable for what caused it (see notificationIdFor): sending again is a no-op. */
  notificationId: string;
  conversationId: string;
  content: NotificationContent;
}

/**
 * Tells the customer what an agent did: a system message in the conversation, sent in the app
 * and by SMS (the customer's proven addresses, consent for `service` checked as for replies),
 * and on one other channel when one of those is missing or a delivery fails. Every message of a
 * notification has author `notify:<id>` and a dedupe key per channel, so a retry or a
 * redelivered status sends nothing twice.
 */
@Injectable()
export class NotifyService {
  private readonly logger = new Logger('notify');

  constructor(
    private readonly h: DbHandle,
    private readonly conversations: ConversationsRepository,
    private readonly identities: IdentitiesRepository,
    private readonly messages: MessagesRepository,
    private readonly dispatch: OutboundDispatch,
    private readonly events: ConversationEventsService,
    private readonly consent: ConsentService,
    private readonly coreBanking: CoreBankingPort,
    private readonly language: ConversationLanguageService,
    @Inject(REPLY_REDACTOR) private readonly redactor: PanRedactor,
  ) {}

  async notify(req: NotifyRequest): Promise<MessageRow[]> {
    const found = await this.conversations.get(req.conversationId);
    if (!found) throw new ConversationNotFoundError();
    const language = await this.language.of(found.conversation.id);
    // An agent's resolution text goes to the customer: no card number on the bus or at rest.
    const body = this.redactor.redact(notificationText(req.content, language)).text;
    const plan = planNotification(await this.allowedTargets(found.customer));
    const out: MessageRow[] = [];
    for (const t of plan.primary) {
      const key = NotifyKeys.primary(req.notificationId, t.channel);
      out.push(await this.deliver(found, t, body, key, req.notificationId, req.content.kind));
    }
    if (plan.fallback) {
      const key = NotifyKeys.fallback(req.notificationId);
      out.push(
        await this.deliver(found, plan.fallback, body, key, req.notificationId, req.content.kind),
      );
    }
    if (out.length === 0) await this.undeliverable(found.conversation.id, req.notificationId);
    return out;
  }

  /**
   * A delivery of a notification failed: send the same text once on a channel not tried yet.
   * Any other message is none of ours. Idempotent: the fallback has one dedupe key.
   */
  async onFailed(message: MessageRow): Promise<void> {
    const notificationId = notificationIdOf(message);
    if (!notificationId || message.status !== 'failed') return;
    const found = await this.conversations.get(message.conversationId);
    if (!found) return;
    const fallbackKey = NotifyKeys.fallback(notificationId);
    const earlier = await this.messages.byDedupeKey(this.h.db, fallbackKey);
    if (earlier) {
      // Once only; a redelivery after a crash before the hand-out publishes it again.
      if (earlier.status === null) await this.handOut(found, earlier, 'fallback');
      return;
    }
    const author = NotifyKeys.author(notificationId);
    const siblings = await this.messages.listAfter(message.conversationId, 0);
    const tried = new Set(siblings.filter((m) => m.authorId === author).map((m) => m.channel));
    const target = pickFallback(await this.allowedTargets(found.customer), tried);
    if (!target) {
      await this.undeliverable(found.conversation.id, notificationId);
      return;
    }
    await this.deliver(found, target, message.body, fallbackKey, notificationId, 'fallback');
  }

  /** The customer's proven addresses whose channel accepts service messages from us. */
  private async allowedTargets(customer: CustomerRow): Promise<NotifyTarget[]> {
    const [identities, bank] = await Promise.all([
      this.identities.listForCustomer(customer.id),
      this.bankCustomer(customer),
    ]);
    const all = notificationAddresses({
      identities,
      bankPhone: bank?.phone ?? null,
      bankEmail: bank?.email ?? null,
    });
    const allowed: NotifyTarget[] = [];
    for (const t of all) {
      // STOP on a channel revoked it in consents; the gateway's veto list is the second line.
      if (!(await this.consent.isAllowed(customer.id, t.channel, 'service'))) continue;
      allowed.push(t);
    }
    return allowed;
  }

  private async bankCustomer(customer: CustomerRow) {
    if (customer.kind !== 'customer' || !customer.coreRef) return null;
    try {
      return await this.coreBanking.getCustomer(customer.coreRef);
    } catch (e) {
      // Core banking down: the linked identities still reach the customer.
      if (e instanceof CoreBankingUnavailableError) return null;
      throw e;
    }
  }

  private async deliver(
    found: ConversationWithCustomer,
    target: NotifyTarget,
    body: string,
    dedupeKey: string,
    notificationId: string,
    kind: string,
  ): Promise<MessageRow> {
    const stored = await this.messages.appendOutbound({
      conversationId: found.conversation.id,
      channel: target.channel,
      address: target.address,
      body,
      authorKind: 'system',
      authorId: NotifyKeys.author(notificationId),
      dedupeKey,
      customerId: found.customer.id,
    });
    // Stored before and a gateway reported on it already: handed out, nothing to do.
    if (stored.duplicate && stored.message.status !== null) return stored.message;
    await this.handOut({ ...found, conversation: stored.conversation }, stored.message, kind);
    return stored.message;
  }

  private async handOut(
    found: ConversationWithCustomer,
    message: MessageRow,
    kind: string,
  ): Promise<void> {
    await this.dispatch.handOut(message, {
      author: { kind: 'system', id: message.authorId ?? 'notify' },
    });
    await this.events.messageCreated(found.conversation, found.customer, message);
    sent.inc({ channel: message.channel, kind });
  }

  private async undeliverable(conversationId: string, notificationId: string): Promise<void> {
    this.logger.warn({ msg: 'notification has no channel left', conversationId, notificationId });
    await this.events.notice(
      conversationId,
      `notice:notify:${notificationId}:undeliverable`,
      'notification.undeliverable',
      {
        notificationId,
      },
    );
  }
}
