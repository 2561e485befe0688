import { IntentSchema } from '@omnigate/contracts';
import type { Channel, ConversationSummary } from '@omnigate/contracts';
import type { ConversationWithCustomer, messageStatusEvents } from '@omnigate/store';
import type { StatusEntry } from './conversations.dto';

type StatusEventRow = typeof messageStatusEvents.$inferSelect;

/** Stored conversation + customer → the summary the console lists. Pure. */
export function toConversationSummary({
  conversation: c,
  customer,
}: ConversationWithCustomer): ConversationSummary {
  return {
    id: c.id,
    status: c.status,
    customer: {
      id: customer.id,
      displayName: customer.displayName,
      verified: customer.kind === 'customer',
    },
    lastChannel: c.lastChannel as Channel,
    lastMessageAt: c.lastMessageAt.toISOString(),
    lastMessagePreview: c.lastMessagePreview,
    channels: c.channels as Channel[],
    queue: c.queue,
    priority: c.priority,
    control: c.control,
    assignedAgent: c.assignedAgent,
    intent: IntentSchema.safeParse(c.intent).data ?? null,
  };
}

/** Delivery history rows (already oldest first) grouped by message id. Pure. */
export function toStatusHistory(rows: StatusEventRow[]): Record<string, StatusEntry[]> {
  const out: Record<string, StatusEntry[]> = {};
  for (const r of rows) {
    const entry: StatusEntry = { state: r.state, at: r.occurredAt.toISOString() };
    if (r.errorCode !== null || r.errorReason !== null) {
      entry.error = { code: r.errorCode ?? '', reason: r.errorReason ?? '' };
    }
    (out[r.messageId] ??= []).push(entry);
  }
  return out;
}
