import type { Channel } from '@omnigate/contracts';

/** What the customer reads after STOP / START, in Italian and English. Pure. */
export function consentConfirmationText(kind: 'optout' | 'optin'): string {
  return kind === 'optout'
    ? 'Non riceverai più messaggi da noi su questo canale. Scrivi START per riattivarli. / ' +
        'You will no longer receive messages from us on this channel. Send START to opt back in.'
    : 'Messaggi riattivati su questo canale. Scrivi STOP per non riceverli più. / ' +
        'Messages are back on for this channel. Send STOP to opt out.';
}

/**
 * SMS is confirmed by the carrier/Twilio's own opt-out handling (and a send after STOP would be
 * refused with 21610): we confirm on every other channel.
 */
export function confirmsConsentOn(channel: Channel): boolean {
  return channel !== 'sms';
}

/** One confirmation per keyword message, however often it is redelivered. */
export function consentConfirmationKey(channel: string, providerMessageId: string): string {
  return `consent:${channel}:${providerMessageId}`;
}
