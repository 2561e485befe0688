import { createHash } from 'node:crypto';
import { z } from 'zod';
import { CORE_BANKING_EVENT_V1, CoreEventKindSchema } from '@omnigate/contracts';
import type { CoreBankingEventV1 } from '@omnigate/contracts';

/** The bank's webhook body (docs/core-banking.openapi.json, CoreEvent); unknown fields dropped. */
export const CoreEventWebhookSchema = z.object({
  id: z.string().min(1).max(128),
  kind: CoreEventKindSchema,
  occurredAt: z.iso.datetime({ offset: true }),
  customerRef: z.string().min(1).max(128),
  cardId: z.string().min(1).max(128).optional(),
  transactionId: z.string().min(1).max(128).optional(),
});
export type CoreEventWebhook = z.infer<typeof CoreEventWebhookSchema>;

/**
 * A UUID derived from the bank's event id (name-based, SHA-256 truncated, version bits 8 as in
 * RFC 9562's custom UUIDs): a redelivered event gets the same envelope id even after the bus's
 * dedupe window. Pure.
 */
export function envelopeIdOf(coreEventId: string): string {
  const h = createHash('sha256').update(`omnigate.core.event:${coreEventId}`).digest();
  h[6] = (h[6]! & 0x0f) | 0x80;
  h[8] = (h[8]! & 0x3f) | 0x80;
  const hex = h.subarray(0, 16).toString('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

/** The verified webhook body → CoreBankingEventV1 (ids only, as the bank sent them). Pure. */
export function toCoreBankingEvent(body: CoreEventWebhook): CoreBankingEventV1 {
  return {
    type: CORE_BANKING_EVENT_V1,
    version: 1,
    id: envelopeIdOf(body.id),
    occurredAt: body.occurredAt,
    kind: body.kind,
    coreEventId: body.id,
    customerRef: body.customerRef,
    ...(body.cardId === undefined ? {} : { cardId: body.cardId }),
    ...(body.transactionId === undefined ? {} : { transactionId: body.transactionId }),
  };
}
