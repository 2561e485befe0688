import { z } from 'zod';
import { DeliveryStateSchema } from '../delivery-state';
import { MessageViewSchema } from '../views';

/**
 * The app's view of its customer's one open conversation (in-app gateway → router). The app user
 * is always the one the gateway verified from the login JWT, never a field the app typed; the
 * router decides which conversation that user sees (the customer's open one, every channel).
 */

const AppUserIdSchema = z.string().min(1).max(128);

/** Resume: the messages after `afterSeq`, oldest first, at most one page. */
export const AppHistoryRequestV1Schema = z.object({
  appUserId: AppUserIdSchema,
  afterSeq: z.number().int().min(0),
});
export type AppHistoryRequestV1 = z.infer<typeof AppHistoryRequestV1Schema>;
export const AppHistoryResponseV1Schema = z.object({
  conversationId: z.uuid().nullable(),
  messages: z.array(MessageViewSchema),
  /** More after the last message: ask again from its seq. */
  hasMore: z.boolean(),
});
export type AppHistoryResponseV1 = z.infer<typeof AppHistoryResponseV1Schema>;

/** Receipts: the in-app messages sent to this user up to `upToSeq`, with their stored state. */
export const AppReceiptsRequestV1Schema = z.object({
  appUserId: AppUserIdSchema,
  upToSeq: z.number().int().min(1),
});
export type AppReceiptsRequestV1 = z.infer<typeof AppReceiptsRequestV1Schema>;
export const AppReceiptsResponseV1Schema = z.object({
  conversationId: z.uuid().nullable(),
  outbound: z.array(
    z.object({
      id: z.uuid(),
      seq: z.number().int().positive(),
      status: DeliveryStateSchema.nullable(),
    }),
  ),
});
export type AppReceiptsResponseV1 = z.infer<typeof AppReceiptsResponseV1Schema>;

/** Typing from the app: which conversation the user's typing belongs to (null: none open). */
export const AppConversationRequestV1Schema = z.object({ appUserId: AppUserIdSchema });
export type AppConversationRequestV1 = z.infer<typeof AppConversationRequestV1Schema>;
export const AppConversationResponseV1Schema = z.object({ conversationId: z.uuid().nullable() });
export type AppConversationResponseV1 = z.infer<typeof AppConversationResponseV1Schema>;

/** Typing to the app: the app users of a conversation's customer (an agent types in it). */
export const ConversationAppUsersRequestV1Schema = z.object({ conversationId: z.uuid() });
export type ConversationAppUsersRequestV1 = z.infer<typeof ConversationAppUsersRequestV1Schema>;
export const ConversationAppUsersResponseV1Schema = z.object({
  appUserIds: z.array(AppUserIdSchema).max(100),
});
export type ConversationAppUsersResponseV1 = z.infer<typeof ConversationAppUsersResponseV1Schema>;
