import { IntentSchema } from '@omnigate/contracts';
import type { CustomerContextV1, FraudAlertView } from '@omnigate/contracts';
import type { ConversationRow, FraudAlertRow } from '@omnigate/store';

/** Open alerts as bot and agent see them, newest first, flagged when linked to this conversation. Pure. */
export function toFraudAlertViews(rows: FraudAlertRow[], conversationId: string): FraudAlertView[] {
  return [...rows]
    .sort((a, b) => b.occurredAt.getTime() - a.occurredAt.getTime())
    .map((a) => ({
      id: a.id,
      kind: a.kind,
      cardId: a.cardId,
      transactionId: a.transactionId,
      occurredAt: a.occurredAt.toISOString(),
      status: a.status,
      linked: a.conversationId === conversationId,
    }));
}

export function toRoutingView(c: ConversationRow): NonNullable<CustomerContextV1['routing']> {
  return {
    queue: c.queue,
    priority: c.priority,
    control: c.control,
    assignedAgent: c.assignedAgent,
    intent: IntentSchema.safeParse(c.intent).data ?? null,
  };
}
