import type { Channel, CustomerContextV1, FraudAlertView } from '@omnigate/contracts';
import type { FraudBlockFacts } from './bot-text.mapper';

/** Channels whose address is a phone number: a SIM swap puts what they prove in doubt. */
const PHONE_CHANNELS: ReadonlySet<Channel> = new Set<Channel>(['sms', 'whatsapp', 'telegram']);

export function isPhoneChannel(channel: Channel): boolean {
  return PHONE_CHANNELS.has(channel);
}

/** The newest open card-block alert linked to this conversation. Pure. */
export function linkedAlertOf(context: CustomerContextV1): FraudAlertView | null {
  return (
    (context.fraudAlerts ?? []).find((a) => a.linked && a.kind === 'card_blocked_by_fraud') ??
    (context.fraudAlerts ?? []).find((a) => a.linked) ??
    null
  );
}

/**
 * What the fraud engine did, from the context: the linked alert's card, time and payment; else a
 * card the fraud engine blocked (time and payment unknown). Null when neither. Pure.
 */
export function fraudBlockOf(context: CustomerContextV1): FraudBlockFacts | null {
  const alert = linkedAlertOf(context);
  const card = alert?.cardId ? context.cards.find((c) => c.id === alert.cardId) : undefined;
  if (alert && card) {
    const tx = alert.transactionId
      ? context.recentTransactions.find((t) => t.id === alert.transactionId)
      : undefined;
    return {
      last4: card.last4,
      at: new Date(alert.occurredAt),
      payment: tx
        ? { amountMinor: tx.amountMinor, currency: tx.currency, merchant: tx.merchant }
        : null,
    };
  }
  const blocked = context.cards.find(
    (c) => c.status === 'blocked' && c.blockedBy === 'fraud_engine',
  );
  return blocked ? { last4: blocked.last4, at: null, payment: null } : null;
}
