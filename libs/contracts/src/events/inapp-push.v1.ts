import { z } from 'zod';
import { OutboundMessageV1Schema } from '../messages/outbound-message.v1';
import { MessageViewSchema } from '../views';

/**
 * Between instances of the in-app gateway, on core NATS `inapp.v1.push.<user>` (Subjects.inappPush):
 * the instance that consumed the outbound message hands it to whichever instance holds the socket.
 * Ephemeral: a push nobody hears is read by the app on `resume`.
 */
export const InappPushV1Schema = z.object({
  appUserId: z.string().min(1).max(320),
  message: MessageViewSchema,
  /** A step-up approval request the app should offer to approve (OutboundMessageV1 `action`). */
  action: OutboundMessageV1Schema.shape.action,
});
export type InappPushV1 = z.infer<typeof InappPushV1Schema>;
