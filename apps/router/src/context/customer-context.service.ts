import { Injectable } from '@nestjs/common';
import { CustomerContextV1Schema } from '@omnigate/contracts';
import type { CustomerContextV1 } from '@omnigate/contracts';
import {
  ConversationFactsRepository,
  ConversationsRepository,
  FraudAlertsRepository,
  TicketsRepository,
} from '@omnigate/store';
import type {
  ChannelIdentityRow,
  ConversationFact,
  ConversationWithCustomer,
  CustomerRow,
} from '@omnigate/store';
import { toFraudAlertViews, toRoutingView } from './customer-context-routing.mapper';
import { CoreBankingPort } from '../core-banking/core-banking.port';
import { AssuranceService } from '../session/assurance.service';
import { TicketClocksService } from '../clocks/ticket-clocks.service';
import { CoreBankingUnavailableError } from '../core-banking/core-banking.errors';
import { ConversationNotFoundError } from '../shared/router.errors';
import { IdentityCache } from '../identity/identity-cache.service';
import {
  toCardViews,
  toLinkedChannels,
  toOpenTickets,
  toTransactionViews,
} from './customer-context.mapper';

export const RECENT_TRANSACTIONS = 10;
export const CONTEXT_UNAVAILABLE_REASON = 'core banking unavailable';

/**
 * What the caller already read for this message: the conversation with its customer (its routing
 * columns current), and the facts when the conversation is new (only this message's are stored).
 */
export interface HeldConversation extends ConversationWithCustomer {
  facts?: ConversationFact[];
}

export interface ContextWithIdentities {
  context: CustomerContextV1;
  /** The customer's identities the context was built from (the reply's target is chosen among them). */
  identities: ChannelIdentityRow[];
}

type BankPart = Pick<
  CustomerContextV1,
  | 'available'
  | 'unavailableReason'
  | 'cards'
  | 'recentTransactions'
  | 'kycStatus'
  | 'missingDocuments'
>;

/**
 * The shared customer context of a conversation: who, on which channels, cards and recent
 * transactions from core banking, open tickets. An unverified contact gets no bank data at all;
 * core banking down gives `available: false` and everything else still answers.
 */
@Injectable()
export class CustomerContextService {
  constructor(
    private readonly conversations: ConversationsRepository,
    private readonly identities: IdentityCache,
    private readonly tickets: TicketsRepository,
    private readonly coreBanking: CoreBankingPort,
    private readonly fraudAlerts: FraudAlertsRepository,
    private readonly facts: ConversationFactsRepository,
    private readonly assurance: AssuranceService,
    private readonly clocks: TicketClocksService,
  ) {}

  async forConversation(conversationId: string): Promise<CustomerContextV1> {
    return (await this.withIdentities(conversationId)).context;
  }

  /** `held`: what the caller read for this message already, not read again. */
  async withIdentities(
    conversationId: string,
    held?: HeldConversation,
  ): Promise<ContextWithIdentities> {
    const found = held ?? (await this.conversations.get(conversationId));
    if (!found || found.conversation.id !== conversationId) throw new ConversationNotFoundError();
    const { customer, conversation } = found;
    const [identities, tickets, bank, alerts, facts] = await Promise.all([
      this.identities.listForCustomer(customer.id),
      this.tickets.listOpenForCustomer(customer.id),
      this.bankPart(customer),
      this.fraudAlerts.listOpen(customer.id),
      held?.facts ?? this.facts.list(conversationId),
    ]);
    const assurance =
      customer.kind === 'customer' ? await this.assurance.current(customer.id) : undefined;
    const context = CustomerContextV1Schema.parse({
      customer: {
        id: customer.id,
        displayName: customer.displayName,
        verified: customer.kind === 'customer',
      },
      linkedChannels: toLinkedChannels(identities),
      openTickets: toOpenTickets(
        tickets,
        (t) => this.clocks.view(t),
        (t) => this.clocks.schemeView(t),
      ),
      ...bank,
      fraudAlerts: toFraudAlertViews(alerts, conversationId),
      providedFacts: facts,
      routing: toRoutingView(conversation),
      ...(assurance ? { assurance } : {}),
    });
    return { context, identities };
  }

  /** Whether the fraud engine blocked one of the customer's cards (false when unknown or down). */
  async hasFraudBlockedCard(customer: CustomerRow): Promise<boolean> {
    if (customer.kind !== 'customer' || !customer.coreRef) return false;
    try {
      const cards = await this.coreBanking.getCards(customer.coreRef);
      return cards.some((c) => c.status === 'blocked' && c.blockedBy === 'fraud_engine');
    } catch (e) {
      if (e instanceof CoreBankingUnavailableError) return false;
      throw e;
    }
  }

  private async bankPart(customer: CustomerRow): Promise<BankPart> {
    if (customer.kind !== 'customer' || !customer.coreRef) {
      return {
        available: true,
        unavailableReason: null,
        cards: [],
        recentTransactions: [],
        kycStatus: null,
        missingDocuments: [],
      };
    }
    try {
      const [cards, txs, bankCustomer] = await Promise.all([
        this.coreBanking.getCards(customer.coreRef),
        this.coreBanking.getTransactions(customer.coreRef, RECENT_TRANSACTIONS),
        this.coreBanking.getCustomer(customer.coreRef),
      ]);
      return {
        available: true,
        unavailableReason: null,
        cards: toCardViews(cards),
        recentTransactions: toTransactionViews(txs),
        kycStatus: bankCustomer?.kycStatus ?? null,
        missingDocuments: bankCustomer?.missingDocuments ?? [],
      };
    } catch (e) {
      if (!(e instanceof CoreBankingUnavailableError)) throw e;
      return {
        available: false,
        unavailableReason: CONTEXT_UNAVAILABLE_REASON,
        cards: [],
        recentTransactions: [],
        kycStatus: null,
        missingDocuments: [],
      };
    }
  }
}
