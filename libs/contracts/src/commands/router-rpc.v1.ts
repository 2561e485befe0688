import { z } from 'zod';
import { ChannelSchema } from '../channel';
import { ConsentPurposeSchema } from '../consent/consent-policy';
import { CustomerContextV1Schema, MessageViewSchema } from '../views';

/** Console → router: an agent's reply. Without `channel`, the router picks the one used last. */
export const SendReplyRequestV1Schema = z.object({
  conversationId: z.uuid(),
  agentId: z.string().min(1).max(128),
  text: z.string().trim().min(1).max(4096),
  channel: ChannelSchema.optional(),
  /** Makes a retried click idempotent. */
  idempotencyKey: z.string().min(1).max(128),
  /** Why the message is sent (checked against the customer's consent); service when absent. */
  purpose: ConsentPurposeSchema.optional(),
});
export type SendReplyRequestV1 = z.infer<typeof SendReplyRequestV1Schema>;
export const SendReplyResponseV1Schema = z.object({ message: MessageViewSchema });
export type SendReplyResponseV1 = z.infer<typeof SendReplyResponseV1Schema>;

export const GetContextRequestV1Schema = z.object({ conversationId: z.uuid() });
export type GetContextRequestV1 = z.infer<typeof GetContextRequestV1Schema>;
export const GetContextResponseV1Schema = CustomerContextV1Schema;

/** Every RPC answer: a result or an error with a stable code (translated to HTTP by the caller's edge). */
export const RpcErrorSchema = z.object({ code: z.string(), message: z.string() });
export type RpcError = z.infer<typeof RpcErrorSchema>;
