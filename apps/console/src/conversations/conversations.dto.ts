import { z } from 'zod';
import { ChannelSchema, SendReplyRequestV1Schema } from '@omnigate/contracts';

export const ConversationIdSchema = z.uuid({ error: 'must be a conversation id (a UUID)' });
export const MessageIdSchema = z.uuid({ error: 'must be a message id (a UUID)' });
/** Position in a message's attachments, from 0. */
export const AttachmentIndexSchema = z.coerce.number().int().min(0).max(99);

export const ListConversationsQuerySchema = z.object({
  status: z.enum(['open', 'closed', 'all']).default('open'),
  limit: z.coerce.number().int().min(1).max(200).default(50),
  /** recent: newest activity first; priority: top priority first, then the longest waiting. */
  sort: z.enum(['recent', 'priority']).default('recent'),
});
export type ListConversationsQuery = z.infer<typeof ListConversationsQuerySchema>;

/** The agent's reply; limits come from the router contract so both edges agree. */
export const ReplyBodySchema = z.object({
  text: SendReplyRequestV1Schema.shape.text,
  channel: ChannelSchema.optional(),
  /** Send the same key again when retrying a click: the router stores the reply once. */
  idempotencyKey: SendReplyRequestV1Schema.shape.idempotencyKey.optional(),
  /** service (default), fraud_alert or marketing: checked against the customer's consent. */
  purpose: SendReplyRequestV1Schema.shape.purpose,
});
export type ReplyBody = z.infer<typeof ReplyBodySchema>;

export const TypingBodySchema = z.object({ state: z.enum(['start', 'stop']) });
export type TypingBody = z.infer<typeof TypingBodySchema>;

const StatusEntrySchema = z.object({
  state: z.string(),
  at: z.iso.datetime({ offset: true }),
  error: z.object({ code: z.string(), reason: z.string() }).optional(),
});
export type StatusEntry = z.infer<typeof StatusEntrySchema>;

/** For the OpenAPI document only: the service builds it from the repositories. */
export const StatusHistorySchema = z.record(z.uuid(), z.array(StatusEntrySchema));
