import { inboundMsgId } from '@omnigate/contracts';
import type { InboundMessageV1 } from '@omnigate/contracts';
import type { NewInbound } from '@omnigate/store';
import { senderProven, unprovenSenderReason } from '../claims/sender-proof.mapper';
import { unprovenCommandOf } from '../identity/unproven-command.mapper';

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

/**
 * Warnings the agent must see on the message: an email whose sender DMARC did not prove
 * (`email_dmarc_fail` / `_unaligned` / `_unverified`), decided from the claim the subject carries,
 * and `email_command_refused` when it was a link or consent command we therefore ignored. Pure.
 */
export function flagsOf(msg: InboundMessageV1): { flags?: string[] } {
  const reason = unprovenSenderReason(msg);
  if (!reason) return {};
  const flags = [`email_${reason}`];
  if (unprovenCommandOf(msg)) flags.push('email_command_refused');
  return { flags };
}

/** Consent changes only from a sender its channel proved (a forged From changes nothing). Pure. */
export function provenConsentChangeOf(msg: InboundMessageV1): { optedOut: boolean } | null {
  return senderProven(msg) ? consentChangeOf(msg.kind) : null;
}
