import { ASSURANCE_LEVELS, channelOfSubject } from '@omnigate/contracts';
import type { AssuranceLevel, Channel, InboundMessageV1 } from '@omnigate/contracts';

type AuthMethod = InboundMessageV1['auth']['method'];

export interface ClaimRefusal {
  code: 'ROUTER.CHANNEL_MISMATCH' | 'ROUTER.CLAIM_NOT_ALLOWED';
  reason: string;
}

/**
 * Which channel can prove which claim, and how high it can go. The subject a message came on is
 * what the NATS server let its publisher use (one user per gateway, tools/nats-permissions.ts),
 * so a claim is believed only when that channel's gateway is the one able to verify it:
 * - app_jwt: only the in-app gateway checks the app's login token (app session, strong);
 * - email_dmarc: only the email gateway sees SPF/DKIM/DMARC results (at most possession);
 * - provider_verified_phone: only Telegram carries a shared contact the gateway can match to the
 *   sender (contact.user_id === from.id); WhatsApp and SMS gateways never emit it.
 */
const PROVABLE: Record<AuthMethod, { on: readonly Channel[] | 'any'; upTo: AssuranceLevel }> = {
  none: { on: 'any', upTo: 'none' },
  app_jwt: { on: ['inapp'], upTo: 'strong' },
  email_dmarc: { on: ['email'], upTo: 'possession' },
  provider_verified_phone: { on: ['telegram'], upTo: 'possession' },
};

const rank = (l: AssuranceLevel) => ASSURANCE_LEVELS.indexOf(l);

/**
 * Why an inbound message must not be believed, or null. Refused, not stripped of the claim: a
 * claim its channel cannot carry comes only from a broken or taken-over gateway (no gateway's own
 * code emits one), and the rest of that message (sender, text) comes from the same producer, so
 * storing it without the claim would still act on forged data. A refusal is dead-lettered (kept
 * for an operator, never lost) and counted (omnigate_router_refused_claims_total). Pure.
 */
export function inboundRefusal(
  subject: string,
  msg: Pick<InboundMessageV1, 'channel' | 'auth' | 'from'>,
): ClaimRefusal | null {
  const channel = channelOfSubject(subject);
  if (channel === null || channel !== msg.channel) {
    return {
      code: 'ROUTER.CHANNEL_MISMATCH',
      reason: `payload says channel ${msg.channel}, subject ${subject} says ${channel ?? 'none'}`,
    };
  }
  const rule = PROVABLE[msg.auth.method];
  if (rule.on !== 'any' && !rule.on.includes(channel)) {
    return {
      code: 'ROUTER.CLAIM_NOT_ALLOWED',
      reason: `${msg.auth.method} cannot be proven on ${channel}`,
    };
  }
  if (rank(msg.auth.level) > rank(rule.upTo)) {
    return {
      code: 'ROUTER.CLAIM_NOT_ALLOWED',
      reason: `${msg.auth.method} on ${channel} cannot reach ${msg.auth.level}`,
    };
  }
  // DMARC proves the From address of the mail it checked, and no other address.
  if (
    msg.auth.method === 'email_dmarc' &&
    msg.auth.subject?.toLowerCase() !== msg.from.address.toLowerCase()
  ) {
    return {
      code: 'ROUTER.CLAIM_NOT_ALLOWED',
      reason: 'email_dmarc proves only the From address of its own mail',
    };
  }
  return null;
}

/**
 * Why a delivery status must not be believed, or null: it must come on the subject of the
 * channel it names, and that must be the channel the message was sent on (a status only from
 * the gateway that delivered it). Pure.
 */
export function statusRefusal(
  subject: string,
  statusChannel: Channel,
  storedChannel: string,
): ClaimRefusal | null {
  const channel = channelOfSubject(subject);
  if (channel === null || channel !== statusChannel) {
    return {
      code: 'ROUTER.CHANNEL_MISMATCH',
      reason: `status says channel ${statusChannel}, subject ${subject} says ${channel ?? 'none'}`,
    };
  }
  if (storedChannel !== channel) {
    return {
      code: 'ROUTER.CHANNEL_MISMATCH',
      reason: `a status on ${channel} for a message sent on ${storedChannel}`,
    };
  }
  return null;
}
