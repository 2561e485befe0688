import { z } from 'zod';
import { ChannelSchema, ConsentPurposeSchema, ConsentSourceSchema } from '@omnigate/contracts';

export const CustomerIdSchema = z.uuid({ error: 'must be a customer id (a UUID)' });

const ConsentChangeSchema = z.strictObject({
  channel: ChannelSchema,
  purpose: ConsentPurposeSchema,
  granted: z.boolean({ error: 'must be true or false' }),
});

/** An agent records what the customer asked for (on the phone, in a branch...). */
export const ConsentUpdateBodySchema = z
  .strictObject({
    consents: z.array(ConsentChangeSchema).min(1, 'give at least one consent').max(15),
  })
  .superRefine((body, ctx) => {
    const seen = new Set<string>();
    body.consents.forEach((c, i) => {
      const key = `${c.channel}:${c.purpose}`;
      if (seen.has(key)) {
        ctx.addIssue({
          code: 'custom',
          path: ['consents', i],
          message: `${key} is given twice`,
        });
      }
      seen.add(key);
    });
  });
export type ConsentUpdateBody = z.infer<typeof ConsentUpdateBodySchema>;

/** Every channel × purpose, stored decisions and defaults ('default' source, updatedAt null). */
export const CustomerConsentsSchema = z.object({
  customerId: z.uuid(),
  consents: z.array(
    z.object({
      channel: ChannelSchema,
      purpose: ConsentPurposeSchema,
      granted: z.boolean(),
      source: ConsentSourceSchema,
      updatedAt: z.iso.datetime({ offset: true }).nullable(),
    }),
  ),
});
export type CustomerConsents = z.infer<typeof CustomerConsentsSchema>;
