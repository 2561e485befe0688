import { z } from 'zod';
import { envelopeFields } from '../envelope';

export const CORE_BANKING_EVENT_V1 = 'omnigate.core.event.v1';

export const CORE_EVENT_KINDS = [
  'card_blocked_by_fraud',
  'sim_swap',
  'new_device',
  'card_unblocked',
  'phone_changed',
] as const;
export const CoreEventKindSchema = z.enum(CORE_EVENT_KINDS);
export type CoreEventKind = z.infer<typeof CoreEventKindSchema>;

/**
 * A signal from core banking (the fraud engine blocked a card, a SIM swap on the customer's
 * verified phone, a login from a new device, …), on `core.v1.event.<kind>`. Ids only: the router
 * reads names, amounts and merchants from core banking when it needs them.
 */
export const CoreBankingEventV1Schema = z.object({
  type: z.literal(CORE_BANKING_EVENT_V1),
  version: z.literal(1),
  ...envelopeFields,
  kind: CoreEventKindSchema,
  /** Core banking's own id of the event: the JetStream dedupe key. */
  coreEventId: z.string().min(1).max(128),
  /** The core-banking customer id. */
  customerRef: z.string().min(1).max(128),
  cardId: z.string().max(128).optional(),
  /** The payment that triggered a fraud block. */
  transactionId: z.string().max(128).optional(),
});
export type CoreBankingEventV1 = z.infer<typeof CoreBankingEventV1Schema>;

export function coreEventMsgId(coreEventId: string): string {
  return `core:${coreEventId}`;
}
