import { z } from 'zod';

const DAY_MS = 86_400_000;
const when = z.iso.datetime({ offset: true, error: 'an ISO 8601 time, e.g. 2026-12-01T00:00:00Z' });
const isoDate = z.iso.date({ error: 'an ISO date, e.g. 2026-12-01' });

/** `?from&to`: ISO dates or times; default the last 7 days; to after from; at most 366 days. */
export const JourneyRangeParamsSchema = z.strictObject({
  from: z.union([isoDate, when]).optional(),
  to: z.union([isoDate, when]).optional(),
});

export const JourneyRangeQuerySchema = JourneyRangeParamsSchema.transform((q, ctx) => {
  const to = q.to ? new Date(q.to) : new Date();
  const from = q.from ? new Date(q.from) : new Date(to.getTime() - 7 * DAY_MS);
  if (from.getTime() >= to.getTime()) {
    ctx.addIssue({ code: 'custom', message: 'to must be after from', path: ['to'] });
  } else if (to.getTime() - from.getTime() > 366 * DAY_MS) {
    ctx.addIssue({ code: 'custom', message: 'the range is at most 366 days', path: ['from'] });
  }
  return { from, to };
});
export type JourneyRangeQuery = z.infer<typeof JourneyRangeQuerySchema>;
