import { Injectable, Logger } from '@nestjs/common';
import { VAULT_REVEAL_ROLES } from '@omnigate/contracts';
import type {
  VaultCardOfRequestV1,
  VaultCardOfResponseV1,
  VaultRevealRequestV1,
  VaultRevealResponseV1,
} from '@omnigate/contracts';
import { VaultAuditRepository, VaultCardsRepository } from '@omnigate/store';
import { VaultKeys } from '../keys/vault-keys.service';
import {
  VaultAuditUnavailableError,
  VaultNotFoundError,
  VaultRoleForbiddenError,
} from '../shared/vault.errors';
import { revealsTotal } from '../shared/vault.metrics';

type Outcome = 'ok' | 'denied' | 'not_found';

/**
 * Reveals a card number to an agent of an allowed role, and tells which card a reference names.
 * Every reveal request is audited in vault_audit (who, role, why, outcome) before anything is
 * answered; a request that cannot be audited reveals nothing.
 */
@Injectable()
export class RevealService {
  private readonly logger = new Logger('vault-reveal');

  constructor(
    private readonly keys: VaultKeys,
    private readonly cards: VaultCardsRepository,
    private readonly audit: VaultAuditRepository,
  ) {}

  async reveal(req: VaultRevealRequestV1): Promise<VaultRevealResponseV1> {
    if (!(VAULT_REVEAL_ROLES as readonly string[]).includes(req.role)) {
      await this.record(req, 'denied', { code: 'VAULT.ROLE_FORBIDDEN' });
      throw new VaultRoleForbiddenError(req.role);
    }
    const found = await this.cards.byRef(req.ref);
    if (!found) {
      await this.record(req, 'not_found', { code: 'VAULT.NOT_FOUND' });
      throw new VaultNotFoundError();
    }
    const pan = await this.keys.openAtRest(found.card.token, found.card);
    await this.record(req, 'ok', { token: found.card.token, channel: found.channel });
    this.logger.log({ msg: 'card revealed', actor: req.actor, role: req.role, ref: req.ref });
    return { pan, brand: found.card.brand, last4: found.card.last4 };
  }

  async cardOf(req: VaultCardOfRequestV1): Promise<VaultCardOfResponseV1> {
    const found = await this.cards.byRef(req.ref);
    if (!found) throw new VaultNotFoundError();
    return { token: found.card.token, brand: found.card.brand, last4: found.card.last4 };
  }

  private async record(
    req: VaultRevealRequestV1,
    outcome: Outcome,
    more: Record<string, string>,
  ): Promise<void> {
    revealsTotal.inc({ outcome });
    try {
      await this.audit.append({
        actor: req.actor,
        action: 'card.reveal',
        subject: req.ref,
        detail: { role: req.role, reason: req.reason, outcome, ...more },
      });
    } catch (e) {
      throw new VaultAuditUnavailableError(e);
    }
  }
}
