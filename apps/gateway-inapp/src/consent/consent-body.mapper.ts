import { z } from 'zod';
import { ChannelSchema, ConsentPurposeSchema } from '@omnigate/contracts';

/** PUT /v1/consents: the customer's decision on one channel and purpose. */
export const AppConsentBodySchema = z.strictObject({
  channel: ChannelSchema,
  purpose: ConsentPurposeSchema,
  granted: z.boolean({ error: 'must be true or false' }),
});
export type AppConsentBody = z.infer<typeof AppConsentBodySchema>;

/**
 * The body, or the reason it is refused ("channel: …; granted: …"), naming fields, never echoing
 * values. Pure.
 */
export function parseAppConsentBody(
  body: unknown,
): { ok: true; value: AppConsentBody } | { ok: false; reason: string } {
  const parsed = AppConsentBodySchema.safeParse(body ?? undefined);
  if (parsed.success) return { ok: true, value: parsed.data };
  const reason = parsed.error.issues
    .map((i) => `${i.path.length ? i.path.join('.') : 'body'}: ${i.message}`)
    .join('; ');
  return { ok: false, reason: `body must be { channel, purpose, granted }: ${reason}` };
}
