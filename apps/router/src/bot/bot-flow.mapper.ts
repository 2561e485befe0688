import { assuranceAtLeast } from '@omnigate/contracts';
import type { AssuranceLevel, CustomerContextV1, Intent, Language } from '@omnigate/contracts';
import {
  cardBlockedText,
  contextUnavailableText,
  disputeAskText,
  disputeNotFoundText,
  disputeOpenedText,
  disputeTicketSubject,
  fraudTicketSubject,
  fraudDetailText,
  fraudNoAlertText,
  fraudNoDetailText,
  handoffText,
  menuText,
  noBlockedCardText,
  noPendingTransferText,
  onboardingText,
  ONBOARDING_TICKET_SUBJECT,
  stepUpNeededText,
  transferPendingText,
  unverifiedText,
} from './bot-text.mapper';
import type { FraudBlockFacts, PaymentLine } from './bot-text.mapper';

type Transaction = CustomerContextV1['recentTransactions'][number];
type Card = CustomerContextV1['cards'][number];
type Fact = { key: string; value: string };

/** Everything the bot decides from; gathered by BotService. */
export interface BotInput {
  /** The conversation's journey (its stored intent). */
  intent: Intent;
  language: Language;
  /** A bank customer (false: an unverified contact, who gets no bank data). */
  verified: boolean;
  /** Core banking answered. */
  available: boolean;
  /** The customer's effective assurance on this channel now. */
  assurance: AssuranceLevel;
  /** What the fraud engine did: from the linked alert, or a card it blocked. */
  fraudBlock: FraudBlockFacts | null;
  cards: Card[];
  transactions: Transaction[];
  kycStatus: string | null;
  /** Codes of the documents onboarding still waits for (proof_of_address, …). */
  missingDocuments?: readonly string[];
  facts: Fact[];
  timeZone: string;
}

/** What the bot does for one customer message. */
export interface BotPlan {
  text: string;
  /** Hand the conversation to a person after answering. */
  handoff: boolean;
  /** Ask the app for a step-up to possession (the customer is below it). */
  stepUp: boolean;
  /** Open a ticket with this subject (unless one with it is open already). */
  ticket: string | null;
  /** What the bot asked the customer, for the handoff summary (e.g. which_transaction). */
  asked: string | null;
  /** The journey it answered in. */
  journey: 'fraud' | 'card' | 'transfer' | 'dispute' | 'onboarding' | 'human' | 'menu';
}

const DISPUTE_CHOICES = 5;

function plan(p: Partial<BotPlan> & Pick<BotPlan, 'text' | 'journey'>): BotPlan {
  return { handoff: false, stepUp: false, ticket: null, asked: null, ...p };
}

/**
 * The bot's answer to a message, from the context only. Below possession it never names a card,
 * an amount or a merchant: it asks for a step-up in the app and hands off. Pure.
 */
export function planBotReply(input: BotInput): BotPlan {
  const { intent, language: lang } = input;
  if (intent === 'human') return plan({ text: handoffText(lang), handoff: true, journey: 'human' });
  if (intent === 'other') return plan({ text: menuText(lang), journey: 'menu' });
  const journey = journeyOf(intent, input.fraudBlock !== null);
  if (!input.verified) return plan({ text: unverifiedText(lang), handoff: true, journey });
  if (!input.available) return plan({ text: contextUnavailableText(lang), handoff: true, journey });
  if (!assuranceAtLeast(input.assurance, 'possession')) {
    const text = journey === 'fraud' ? fraudNoDetailText(lang) : stepUpNeededText(lang);
    const ticket =
      journey === 'fraud' && input.fraudBlock ? fraudTicketSubject(input.fraudBlock) : null;
    return plan({ text, handoff: true, stepUp: true, journey, ticket });
  }
  switch (journey) {
    case 'fraud':
      return plan({
        text: input.fraudBlock
          ? fraudDetailText(input.fraudBlock, lang, input.timeZone)
          : fraudNoAlertText(lang),
        handoff: true,
        asked: input.fraudBlock ? 'was_it_you' : null,
        // A fraud-engine block the customer writes about is a fraud case: one ticket for it.
        ticket: input.fraudBlock ? fraudTicketSubject(input.fraudBlock) : null,
        journey,
      });
    case 'card':
      return cardPlan(input.cards, lang);
    case 'transfer':
      return transferPlan(input.transactions, lang, input.timeZone);
    case 'dispute':
      return disputePlan(input, lang);
    case 'onboarding': {
      const missing = input.kycStatus === 'missing_documents';
      const known = ['verified', 'pending', 'missing_documents'].includes(input.kycStatus ?? '');
      return plan({
        text: onboardingText(input.kycStatus, lang, input.missingDocuments ?? []),
        ticket: missing ? ONBOARDING_TICKET_SUBJECT : null,
        handoff: !known,
        journey,
      });
    }
  }
}

