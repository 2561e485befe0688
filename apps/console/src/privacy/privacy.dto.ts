import { z } from 'zod';

export const CustomerIdSchema = z.uuid();
/** Card references as the gateways write them (libs/contracts CardRefSchema). */
export { CardRefSchema } from '@omnigate/contracts';
export const ReasonBodySchema = z.object({
  reason: z
    .string()
    .trim()
    .min(5, 'say why (at least 5 characters): it goes in the audit log')
    .max(200),
});
export type ReasonBody = z.infer<typeof ReasonBodySchema>;
