import { z } from 'zod';

const when = z.iso.datetime({ offset: true, error: 'an ISO 8601 time, e.g. 2026-11-23T18:00:00Z' });

/** `GET /api/audit`: every filter optional; unknown keys are refused (a typo would match all). */
export const AuditSearchQuerySchema = z
  .strictObject({
    actor: z.string().trim().min(1).max(128).optional(),
    action: z
      .string()
      .regex(/^[a-z][a-z0-9_.]{0,63}$/, 'an action name such as conversation.view')
      .optional(),
    subject: z.string().trim().min(1).max(200).optional(),
    customerId: z.uuid().optional(),
    from: when.optional(),
    to: when.optional(),
    limit: z.coerce.number().int().min(1).max(500).default(100),
    /** The next page: entries older than this seq (the previous answer's `nextBefore`). */
    before: z.coerce.number().int().min(1).max(2_147_483_647).optional(),
  })
  .refine((q) => !q.from || !q.to || Date.parse(q.from) <= Date.parse(q.to), {
    message: 'from must not be after to',
    path: ['from'],
  });
export type AuditSearchQuery = z.infer<typeof AuditSearchQuerySchema>;
