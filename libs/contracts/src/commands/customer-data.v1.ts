import { z } from 'zod';
import { AttachmentRefSchema } from '../attachment-ref';
import { ChannelSchema } from '../channel';
import { ConsentPurposeSchema } from '../consent/consent-policy';

/**
 * What the console asks of the router about a customer's data: an agent's consent decisions, a
 * DPO's export and erasure. The router owns those tables and does the writing (and the audit
 * records of what it did); the console keeps its role checks and its own audit records. `actor`
 * is the console's authenticated agent id, never a field the agent typed.
 */

const ActorSchema = z.string().min(1).max(128);
const CustomerIdSchema = z.uuid();
const Iso = z.iso.datetime({ offset: true });

/** Console → router: a customer's consent on every channel and purpose. */
export const GetCustomerConsentsRequestV1Schema = z.object({ customerId: CustomerIdSchema });
export type GetCustomerConsentsRequestV1 = z.infer<typeof GetCustomerConsentsRequestV1Schema>;

/** Console → router: what the customer told an agent (source 'agent'); the others stay. */
export const SetCustomerConsentsRequestV1Schema = z.object({
  customerId: CustomerIdSchema,
  actor: ActorSchema,
  consents: z
    .array(
      z.object({ channel: ChannelSchema, purpose: ConsentPurposeSchema, granted: z.boolean() }),
    )
    .min(1)
    .max(15),
});
export type SetCustomerConsentsRequestV1 = z.infer<typeof SetCustomerConsentsRequestV1Schema>;
// Both answer with every channel × purpose: AppConsentsResponseV1 (commands/app-consent.v1.ts).

/** Console → router: everything held on the customer, decrypted (role dpo, checked by the console). */
export const ExportCustomerRequestV1Schema = z.object({
  customerId: CustomerIdSchema,
  actor: ActorSchema,
});
export type ExportCustomerRequestV1 = z.infer<typeof ExportCustomerRequestV1Schema>;

/** omnigate.customer-export.v1: the bundle a DPO hands to the customer. Empty once erased. */
export const CustomerExportV1Schema = z.object({
  format: z.literal('omnigate.customer-export.v1'),
  customerId: CustomerIdSchema,
  exportedAt: Iso,
  erased: z.boolean(),
  customer: z
    .object({
      kind: z.string(),
      coreRef: z.string().nullable(),
      displayName: z.string().nullable(),
      createdAt: Iso,
    })
    .nullable(),
  identities: z.array(
    z.object({
      channel: z.string(),
      address: z.string(),
      status: z.string(),
      linkMethod: z.string(),
      assurance: z.string(),
      createdAt: Iso,
    }),
  ),
  conversations: z.array(
    z.object({
      id: z.uuid(),
      status: z.string(),
      channels: z.array(z.string()),
      createdAt: Iso,
      closedAt: Iso.nullable(),
    }),
  ),
  messages: z.array(
    z.object({
      id: z.uuid(),
      conversationId: z.uuid(),
      seq: z.number().int(),
      direction: z.string(),
      channel: z.string(),
      kind: z.string(),
      text: z.string(),
      address: z.string(),
      attachments: z.array(AttachmentRefSchema),
      author: z.object({ kind: z.string(), id: z.string().nullable() }),
      status: z.string().nullable(),
      statusHistory: z.array(
        z.object({ state: z.string(), occurredAt: Iso, errorCode: z.string().nullable() }),
      ),
      createdAt: Iso,
    }),
  ),
  tickets: z.array(
    z.object({ id: z.uuid(), subject: z.string(), status: z.string(), createdAt: Iso }),
  ),
  /** What the customer told us in conversations (card last four, amounts, dates, …). */
  facts: z.array(
    z.object({ conversationId: z.uuid(), key: z.string(), value: z.string(), createdAt: Iso }),
  ),
  /** Fraud signals from core banking about the customer (ids only). */
  fraudAlerts: z.array(
    z.object({
      kind: z.string(),
      cardId: z.string().nullable(),
      transactionId: z.string().nullable(),
      occurredAt: Iso,
      status: z.string(),
    }),
  ),
  /** Guarded actions and step-ups that concerned the customer. */
  approvals: z.array(
    z.object({
      kind: z.string(),
      target: z.string(),
      status: z.string(),
      requestedBy: z.string(),
      decidedBy: z.string().nullable(),
      createdAt: Iso,
    }),
  ),
  /** Consent per channel and purpose, with who decided and when (added in v1.1: may be absent). */
  consents: z
    .array(
      z.object({
        channel: z.string(),
        purpose: z.string(),
        granted: z.boolean(),
        source: z.string(),
        updatedBy: z.string().nullable(),
        updatedAt: Iso,
      }),
    )
    .default([]),
  /** Link codes and OTPs issued to prove an address was hers (never the code). Added in v1.1. */
  identityProofs: z
    .array(
      z.object({
        kind: z.string(),
        channel: z.string().nullable(),
        attempts: z.number().int().nonnegative(),
        createdAt: Iso,
        expiresAt: Iso,
        usedAt: Iso.nullable(),
      }),
    )
    .default([]),
  /**
   * Cards the vault keeps from her messages, masked: the reference her text carries, the vault's
   * token, brand and last four (never the number). Added in v1.1.
   */
  vaultCards: z
    .array(
      z.object({
        ref: z.string(),
        token: z.string(),
        brand: z.string(),
        last4: z.string(),
      }),
    )
    .default([]),
});
export type CustomerExportV1 = z.infer<typeof CustomerExportV1Schema>;

/**
 * The largest export answered in one reply: NATS refuses a message over its max_payload (1 MiB
 * by default); a bigger bundle is refused with PRIVACY.EXPORT_TOO_LARGE rather than lost.
 */
export const CUSTOMER_EXPORT_MAX_BYTES = 900_000;

/** Console → router: crypto-shred the customer (role dpo, checked by the console). */
export const EraseCustomerRequestV1Schema = z.object({
  customerId: CustomerIdSchema,
  actor: ActorSchema,
  reason: z.string().trim().min(5).max(200),
});
export type EraseCustomerRequestV1 = z.infer<typeof EraseCustomerRequestV1Schema>;

export const ErasureResultV1Schema = z.object({
  customerId: CustomerIdSchema,
  erasedAt: Iso,
  identitiesRevoked: z.number().int().nonnegative(),
  conversationsClosed: z.number().int().nonnegative(),
  /** Messages deleted (erased in place) from the JetStream streams. Added in v1.1. */
  streamMessagesDeleted: z.number().int().nonnegative().optional(),
  /** Card references and cards the vault erased (a card another customer named stays). v1.1. */
  vaultRefsErased: z.number().int().nonnegative().optional(),
  vaultCardsErased: z.number().int().nonnegative().optional(),
});
export type ErasureResultV1 = z.infer<typeof ErasureResultV1Schema>;
