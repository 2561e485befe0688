import { Controller, Inject } from '@nestjs/common';
import { OnStream } from '@omnigate/bus';
import type { MessageContext } from '@omnigate/bus';
import { StreamSubjects, inboundOrderKey } from '@omnigate/contracts';
import type { InboundMessageV1 } from '@omnigate/contracts';
import { inSpan } from '@omnigate/kit';
import { MessagesRepository } from '@omnigate/store';
import { ROUTER_CONFIG } from '../config/router.config';
import type { RouterConfig } from '../config/router.config';
import { IdentityService } from '../identity/identity.service';
import { SessionService } from '../session/session.service';
import { ConsentService } from '../consent/consent.service';
import { ConsentConfirmationService } from '../consent/consent-confirmation.service';
import { ConversationEventsService } from '../events/conversation-events.service';
import { asChannel } from '../events/conversation-event.mapper';
import { provenConsentChangeOf, toNewInbound } from './inbound-message.mapper';
import { ConversationRouterService } from '../routing/conversation-router.service';
import { IdentityFollowUpService } from '../identity/identity-follow-up.service';
import { EmailIntakeService } from '../intake/email-intake.service';
import { inboundRefusal } from '../claims/subject-claims.mapper';
import { refuseClaim } from '../claims/claim-refused.errors';
import { INBOUND_UNITS, ROUTER_LEASE_BUCKET } from './inbound-partitions.config';
import { inboundHops } from './inbound.metrics';

export const INBOUND_DURABLE = 'router-inbound';

/**
 * Every customer message from every gateway: who sent it, which conversation it belongs to,
 * stored once, then announced to consoles. Idempotent: a redelivery finds the stored message and
 * only publishes its events again (their msgIds make that a no-op on JetStream).
 */
@Controller()
export class InboundMessageHandler {
  constructor(
    private readonly identity: IdentityService,
    private readonly messages: MessagesRepository,
    private readonly sessions: SessionService,
    private readonly events: ConversationEventsService,
    private readonly consent: ConsentService,
    private readonly confirmation: ConsentConfirmationService,
    private readonly conversationRouter: ConversationRouterService,
    private readonly identityFollowUp: IdentityFollowUpService,
    private readonly intake: EmailIntakeService,
    @Inject(ROUTER_CONFIG) private readonly config: RouterConfig,
  ) {}

  /** Pacing (concurrency, deliveries, backoff, ack wait) comes from the config: routerConsumers. */
  @OnStream(StreamSubjects.inbound, {
    durable: INBOUND_DURABLE,
    keyOf: inboundOrderKey,
    // Instances share the partitions; each sender's messages go to one of them at a time.
    partitions: { units: INBOUND_UNITS, leaseBucket: ROUTER_LEASE_BUCKET },
  })
  async handle(
    msg: InboundMessageV1,
    ctx: Pick<MessageContext, 'deliveryCount' | 'subject'>,
  ): Promise<void> {
    // The channel and the claims are believed only as far as the subject can carry them.
    const refusal = inboundRefusal(ctx.subject, msg);
    if (refusal) refuseClaim('inbound', refusal);
    const storing = inboundHops.storedSeconds.startTimer({ channel: msg.channel });
    const finalAttempt = ctx.deliveryCount >= this.config.ROUTER_INBOUND_MAX_DELIVER;
    const { customer } = await inSpan('router identity', () =>
      this.identity.resolve(msg, { finalAttempt }),
    );
    // Sealed email attachments become stored rows first; their objects go once the message is in.
    const taken = await this.intake.takeIn(msg);
    const stored = await inSpan('router persist', () =>
      this.messages.appendInbound({
        ...toNewInbound(msg, customer.id),
        attachments: taken.attachments,
      }),
    );
    storing();
    await this.intake.release(taken.objects);
    const { conversation, message } = stored;
    await this.identityFollowUp.raiseAssurance(msg, customer);
    // The session (a cache; touch never throws) and the console event are independent.
    await Promise.all([
      stored.duplicate
        ? Promise.resolve()
        : this.sessions.touch(customer.id, {
            conversationId: conversation.id,
            channels: conversation.channels.map(asChannel),
            lastChannel: asChannel(conversation.lastChannel),
          }),
      this.events.messageCreated(conversation, customer, message, msg.redactions, msg.sentAt),
    ]);
    // The answer to a link command (which the bot then leaves alone).
    const linkCommand = await this.identityFollowUp.afterStored(msg, customer, conversation.id);
    // STOP/START only from a proven sender: a forged From changes nobody's consent.
    const consent = provenConsentChangeOf(msg);
    // Intent, facts, fraud correlation, queue, then the bot or an agent (text messages only).
    if (!consent && !linkCommand) {
      const { redactions } = msg;
      await this.conversationRouter.route({
        conversation,
        customer,
        message,
        redactions,
        fresh: !stored.duplicate,
        conversationCreated: stored.conversationCreated,
      });
    }
    if (consent) {
      // Recorded before the console hears of it; newest-wins, so a redelivery changes nothing.
      const { serviceWasAllowed } = await this.consent.applyKeyword(customer.id, msg);
      await this.events.consentChanged(message, msg.channel, consent.optedOut);
      // Every STOP is confirmed; a START only when it turned something back on.
      if (consent.optedOut || !serviceWasAllowed) {
        await this.confirmation.confirm(msg, customer, conversation.id);
      }
    }
    // A redelivery's first pass was measured already.
    if (!stored.duplicate) observeEndToEnd(msg);
  }
}

function observeEndToEnd(msg: InboundMessageV1): void {
  const seconds = (Date.now() - Date.parse(msg.occurredAt)) / 1000;
  if (seconds >= 0) inboundHops.endToEndSeconds.observe({ channel: msg.channel }, seconds);
}
