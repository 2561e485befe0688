import { Inject, Injectable, Logger } from '@nestjs/common';
import type { OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import { VaultCardsRepository } from '@omnigate/store';
import { VAULT_CONFIG } from '../config/vault.config';
import type { VaultConfig } from '../config/vault.config';
import { cardsErasedTotal } from '../shared/vault.metrics';

const DAY_MS = 86_400_000;
const BATCH = 500;
const MAX_BATCHES = 200;

/**
 * The vault's retention: card references older than VAULT_RETENTION_DAYS are forgotten, and a
 * card no reference names any more is deleted with its sealed number. Runs at start and then every
 * VAULT_RETENTION_INTERVAL_MS, in bounded batches; safe on several instances. Logs counts only.
 */
@Injectable()
export class VaultRetentionService implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger('vault-retention');
  private timer: NodeJS.Timeout | null = null;
  private running: Promise<unknown> | null = null;

  constructor(
    private readonly cards: VaultCardsRepository,
    @Inject(VAULT_CONFIG) private readonly config: VaultConfig,
  ) {}

  onApplicationBootstrap(): void {
    const every = this.config.VAULT_RETENTION_INTERVAL_MS;
    if (every === 0) return;
    const run = () => {
      this.running = this.purgeOnce()
        .catch((e: unknown) =>
          this.logger.error({ msg: 'vault retention failed' }, e instanceof Error ? e : undefined),
        )
        .finally(() => (this.running = null));
    };
    this.timer = setInterval(run, every);
    this.timer.unref();
    run();
  }

  async onApplicationShutdown(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    await this.running;
  }

  /** One purge; returns how many references and cards went. */
  async purgeOnce(now = new Date()): Promise<{ refs: number; cards: number }> {
    const before = new Date(now.getTime() - this.config.VAULT_RETENTION_DAYS * DAY_MS);
    const total = { refs: 0, cards: 0 };
    for (let i = 0; i < MAX_BATCHES; i++) {
      const n = await this.cards.purgeBefore(before, BATCH);
      total.refs += n.refs;
      total.cards += n.cards;
      if (n.refs < BATCH) break;
    }
    cardsErasedTotal.inc({ kind: 'retention_refs' }, total.refs);
    cardsErasedTotal.inc({ kind: 'retention_cards' }, total.cards);
    this.logger.log({ msg: 'vault retention done', ...total });
    return total;
  }
}
