import { z } from 'zod';

/** Every message on the bus carries its type and version (ADR-2 style). */
export const envelopeFields = {
  id: z.uuid(),
  occurredAt: z.iso.datetime({ offset: true }),
};

export const redactionSchema = z.object({
  /** Opaque token put in place of the card number in the text, e.g. `[card:tok_9f2c…]`. */
  token: z.string(),
  brand: z.string(),
  last4: z.string().regex(/^\d{4}$/),
});
export type Redaction = z.infer<typeof redactionSchema>;
