import { Inject, Injectable, Logger } from '@nestjs/common';
import type {
  AssuranceLevel,
  Channel,
  CustomerContextV1,
  Intent,
  Language,
} from '@omnigate/contracts';
import { AppError, counter } from '@omnigate/kit';
import { DbHandle, MessagesRepository, TicketsRepository } from '@omnigate/store';
import { ROUTER_CONFIG } from '../config/router.config';
import type { RouterConfig } from '../config/router.config';
import { AssuranceService } from '../session/assurance.service';
import { StepUpService } from '../identity/step-up.service';
import { SendReplyService } from '../reply/send-reply.service';
import type { HeldForReply } from '../reply/send-reply.service';
import { ControlService } from '../control/control.service';
import { planBotReply } from './bot-flow.mapper';
import type { BotPlan } from './bot-flow.mapper';
import { fraudBlockOf, isPhoneChannel, linkedAlertOf } from './bot-context.mapper';

export const BOT_AUTHOR_ID = 'bot';

const answers = counter('omnigate_router_bot_answers_total', 'Bot answers by journey', [
  'journey',
  'outcome',
]);

export interface BotTurn {
  conversationId: string;
  customerId: string;
  /** The customer message being answered (its id keys the answer: one per message). */
  messageId: string;
  channel: Channel;
  /** The conversation's journey. */
  intent: Intent;
  language: Language;
  context: CustomerContextV1;
  /** The message was stored by this delivery: no answer keyed to it can exist yet. */
  fresh?: boolean;
  /** What was read for this message already (conversation, customer, identities). */
  held?: HeldForReply;
}

/**
 * The bot: answers a customer message from the shared context, on the channel the customer
 * used, and hands off to a person when the journey needs one. One answer per customer message,
 * also after a redelivery (the answer's idempotency key is the message id).
 */
@Injectable()
export class BotService {
  private readonly logger = new Logger('bot');

  constructor(
    private readonly h: DbHandle,
    private readonly messages: MessagesRepository,
    private readonly tickets: TicketsRepository,
    private readonly replies: SendReplyService,
    private readonly control: ControlService,
    private readonly assurance: AssuranceService,
    private readonly stepUp: StepUpService,
    @Inject(ROUTER_CONFIG) private readonly config: RouterConfig,
  ) {}

  async answer(turn: BotTurn): Promise<BotPlan> {
    const { context } = turn;
    const plan = planBotReply({
      intent: turn.intent,
      language: turn.language,
      verified: context.customer.verified,
      available: context.available,
      assurance: await this.assuranceOf(turn),
      fraudBlock: fraudBlockOf(context),
      cards: context.cards,
      transactions: context.recentTransactions,
      kycStatus: context.kycStatus ?? null,
      missingDocuments: context.missingDocuments ?? [],
      facts: context.providedFacts ?? [],
      timeZone: this.config.BOT_TIME_ZONE,
    });
    const key = `bot:${turn.messageId}`;
    // Side effects only the first time: a redelivered message gets its stored answer again.
    // Only a message stored before (a redelivery, a duplicate) can have been answered already.
    const answeredBefore = turn.fresh
      ? null
      : await this.messages.byDedupeKey(this.h.db, `reply:${key}`);
    // The menu once: a customer who keeps writing past it is not sent the same list again.
    if (!answeredBefore && plan.journey === 'menu' && (await this.justSaid(turn, plan.text))) {
      return plan;
    }
    if (!answeredBefore) await this.sideEffects(turn, plan);
    await this.send(turn, plan, key, !answeredBefore);
    if (plan.handoff) {
      await this.control.handoff(
        turn.conversationId,
        {
          intent: turn.intent,
          factKeys: (context.providedFacts ?? []).map((f) => f.key),
          asked: plan.asked,
          fraudAlertId: linkedAlertOf(context)?.id ?? null,
          contextUnavailable: !context.available,
        },
        turn.messageId,
      );
    }
    return plan;
  }

  /** Whether the bot's last words before this message were exactly `text`. */
  private async justSaid(turn: BotTurn, text: string): Promise<boolean> {
    const current = await this.messages.get(turn.messageId);
    if (!current) return false;
    const recent = await this.messages.listAfter(
      turn.conversationId,
      Math.max(0, current.seq - 3),
      3,
    );
    const lastOut = recent.filter((m) => m.seq < current.seq && m.direction === 'outbound').at(-1);
    return lastOut?.authorKind === 'bot' && lastOut.body === text;
  }

  /** Below possession, or possession on a phone whose SIM was just swapped: none. */
  private async assuranceOf(turn: BotTurn): Promise<AssuranceLevel> {
    if (!turn.context.customer.verified) return 'none';
    const simSwapped = (turn.context.fraudAlerts ?? []).some((a) => a.kind === 'sim_swap');
    if (simSwapped && isPhoneChannel(turn.channel)) return 'none';
    return (await this.assurance.current(turn.customerId)).level;
  }

  private async sideEffects(turn: BotTurn, plan: BotPlan): Promise<void> {
    if (plan.stepUp && turn.context.customer.verified) {
      try {
        await this.stepUp.request({
          customerId: turn.customerId,
          conversationId: turn.conversationId,
          level: 'possession',
          reason: `bot_${plan.journey}`,
          requestedBy: BOT_AUTHOR_ID,
        });
      } catch (e) {
        // The answer and the handoff still go out; the agent can ask again.
        this.logger.warn({ msg: 'step-up not requested', code: codeOf(e) });
      }
    }
    if (plan.ticket) {
      const open = await this.tickets.listOpenForCustomer(turn.customerId);
      if (!open.some((t) => t.subject === plan.ticket)) {
        await this.tickets.open({
          customerId: turn.customerId,
          conversationId: turn.conversationId,
          subject: plan.ticket,
        });
      }
    }
  }

  private async send(
    turn: BotTurn,
    plan: BotPlan,
    key: string,
    notSentBefore: boolean,
  ): Promise<void> {
    try {
      await this.replies.send(
        {
          conversationId: turn.conversationId,
          agentId: BOT_AUTHOR_ID,
          text: plan.text,
          channel: turn.channel,
          idempotencyKey: key,
        },
        'bot',
        { ...turn.held, notSentBefore },
      );
      answers.inc({ journey: plan.journey, outcome: 'sent' });
    } catch (e) {
      // Opted out, no address on that channel, consent withdrawn: a person takes it from here.
      if (!(e instanceof AppError)) throw e;
      answers.inc({ journey: plan.journey, outcome: e.code });
      this.logger.warn({ msg: 'bot answer not sent', code: e.code });
    }
  }
}

function codeOf(e: unknown): string {
  return (e as { code?: string }).code ?? 'UNKNOWN';
}
