import type { Language } from '@omnigate/contracts';

/** What happened, as the customer is told. Ids and short facts only; the text is built here. */
export type NotificationContent =
  { kind: 'card_unblocked'; last4: string } | { kind: 'ticket_resolved'; resolution: string };

export type NotificationKind = NotificationContent['kind'];

/** The customer-facing text of a notification, in Italian or English. Pure. */
export function notificationText(content: NotificationContent, language: Language): string {
  switch (content.kind) {
    case 'card_unblocked':
      return language === 'en'
        ? `Your card ending in ${content.last4} has been unblocked and can be used again. ` +
            'If you did not ask for this, contact us straight away.'
        : `La sua carta che termina con ${content.last4} è stata sbloccata e può usarla di nuovo. ` +
            'Se non è stato lei a chiederlo, ci contatti subito.';
    case 'ticket_resolved':
      return language === 'en'
        ? `Your request has been resolved: ${content.resolution}\n` +
            'Reply to this message if anything is still unclear.'
        : `La sua richiesta è stata risolta: ${content.resolution}\n` +
            'Risponda a questo messaggio se qualcosa non è ancora chiaro.';
  }
}
