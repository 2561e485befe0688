import { z } from 'zod';
import { ChannelSchema } from '../channel';
import type { Channel } from '../channel';
import { DeliveryStateSchema } from '../delivery-state';
import type { DeliveryState } from '../delivery-state';
import { envelopeFields } from '../envelope';

export const DELIVERY_STATUS_V1 = 'omnigate.msg.status.v1';

/** A delivery state change of one outbound message, on `msg.status.v1.<channel>`. */
export const DeliveryStatusV1Schema = z.object({
  type: z.literal(DELIVERY_STATUS_V1),
  version: z.literal(1),
  ...envelopeFields,
  channel: ChannelSchema,
  messageId: z.uuid(),
  providerMessageId: z.string().max(256).optional(),
  state: DeliveryStateSchema,
  /** Set when state is failed: a stable code and a reason a person can act on. */
  error: z.object({ code: z.string().max(64), reason: z.string().max(500) }).optional(),
});
export type DeliveryStatusV1 = z.infer<typeof DeliveryStatusV1Schema>;

export function statusMsgId(messageId: string, state: string): string {
  return `status:${messageId}:${state}`;
}

export interface DeliveryStatusDetails {
  providerMessageId?: string;
  /** Stable code and a reason a person can act on; cut to the contract's limits. */
  error?: { code: string; reason: string };
}

/** Builds a DeliveryStatus v1: the one place every gateway makes its statuses. Pure. */
export function deliveryStatusV1(
  channel: Channel,
  messageId: string,
  state: DeliveryState,
  details: DeliveryStatusDetails,
  id: string,
  now: Date,
): DeliveryStatusV1 {
  return {
    type: DELIVERY_STATUS_V1,
    version: 1,
    id,
    occurredAt: now.toISOString(),
    channel,
    messageId,
    state,
    ...(details.providerMessageId ? { providerMessageId: details.providerMessageId } : {}),
    ...(details.error
      ? {
          error: {
            code: details.error.code.slice(0, 64),
            reason: details.error.reason.slice(0, 500),
          },
        }
      : {}),
  };
}
