import { Injectable, Logger } from '@nestjs/common';
import { AppError } from '@omnigate/kit';
import { eq } from 'drizzle-orm';
import type { FoundCard, PanRedactor, RedactionResult } from '@omnigate/crypto';
import { DbHandle } from '../db-handle';
import { AuditLogRepository } from '../repositories/audit-log.repository';
import { cardVault } from '../schema';
import { DataProtection } from './data-protection';

export class CardNotInVaultError extends AppError {
  constructor() {
    super('VAULT.NOT_FOUND', 'no card is stored under this token');
  }
}

/**
 * The card vault: the tokens that replace card numbers on every channel map to the number, sealed
 * with the vault's own data key in a separate table. Gateways redact through it; reading a number
 * back is one audited call for a role that may (the caller checks the role).
 * Without encryption at rest configured the vault stores nothing: tokens still protect the bus.
 */
@Injectable()
export class CardVault {
  private readonly logger = new Logger('card-vault');

  constructor(
    private readonly dp: DataProtection,
    private readonly h: DbHandle,
    private readonly audit: AuditLogRepository,
  ) {}

  /** Keeps the cards a redaction found (`PanRedactor.redactWithCards`); idempotent per token. */
  async keep(cards: readonly FoundCard[]): Promise<void> {
    if (cards.length === 0 || !this.dp.enabled) return;
    for (const c of cards) {
      await this.h.db
        .insert(cardVault)
        .values({
          token: c.token,
          panSealed: await this.dp.seal('vault', 'card_vault.pan', c.pan),
          brand: c.brand,
          last4: c.last4,
        })
        .onConflictDoNothing();
    }
  }

  /** Redacts `text` with `redactor` and keeps every card found: what a gateway calls. */
  async redact(redactor: PanRedactor, text: string): Promise<RedactionResult> {
    const { text: redacted, redactions, cards } = redactor.redactWithCards(text);
    await this.keep(cards);
    return { text: redacted, redactions };
  }

  /** The card number behind a token, audited with who asked and why. */
  async reveal(
    token: string,
    actor: string,
    reason: string,
  ): Promise<{ pan: string; brand: string; last4: string }> {
    const row = (await this.h.db.select().from(cardVault).where(eq(cardVault.token, token)))[0];
    await this.audit.append({
      actor,
      action: 'card.reveal',
      subject: token,
      detail: { found: row !== undefined, reason: reason.slice(0, 200) },
    });
    if (!row) throw new CardNotInVaultError();
    this.logger.log({ msg: 'card revealed', actor, token });
    return {
      pan: await this.dp.open('vault', 'card_vault.pan', row.panSealed),
      brand: row.brand,
      last4: row.last4,
    };
  }
}
