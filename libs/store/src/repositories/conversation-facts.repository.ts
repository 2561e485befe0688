import { Injectable } from '@nestjs/common';
import { and, asc, eq, sql } from 'drizzle-orm';
import { DbHandle } from '../db-handle';
import { conversationFacts } from '../context.schema';
import { DataProtection, customerOwner } from '../protection/data-protection';

export interface ConversationFact {
  key: string;
  value: string;
}

export const FACT_FIELD = 'conversation_facts.value';

/**
 * What the customer already told us in a conversation. Values are sealed with the customer's
 * data key; keys (card_last4, amount, merchant, …) are vocabulary, not personal data.
 */
@Injectable()
export class ConversationFactsRepository {
  constructor(
    private readonly h: DbHandle,
    private readonly dp: DataProtection,
  ) {}

  /** Stores facts, a newer value of a key replacing the older one. Idempotent. */
  async remember(
    conversationId: string,
    customerId: string,
    facts: ConversationFact[],
    sourceMessageId: string | null,
  ): Promise<void> {
    if (facts.length === 0) return;
    const owner = customerOwner(customerId);
    // One value per key: the last one the customer gave in this message wins.
    const byKey = new Map(facts.map((f) => [f.key, f.value]));
    const values = await Promise.all(
      [...byKey].map(async ([key, value]) => ({
        conversationId,
        customerId,
        key,
        value: await this.dp.seal(owner, FACT_FIELD, value),
        sourceMessageId,
      })),
    );
    await this.h.db
      .insert(conversationFacts)
      .values(values)
      .onConflictDoUpdate({
        target: [conversationFacts.conversationId, conversationFacts.key],
        set: {
          value: sql`excluded.value`,
          sourceMessageId: sql`excluded.source_message_id`,
        },
      });
  }

  /** The facts of a conversation, opened, oldest first. */
  async list(conversationId: string): Promise<ConversationFact[]> {
    const rows = await this.h.db
      .select()
      .from(conversationFacts)
      .where(and(eq(conversationFacts.conversationId, conversationId)))
      .orderBy(asc(conversationFacts.createdAt), asc(conversationFacts.key));
    return Promise.all(
      rows.map(async (r) => ({
        key: r.key,
        value: await this.dp.open(customerOwner(r.customerId), FACT_FIELD, r.value),
      })),
    );
  }
}
