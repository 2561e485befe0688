import { z } from 'zod';
import { ActorSchema } from './actions.v1';

/**
 * Console → router: put dead letters back on their stream (libs/bus DeadLetterRedriver). The
 * console's NATS user may only read the DLQ; the router, whose user may read the original
 * streams and publish on their subjects (tools/nats-permissions.ts), carries the redrive out,
 * checks the role again and audits it. `actor` is the console's authenticated agent.
 */

/**
 * The streams whose dead letters the router (and the operator's CLI) may redrive: each one's
 * subjects are the router's own (it consumes inbound and statuses, it publishes outbound,
 * conversation, core and consent events). Not CARDS: only the gateways may publish a sealed card
 * to the vault. Stream names as libs/bus `Streams` declares them.
 */
export const REDRIVABLE_STREAMS = [
  'MSG_IN',
  'MSG_OUT',
  'MSG_STATUS',
  'CONV_EVENTS',
  'CORE_EVENTS',
  'CONSENT_EVENTS',
] as const;
export const RedrivableStreamSchema = z.enum(REDRIVABLE_STREAMS);
export type RedrivableStream = z.infer<typeof RedrivableStreamSchema>;

/** One entry by its id (its sequence in the DLQ), or every entry (of one stream when given). */
export const RedriveDeadLettersRequestV1Schema = z.union([
  z.object({ id: z.number().int().positive(), actor: ActorSchema }),
  z.object({
    all: z.literal(true),
    stream: RedrivableStreamSchema.optional(),
    actor: ActorSchema,
  }),
]);
export type RedriveDeadLettersRequestV1 = z.infer<typeof RedriveDeadLettersRequestV1Schema>;

export const RedriveOutcomeV1Schema = z.object({
  id: z.number().int().positive(),
  stream: z.string().optional(),
  consumer: z.string().optional(),
  /** `redriven`, or the stable code of why not (DLQ.ORIGINAL_GONE...): the entry then stays. */
  result: z.string().min(1).max(64),
});
export type RedriveOutcomeV1 = z.infer<typeof RedriveOutcomeV1Schema>;

export const RedriveDeadLettersResponseV1Schema = z.object({
  redriven: z.number().int().nonnegative(),
  outcomes: z.array(RedriveOutcomeV1Schema),
});
export type RedriveDeadLettersResponseV1 = z.infer<typeof RedriveDeadLettersResponseV1Schema>;
