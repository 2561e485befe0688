import { z } from 'zod';

/** Every message on the bus carries its type and version (ADR-2 style). */
export const envelopeFields = {
  id: z.uuid(),
  occurredAt: z.iso.datetime({ offset: true }),
};

export const redactionSchema = z.object({
  /** A random reference put in place of the card number in the text (`ref_` + 20 letters a–p), never a function of the number: only the vault maps it to the card. The field keeps its v1 name. */
  token: z.string(),
  brand: z.string(),
  last4: z.string().regex(/^\d{4}$/),
});
export type Redaction = z.infer<typeof redactionSchema>;
