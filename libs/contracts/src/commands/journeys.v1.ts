import { z } from 'zod';

/**
 * Operator → router: rebuild the journey projection (apps/router journeys) from CONV_EVENTS. The
 * router empties the journey tables, holds its live consumer back, replays the stream in order
 * and lets the live consumer go on from there. Only what the stream still holds comes back
 * (STREAM_MAX_AGE_CONV_EVENTS_MS). Sent by `npm run journeys:rebuild` as the NATS user operator.
 */
export const RebuildJourneysRequestV1Schema = z.object({
  /** Who asked, for the audit log (`cli:<login>`). */
  requestedBy: z.string().min(1).max(128),
  /**
   * Start although the projection is marked as being rebuilt: a rebuild interrupted (its router
   * stopped) leaves the mark, and the live consumer waits until a rebuild ends.
   */
  force: z.boolean().default(false),
});
export type RebuildJourneysRequestV1 = z.infer<typeof RebuildJourneysRequestV1Schema>;

export const RebuildJourneysResponseV1Schema = z.object({
  /** The stream's sequences replayed (0 and 0 for an empty stream). */
  firstSeq: z.number().int().nonnegative(),
  lastSeq: z.number().int().nonnegative(),
  /** Events applied, and stored messages that were no readable conversation event. */
  applied: z.number().int().nonnegative(),
  skipped: z.number().int().nonnegative(),
  conversations: z.number().int().nonnegative(),
  durationMs: z.number().int().nonnegative(),
});
export type RebuildJourneysResponseV1 = z.infer<typeof RebuildJourneysResponseV1Schema>;
