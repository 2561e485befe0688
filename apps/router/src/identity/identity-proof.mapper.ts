import type { InboundMessageV1 } from '@omnigate/contracts';

/** What an inbound message proves about its sender, and how a bank record can confirm it. */
export type IdentityProof =
  | { kind: 'bank_verified_phone'; e164: string; assurance: 'possession' }
  | { kind: 'app_jwt'; appUserId: string; assurance: 'app_session' }
  | { kind: 'bank_verified_email'; email: string; assurance: 'possession' };

/** Channels whose address is a phone number the network delivered from (SMS; WhatsApp registers by SMS). */
const PHONE_CHANNELS: ReadonlySet<string> = new Set(['sms', 'whatsapp']);
const E164 = /^\+[1-9]\d{6,14}$/;

/**
 * The proof a message carries, or null when it carries none (a bare Telegram id, an email address,
 * an in-app message without the app's login token). Names and numbers typed in the text are
 * claims, never proofs. Pure.
 */
export function proofOf(
  msg: Pick<InboundMessageV1, 'channel' | 'from' | 'auth'>,
): IdentityProof | null {
  if (PHONE_CHANNELS.has(msg.channel) && E164.test(msg.from.address)) {
    return { kind: 'bank_verified_phone', e164: msg.from.address, assurance: 'possession' };
  }
  // The provider verified this phone as the sender's own (a Telegram user sharing their own
  // contact: the gateway checked contact.user_id === from.id). Possession of that phone, as on SMS.
  if (
    msg.channel === 'telegram' &&
    msg.auth.method === 'provider_verified_phone' &&
    msg.auth.subject !== undefined &&
    E164.test(msg.auth.subject)
  ) {
    return { kind: 'bank_verified_phone', e164: msg.auth.subject, assurance: 'possession' };
  }
  // The email gateway saw DMARC pass for the From domain (the domain vouches for its sender);
  // the proven address must be the one we would link. A DMARC failure never reaches here.
  if (
    msg.channel === 'email' &&
    msg.auth.method === 'email_dmarc' &&
    msg.auth.subject !== undefined &&
    msg.auth.subject.toLowerCase() === msg.from.address.toLowerCase()
  ) {
    return {
      kind: 'bank_verified_email',
      email: msg.from.address.toLowerCase(),
      assurance: 'possession',
    };
  }
  // The gateway verified the app's JWT; its subject must be the address we would link.
  if (
    msg.channel === 'inapp' &&
    msg.auth.method === 'app_jwt' &&
    msg.auth.subject !== undefined &&
    msg.auth.subject === msg.from.address
  ) {
    return { kind: 'app_jwt', appUserId: msg.auth.subject, assurance: 'app_session' };
  }
  return null;
}

/**
 * True when the message is itself an act of proving (a shared own contact), so an address that is
 * still an unverified contact deserves a fresh lookup. Ambient proofs (an SMS sender number) are
 * not: re-checking them on every message of an unknown number would cost a core-banking call each.
 */
export function isProofEvent(msg: Pick<InboundMessageV1, 'auth'>): boolean {
  return msg.auth.method === 'provider_verified_phone';
}

/** The bank's record must confirm exactly what was proven (defence against a loose lookup). */
export function bankConfirms(
  proof: IdentityProof,
  customer: { phone: string | null; appUserId: string | null; email?: string | null },
): boolean {
  switch (proof.kind) {
    case 'bank_verified_phone':
      return customer.phone === proof.e164;
    case 'app_jwt':
      return customer.appUserId === proof.appUserId;
    case 'bank_verified_email':
      // The bank's record holds the email it verified; compared without case (domains have none).
      return typeof customer.email === 'string' && customer.email.toLowerCase() === proof.email;
  }
}
