/** What the send handler does with one outbound message, given the 24-hour window. */
export type WindowDecision = 'free_text' | 'template' | 'refuse';

/**
 * WhatsApp's customer-service window: free text only within `windowMs` of the customer's last
 * message; outside it only an approved template may go. Providers without the rule (a linked
 * device) always send. Pure.
 */
export function windowDecision(opts: {
  hasServiceWindow: boolean;
  lastInboundAt: number | undefined;
  now: number;
  windowMs: number;
  hasTemplate: boolean;
}): WindowDecision {
  if (!opts.hasServiceWindow) return 'free_text';
  const open = opts.lastInboundAt !== undefined && opts.now - opts.lastInboundAt < opts.windowMs;
  if (open) return 'free_text';
  return opts.hasTemplate ? 'template' : 'refuse';
}

/** The failed status of a free-text message we did not send because the window is closed. */
export const OUTSIDE_WINDOW_FAILURE = {
  code: 'WHATSAPP.OUTSIDE_24H_WINDOW',
  reason:
    "Not sent: outside WhatsApp's 24-hour window: the customer must write first, or send an approved template",
} as const;
