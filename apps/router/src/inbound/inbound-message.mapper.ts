import { inboundMsgId } from '@omnigate/contracts';
import type { InboundMessageV1 } from '@omnigate/contracts';
import type { NewInbound } from '@omnigate/store';

/** An inbound message (already PAN-redacted by its gateway) → the row to store. Pure. */
export function toNewInbound(msg: InboundMessageV1, customerId: string): NewInbound {
  return {
    customerId,
    channel: msg.channel,
    address: msg.from.address,
    ourAddress: msg.to.address,
    kind: msg.kind,
    body: msg.text,
    attachments: msg.attachments,
    providerMessageId: msg.providerMessageId,
    // The same key JetStream dedupes on: a provider retry past the dedupe window is still stored once.
    dedupeKey: inboundMsgId(msg.channel, msg.providerMessageId),
    clientMsgId: msg.meta?.clientMsgId ?? null,
    ...flagsOf(msg),
    receivedAt: new Date(msg.occurredAt),
  };
}

/** STOP/START change consent on their channel; they are notes for the console, not conversation text. */
export function consentChangeOf(kind: InboundMessageV1['kind']): { optedOut: boolean } | null {
  if (kind === 'optout') return { optedOut: true };
  if (kind === 'optin') return { optedOut: false };
  return null;
}

/** Warnings the agent must see on the message: an email whose sender DMARC did not prove. Pure. */
export function flagsOf(msg: InboundMessageV1): { flags?: string[] } {
  const warning = msg.channel === 'email' ? msg.meta?.authWarning : undefined;
  return warning && /^[a-z_]{1,40}$/.test(warning) ? { flags: [`email_${warning}`] } : {};
}
