import { z } from 'zod';
import { AssuranceLevelSchema } from '../assurance';
import { AttachmentRefSchema } from '../attachment-ref';
import { ChannelSchema } from '../channel';
import { envelopeFields } from '../envelope';
import { StepUpNonceSchema, StepUpOperationSchema } from '../step-up';

export const OUTBOUND_MESSAGE_V1 = 'omnigate.msg.outbound.v1';

/** A message the router asks one gateway to deliver, on `msg.out.v1.<channel>`. */
export const OutboundMessageV1Schema = z.object({
  type: z.literal(OUTBOUND_MESSAGE_V1),
  version: z.literal(1),
  ...envelopeFields,
  channel: ChannelSchema,
  conversationId: z.uuid(),
  /** Our stored message id: statuses refer to it, and it is the JetStream dedupe key. */
  messageId: z.uuid(),
  /** Position of the message in its conversation (what the in-app channel shows as `seq`). */
  seq: z.number().int().positive(),
  to: z.object({ address: z.string().min(1).max(320) }),
  text: z.string().min(1).max(4096),
  attachments: z.array(AttachmentRefSchema).max(10),
  author: z.object({ kind: z.enum(['agent', 'bot', 'system']), id: z.string().max(128) }),
  purpose: z.enum(['service', 'fraud_alert', 'marketing']),
  /**
   * An approved message template (WhatsApp) to send instead of the free text when the channel
   * refuses free text (outside WhatsApp's 24-hour customer-service window). Optional: v1
   * consumers that do not know it keep sending `text`.
   */
  template: z
    .object({
      /** The template's name at the provider (a Twilio Content SID for Twilio WhatsApp). */
      name: z.string().min(1).max(512),
      /** BCP 47-like language code of the approved translation, e.g. it or en_US. */
      language: z.string().regex(/^[a-z]{2,3}(_[A-Z]{2})?$/),
      /** Body parameters {{1}}, {{2}}... in order. */
      params: z.array(z.string().max(1024)).max(20),
    })
    .optional(),
  /**
   * Something the app should let the customer act on (in-app only): a step-up approval request,
   * answered with `POST /v1/approvals/:approvalId` echoing `nonce`. `operation` names what an
   * approval authorises (once, until its expiry). Optional: other gateways ignore it.
   */
  action: z
    .object({
      kind: z.literal('step_up'),
      approvalId: z.uuid(),
      level: AssuranceLevelSchema,
      nonce: StepUpNonceSchema.optional(),
      operation: StepUpOperationSchema.optional(),
    })
    .optional(),
});
export type OutboundMessageV1 = z.infer<typeof OutboundMessageV1Schema>;

export function outboundMsgId(messageId: string): string {
  return `out:${messageId}`;
}

/**
 * The author of the router's confirmation of a STOP / START (in Italian and English, on the same
 * channel): the one message an opt-out still lets through, the gateways' own lists included.
 */
export const CONSENT_CONFIRMATION_AUTHOR = { kind: 'system', id: 'consent' } as const;

export function isConsentConfirmation(msg: Pick<OutboundMessageV1, 'author'>): boolean {
  return (
    msg.author.kind === CONSENT_CONFIRMATION_AUTHOR.kind &&
    msg.author.id === CONSENT_CONFIRMATION_AUTHOR.id
  );
}
