import { z } from 'zod';

/**
 * GET /api/journeys/summary: what the console's journey API answers and the dashboard reads.
 * Times in ms, rates 0..1, days as UTC dates (YYYY-MM-DD). One schema for both ends, so the API
 * and the page cannot drift apart.
 */
export const DurationDistributionSchema = z.object({
  count: z.number().int().nonnegative(),
  p50Ms: z.number().nonnegative(),
  p90Ms: z.number().nonnegative(),
});
export type DurationDistribution = z.infer<typeof DurationDistributionSchema>;

/** Non-cumulative buckets: upper bounds in ms; the last one (null) holds everything longer. */
export const BucketedDistributionSchema = DurationDistributionSchema.extend({
  buckets: z.array(z.object({ leMs: z.number().nullable(), count: z.number().int() })),
});
export type BucketedDistribution = z.infer<typeof BucketedDistributionSchema>;

export const JourneyTargetIdSchema = z.enum([
  'resolution_time',
  'fcr',
  'fraud_resolution',
  'onboarding',
]);
export type JourneyTargetId = z.infer<typeof JourneyTargetIdSchema>;

/** One of the seed article's four numbers beside what was measured (null: nothing measured). */
export const JourneyTargetSchema = z.object({
  id: JourneyTargetIdSchema,
  label: z.string(),
  target: z.union([z.number(), z.string()]),
  measured: z.number().nullable(),
  met: z.boolean().nullable(),
});
export type JourneyTarget = z.infer<typeof JourneyTargetSchema>;

const count = z.number().int().nonnegative();
const rate = z.number().min(0).max(1);

export const JourneySummarySchema = z.object({
  range: z.object({ from: z.iso.datetime(), to: z.iso.datetime() }),
  conversations: count,
  flows: z.array(z.object({ start: z.string(), end: z.string(), count })),
  switches: count,
  contextLoss: z.object({
    total: count,
    bySwitch: z.array(z.object({ from: z.string(), to: z.string(), count })),
    byHandoff: count,
    byJourney: z.array(z.object({ journey: z.string(), count })),
    byKind: z.array(z.object({ kind: z.string(), count })),
  }),
  fcr: z.object({
    rate,
    resolved: count,
    firstContact: count,
    /** Per UTC day the conversations started (the customer's first message), oldest first. */
    series: z.array(z.object({ day: z.iso.date(), resolved: count, firstContact: count })),
  }),
  resolution: BucketedDistributionSchema,
  fraudResolution: BucketedDistributionSchema,
  firstResponse: DurationDistributionSchema,
  onboarding: z.object({ started: count, identified: count, completed: count, conversion: rate }),
  botContainment: z.object({ rate, botOnly: count, handedOff: count }),
  clocks: z.object({ onTrack: count, atRisk: count, breached: count }),
  targets: z.array(JourneyTargetSchema),
  /** The resolution-time baseline the −35% target is measured against (configured). */
  baselineResolutionMs: z.number().int().positive(),
});
export type JourneySummary = z.infer<typeof JourneySummarySchema>;
