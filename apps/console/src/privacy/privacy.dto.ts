import { z } from 'zod';

export const CustomerIdSchema = z.uuid();
/** Card tokens as the redactor writes them: ref_ + 20 letters a–p. */
export const CardTokenSchema = z
  .string()
  .regex(/^ref_[a-p]{20}$/, 'not a card token (ref_ + 20 letters)');
export const ReasonBodySchema = z.object({
  reason: z
    .string()
    .trim()
    .min(5, 'say why (at least 5 characters): it goes in the audit log')
    .max(200),
});
export type ReasonBody = z.infer<typeof ReasonBodySchema>;
