import { IntentSchema, SKILLS } from '@omnigate/contracts';
import type { QueueCountV1, RoutingStateV1 } from '@omnigate/contracts';
import type { QueueCountRow, RoutingRow } from '@omnigate/store';

/** What the bot knew and asked when it handed over (keys and codes only, never values). */
export interface HandoffSummary {
  intent: string | null;
  /** Keys of the facts the customer gave (card_last4, amount, …). */
  factKeys: string[];
  /** What the bot asked last (which_transaction, was_it_you, …), or null. */
  asked: string | null;
  fraudAlertId: string | null;
  /** Core banking did not answer: the agent sees "context unavailable". */
  contextUnavailable: boolean;
}

/** The `handoff.summary` notice's detail. Pure. */
export function handoffNoticeDetail(
  s: HandoffSummary,
  row: Pick<RoutingRow, 'queue' | 'priority'>,
): Record<string, string | number | boolean> {
  return {
    intent: s.intent ?? 'other',
    known: s.factKeys.join(','),
    asked: s.asked ?? '',
    fraudAlertId: s.fraudAlertId ?? '',
    contextUnavailable: s.contextUnavailable,
    queue: row.queue,
    priority: row.priority,
  };
}

export function toRoutingState(row: RoutingRow): RoutingStateV1 {
  return {
    conversationId: row.conversationId,
    queue: row.queue,
    priority: row.priority,
    control: row.control,
    assignedAgent: row.assignedAgent,
    intent: IntentSchema.safeParse(row.intent).data ?? null,
  };
}

/** Counts per queue and priority, every queue listed even when empty (priority 3 row). Pure. */
export function toQueueCounts(rows: QueueCountRow[]): QueueCountV1[] {
  const out: QueueCountV1[] = rows.map((r) => ({
    queue: r.queue,
    priority: r.priority,
    waiting: r.waiting,
    open: r.open,
    oldestWaitingSince: r.oldestWaitingSince?.toISOString() ?? null,
  }));
  for (const queue of SKILLS) {
    if (!out.some((q) => q.queue === queue)) {
      out.push({ queue, priority: 3, waiting: 0, open: 0, oldestWaitingSince: null });
    }
  }
  const order = (q: QueueCountV1) => SKILLS.indexOf(q.queue) * 10 + q.priority;
  return out.sort((a, b) => order(a) - order(b));
}
