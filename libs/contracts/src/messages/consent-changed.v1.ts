import { z } from 'zod';
import { ChannelSchema } from '../channel';
import type { Channel } from '../channel';
import { ConsentPurposeSchema, ConsentSourceSchema } from '../consent/consent-policy';
import type { ConsentPurpose, ConsentSource } from '../consent/consent-policy';
import { envelopeFields } from '../envelope';

export const CONSENT_CHANGED_V1 = 'omnigate.consent.changed.v1';

/**
 * A customer's consent on one channel changed (a keyword, the app's settings, an agent), on
 * `consent.v1.changed.<channel>`. The channel's gateway keeps its own opt-out list from these: it
 * has no database, so the event names the customer's addresses on that channel. Newest wins
 * (`occurredAt` is when the decision was made), so a redelivered or late event changes nothing.
 */
export const ConsentChangedV1Schema = z.object({
  type: z.literal(CONSENT_CHANGED_V1),
  version: z.literal(1),
  ...envelopeFields,
  channel: ChannelSchema,
  /** The customer's active addresses on the channel (phone, chat id, ...). */
  addresses: z.array(z.string().min(1).max(320)).max(50),
  changes: z
    .array(z.object({ purpose: ConsentPurposeSchema, granted: z.boolean() }))
    .min(1)
    .max(3),
  source: ConsentSourceSchema.exclude(['default']),
});
export type ConsentChangedV1 = z.infer<typeof ConsentChangedV1Schema>;

/** JetStream dedupe key: one event per decision (customer, channel, source, time). */
export const consentChangedMsgId = (customerId: string, e: ConsentChangedV1): string =>
  `consent:${customerId}:${e.channel}:${e.source}:${e.occurredAt}`;

/**
 * The events for a set of decisions made at one time: one per channel, naming the customer's
 * addresses there (none known: no event, nobody to veto). Pure.
 */
export function consentChangedEvents(input: {
  identities: ReadonlyArray<{ channel: string; address: string }>;
  changes: ReadonlyArray<{ channel: Channel; purpose: ConsentPurpose; granted: boolean }>;
  source: Exclude<ConsentSource, 'default'>;
  at: Date;
  newId: () => string;
}): ConsentChangedV1[] {
  const channels = [...new Set(input.changes.map((c) => c.channel))];
  return channels.flatMap((channel) => {
    const addresses = [
      ...new Set(input.identities.filter((i) => i.channel === channel).map((i) => i.address)),
    ];
    if (addresses.length === 0) return [];
    return [
      {
        type: CONSENT_CHANGED_V1,
        version: 1 as const,
        id: input.newId(),
        occurredAt: input.at.toISOString(),
        channel,
        addresses: addresses.slice(0, 50),
        changes: input.changes
          .filter((c) => c.channel === channel)
          .map(({ purpose, granted }) => ({ purpose, granted })),
        source: input.source,
      },
    ];
  });
}
