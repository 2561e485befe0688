import { z } from 'zod';
import { ChannelSchema } from './channel';

/**
 * What a step-up request asks the customer to approve (PSD2 dynamic linking): the one action,
 * what it acts on, who asks, through which channel and why. The app shows it; an approval
 * authorises exactly this action once, until `expiresAt`, and raises no assurance level.
 */
export const STEP_UP_ACTIONS = ['unblock_card', 'confirm_identity'] as const;
export const StepUpActionSchema = z.enum(STEP_UP_ACTIONS);
export type StepUpAction = z.infer<typeof StepUpActionSchema>;

/** Why the bank asks: a card the fraud engine blocked, the bot needing to know it is the customer. */
export const STEP_UP_REASONS = ['fraud_block', 'identity_check'] as const;
export const StepUpReasonSchema = z.enum(STEP_UP_REASONS);
export type StepUpReason = z.infer<typeof StepUpReasonSchema>;

export const StepUpOperationSchema = z.object({
  action: StepUpActionSchema,
  /** The card it acts on (unblock_card): brand and last four only. */
  card: z
    .object({ brand: z.string().min(1).max(32), last4: z.string().regex(/^\d{4}$/) })
    .optional(),
  /** Who asks: an agent (by their console id) or the bot. */
  requestedBy: z.object({ kind: z.enum(['agent', 'bot']), id: z.string().min(1).max(128) }),
  /** The channel the request came through (where the person asking wrote). */
  via: ChannelSchema,
  reason: StepUpReasonSchema,
  /** Until when an answer counts (and an approval can be used, once). */
  expiresAt: z.iso.datetime({ offset: true }),
});
export type StepUpOperation = z.infer<typeof StepUpOperationSchema>;

/** The one-time value the push carries and an approval must echo: 128 random bits, base64url. */
export const StepUpNonceSchema = z.string().regex(/^[A-Za-z0-9_-]{22,64}$/);