function journeyOf(
  intent: Exclude<Intent, 'human' | 'other'>,
  fraudBlocked: boolean,
): Exclude<BotPlan['journey'], 'human' | 'menu'> {
  switch (intent) {
    case 'fraud':
      return 'fraud';
    case 'card_blocked':
      return fraudBlocked ? 'fraud' : 'card';
    case 'transfer_stuck':
      return 'transfer';
    case 'dispute':
      return 'dispute';
    case 'onboarding':
      return 'onboarding';
  }
}

function cardPlan(cards: Card[], lang: Language): BotPlan {
  const blocked = cards.find((c) => c.status === 'blocked');
  return plan({
    text: blocked
      ? cardBlockedText(blocked.last4, blocked.blockedBy, lang)
      : noBlockedCardText(lang),
    journey: 'card',
  });
}

function transferPlan(txs: Transaction[], lang: Language, timeZone: string): BotPlan {
  // Transfers are movements without a card; the newest one still in progress.
  const pending = txs.find((t) => t.cardId === null && t.status === 'pending');
  return plan({
    text: pending ? transferPendingText(pending, lang, timeZone) : noPendingTransferText(lang),
    journey: 'transfer',
  });
}

function disputePlan(input: BotInput, lang: Language): BotPlan {
  // A declined payment charged nothing: there is nothing to dispute.
  const payments = input.transactions.filter((t) => t.amountMinor < 0 && t.status !== 'declined');
  const named = input.facts.some((f) => f.key === 'merchant' || f.key === 'amount');
  const match = matchPayment(payments, input.facts);
  if (match) {
    return plan({
      text: disputeOpenedText(match, lang, input.timeZone),
      ticket: disputeTicketSubject(match),
      handoff: true,
      journey: 'dispute',
    });
  }
  // The customer already named a payment we cannot find: asking again would repeat a question.
  if (named || payments.length === 0) {
    return plan({ text: disputeNotFoundText(lang), handoff: true, journey: 'dispute' });
  }
  const choices: PaymentLine[] = payments.slice(0, DISPUTE_CHOICES);
  return plan({
    text: disputeAskText(choices, lang, input.timeZone),
    asked: 'which_transaction',
    journey: 'dispute',
  });
}

/** The one payment the customer's facts (merchant, amount, card's last four) point at; null if none or several. Pure. */
export function matchPayment(payments: Transaction[], facts: Fact[]): Transaction | null {
  const fact = (k: string) => facts.find((f) => f.key === k)?.value;
  const merchant = fact('merchant')?.trim().toLowerCase();
  const amount = amountMinorOf(fact('amount'));
  if (!merchant && amount === null) return null;
  const found = payments.filter(
    (p) =>
      (!merchant || p.merchant.toLowerCase().includes(merchant)) &&
      (amount === null || Math.abs(p.amountMinor) === amount),
  );
  return found.length === 1 ? found[0]! : null;
}

/** '950', '950.00', '950,00', '1.249,00', '1,249.00' → minor units; null when not a number. Pure. */
export function amountMinorOf(value: string | undefined): number | null {
  if (!value) return null;
  const v = value.replace(/[^\d.,]/g, '');
  const m = /^(\d{1,3}(?:[.,]\d{3})*|\d+)(?:[.,](\d{1,2}))?$/.exec(v);
  if (!m) return null;
  const units = Number(m[1]!.replace(/[.,]/g, ''));
  const cents = m[2] ? Number(m[2].padEnd(2, '0')) : 0;
  return units * 100 + cents;
}
