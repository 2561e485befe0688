// moves to libs/gateway-kit (the shared inbound publisher replaces this at merge)
import { randomUUID } from 'node:crypto';
import type { BusPublisher } from '@omnigate/bus';
import { SEALED_CARD_V1, SealedCardV1Schema, Subjects, sealedCardMsgId } from '@omnigate/contracts';
import type { Channel } from '@omnigate/contracts';
import type { SealedCard } from '@omnigate/crypto';

/**
 * Each card sealed to the vault goes on `card.v1.sealed.<channel>` BEFORE the message that names
 * its reference, so the vault has every card a stored message points to.
 */
export async function publishSealedCards(
  publisher: BusPublisher,
  channel: Channel,
  sealed: readonly SealedCard[],
): Promise<void> {
  for (const card of sealed) {
    await publisher.publish(
      Subjects.sealedCard(channel),
      SealedCardV1Schema,
      {
        type: SEALED_CARD_V1,
        version: 1,
        id: randomUUID(),
        occurredAt: new Date().toISOString(),
        channel,
        ref: card.ref,
        brand: card.brand,
        last4: card.last4,
        box: card.box,
      },
      { msgId: sealedCardMsgId(card.ref) },
    );
  }
}
