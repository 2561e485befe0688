import { z } from 'zod';

export const DEAD_LETTER_V1 = 'omnigate.dlq.entry.v1';

/**
 * A message a consumer gave up on, on `dlq.v1.<stream>.<consumer>`: what it was, why it failed
 * (a stable code), how often it was tried. Kept 30 days for an operator; the payload is the
 * original bytes as text (already PAN-redacted at the edge).
 */
export const DeadLetterV1Schema = z.object({
  type: z.literal(DEAD_LETTER_V1),
  version: z.literal(1),
  stream: z.string(),
  consumer: z.string(),
  subject: z.string(),
  streamSeq: z.number().int().nonnegative(),
  deliveryCount: z.number().int().nonnegative(),
  error: z.object({ code: z.string(), message: z.string().max(500) }),
  payload: z.string(),
  at: z.iso.datetime({ offset: true }),
});
export type DeadLetterV1 = z.infer<typeof DeadLetterV1Schema>;

/** Its Nats-Msg-Id: one entry per consumer and stream message, however often it is given up on. */
export function deadLetterMsgId(stream: string, consumer: string, streamSeq: number): string {
  return `dlq:${stream}:${consumer}:${streamSeq}`;
}
