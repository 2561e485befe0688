import { ChannelSchema, Subjects } from '@omnigate/contracts';
import type { Channel } from '@omnigate/contracts';
import { cardBrand, isLuhnValid } from '@omnigate/crypto';
import { SealedCardRefusedError } from '../shared/vault.errors';

const PREFIX = Subjects.sealedCardAll.replace('>', '');

/**
 * The channel of a sealed card is the channel of the SUBJECT it came on: the NATS permissions let
 * each gateway publish only `card.v1.sealed.<its channel>`, so the subject is what is proven and
 * the payload's `channel` only a claim, which must agree.
 */
export function channelOfSubject(subject: string, claimed: string): Channel {
  const token = subject.startsWith(PREFIX) ? subject.slice(PREFIX.length) : '';
  const parsed = ChannelSchema.safeParse(token);
  if (!parsed.success || parsed.data !== claimed) {
    throw new SealedCardRefusedError(
      'VAULT.CHANNEL_MISMATCH',
      `the payload claims channel ${claimed} but came on ${subject}`,
    );
  }
  return parsed.data;
}

/**
 * What the box held must be a card number (13–19 digits, Luhn-valid) whose brand and last four
 * are the ones the reference announced in the message text: anything else is refused, without
 * saying what the box held.
 */
export function checkOpenedCard(
  opened: string,
  claim: { brand: string; last4: string },
): { pan: string; brand: string; last4: string } {
  if (!/^\d{13,19}$/.test(opened) || !isLuhnValid(opened)) {
    throw new SealedCardRefusedError('VAULT.CARD_INVALID', 'the sealed box holds no card number');
  }
  const card = { pan: opened, brand: cardBrand(opened), last4: opened.slice(-4) };
  if (card.brand !== claim.brand || card.last4 !== claim.last4) {
    throw new SealedCardRefusedError(
      'VAULT.CARD_INVALID',
      'the sealed number does not match the brand and last four of its reference',
    );
  }
  return card;
}
