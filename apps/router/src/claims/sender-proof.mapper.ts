import type { InboundMessageV1 } from '@omnigate/contracts';

type Sender = Pick<InboundMessageV1, 'channel' | 'from' | 'auth'>;

/** Why the agent must not trust who an email claims to be (a message flag, `email_<reason>`). */
export type UnprovenSenderReason = 'dmarc_fail' | 'dmarc_unaligned' | 'dmarc_unverified';

const REASONS: ReadonlySet<string> = new Set<UnprovenSenderReason>([
  'dmarc_fail',
  'dmarc_unaligned',
  'dmarc_unverified',
]);

/**
 * Does the channel itself vouch for the sender's address? On email only an aligned DMARC pass
 * for exactly the From address does (`email_dmarc`, which the claims mapper believes only from
 * msg.in.v1.email): anyone can write any From. On the other channels the address is the
 * provider's own (the network's number, the platform's user id, the app login the in-app gateway
 * verified), so it is the sender's. Pure.
 */
export function senderProven(msg: Sender): boolean {
  if (msg.channel !== 'email') return true;
  return (
    msg.auth.method === 'email_dmarc' &&
    msg.auth.subject !== undefined &&
    msg.auth.subject.toLowerCase() === msg.from.address.toLowerCase()
  );
}

/**
 * Why an email's sender is not proven, or null when it is. Whether it is proven comes from the
 * claim (`auth`); the gateway's `authWarning` only says why not, and a missing or unknown one
 * reads as unverified. Pure.
 */
export function unprovenSenderReason(
  msg: Sender & Pick<InboundMessageV1, 'meta'>,
): UnprovenSenderReason | null {
  if (senderProven(msg)) return null;
  const said = msg.meta?.authWarning;
  return said !== undefined && REASONS.has(said)
    ? (said as UnprovenSenderReason)
    : 'dmarc_unverified';
}
