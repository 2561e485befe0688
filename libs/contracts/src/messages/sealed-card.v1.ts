import { z } from 'zod';
import { ChannelSchema } from '../channel';
import { envelopeFields } from '../envelope';

export const SEALED_CARD_V1 = 'omnigate.card.sealed.v1';

/** A card reference as the edge writes it (libs/crypto PanRedactor): random, never derived. */
export const CardRefSchema = z.string().regex(/^ref_[a-p]{20}$/, 'not a card reference');

/**
 * A card number a gateway found, sealed with the vault's public key (HPKE, RFC 9180; the box's
 * AAD is `omnigate:card:<ref>`), on `card.v1.sealed.<channel>`. Only the vault can open it; the
 * reference is what the message text carries. Published before the message that names it.
 */
export const SealedCardV1Schema = z.object({
  type: z.literal(SEALED_CARD_V1),
  version: z.literal(1),
  ...envelopeFields,
  channel: ChannelSchema,
  ref: CardRefSchema,
  brand: z.string().min(1).max(32),
  last4: z.string().regex(/^\d{4}$/),
  box: z.object({
    kid: z.string().regex(/^[A-Za-z0-9_-]{1,32}$/),
    enc: z.string().regex(/^[A-Za-z0-9_-]{20,200}$/),
    ct: z.string().regex(/^[A-Za-z0-9_-]{20,400}$/),
  }),
});
export type SealedCardV1 = z.infer<typeof SealedCardV1Schema>;

/** JetStream dedupe key: one sealed card per reference. */
export const sealedCardMsgId = (ref: string): string => `card:${ref}`;
