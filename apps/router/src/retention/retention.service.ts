import { Inject, Injectable, Logger } from '@nestjs/common';
import type { OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import { counter } from '@omnigate/kit';
import { RetentionRepository } from '@omnigate/store';
import { ROUTER_CONFIG } from '../config/router.config';
import type { RouterConfig } from '../config/router.config';
import { retentionPolicyOf } from '../config/retention.config';
import type { RetentionPolicy } from '../config/retention.config';

export type PurgeKind =
  'status_events' | 'closed_conversation_messages' | 'empty_conversations' | 'unverified_contacts';

const purged = counter(
  'omnigate_retention_purged_rows_total',
  'Rows deleted by the retention purge',
  ['kind'],
);
const runs = counter('omnigate_retention_runs_total', 'Retention purge runs', ['outcome']);

const DAY_MS = 86_400_000;

/**
 * The scheduled retention purge: once after a start delay, then every interval. Each kind is
 * deleted in bounded batches; a run is idempotent (a second run finds nothing) and safe on several
 * router instances at once (they delete disjoint or already-deleted rows). Logs counts only.
 */
@Injectable()
export class RetentionService implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger('retention');
  private readonly policy: RetentionPolicy;
  private timer: NodeJS.Timeout | null = null;
  private running: Promise<unknown> | null = null;
  private stopped = false;

  constructor(
    private readonly repo: RetentionRepository,
    @Inject(ROUTER_CONFIG) private readonly config: RouterConfig,
  ) {
    this.policy = retentionPolicyOf(config);
  }

  onApplicationBootstrap(): void {
    const every = this.config.RETENTION_PURGE_INTERVAL_MS;
    if (every === 0) return;
    const schedule = (ms: number) => {
      if (this.stopped) return;
      this.timer = setTimeout(() => {
        this.running = this.purgeOnce()
          .catch((e: unknown) => {
            runs.inc({ outcome: 'failed' });
            this.logger.error(
              { msg: 'retention purge failed' },
              e instanceof Error ? e : undefined,
            );
          })
          .finally(() => {
            this.running = null;
            schedule(every);
          });
      }, ms);
      this.timer.unref();
    };
    schedule(this.config.RETENTION_PURGE_START_DELAY_MS);
  }

  async onApplicationShutdown(): Promise<void> {
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
    await this.running;
  }

  /** One purge of every kind; returns rows deleted per kind. */
  async purgeOnce(now = new Date()): Promise<Record<PurgeKind, number>> {
    const p = this.policy;
    const ago = (days: number) => new Date(now.getTime() - days * DAY_MS);
    const closedBefore = ago(p.closedConversationDays);
    const out: Record<PurgeKind, number> = {
      status_events: await this.drain('status_events', (n) =>
        this.repo.purgeStatusEvents(ago(p.statusEventsDays), n),
      ),
      closed_conversation_messages: await this.drain('closed_conversation_messages', (n) =>
        this.repo.purgeClosedConversationMessages(
          { now, closedBefore, ticketedClosedBefore: ago(p.ticketedConversationDays) },
          n,
        ),
      ),
      empty_conversations: await this.drain('empty_conversations', (n) =>
        this.repo.purgeEmptyClosedConversations(closedBefore, n),
      ),
      unverified_contacts: await this.drain('unverified_contacts', (n) =>
        this.repo.purgeUnverifiedContacts(ago(p.unverifiedContactDays), now, n),
      ),
    };
    runs.inc({ outcome: 'ok' });
    this.logger.log({ msg: 'retention purge done', ...out });
    return out;
  }

  /** Batches of one kind until a batch comes back short, at most maxBatches per run. */
  private async drain(kind: PurgeKind, batch: (limit: number) => Promise<number>): Promise<number> {
    let total = 0;
    for (let i = 0; i < this.policy.maxBatches && !this.stopped; i++) {
      const n = await batch(this.policy.batchSize);
      total += n;
      purged.inc({ kind }, n);
      if (n < this.policy.batchSize) break;
    }
    return total;
  }
}
