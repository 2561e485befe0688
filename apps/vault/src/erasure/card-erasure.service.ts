import { Injectable, Logger } from '@nestjs/common';
import type { VaultEraseCardsRequestV1, VaultEraseCardsResponseV1 } from '@omnigate/contracts';
import { VaultAuditRepository, VaultCardsRepository } from '@omnigate/store';
import { VaultAuditUnavailableError } from '../shared/vault.errors';
import { cardsErasedTotal } from '../shared/vault.metrics';

/**
 * A customer's erasure, as the router asks it: the references her messages carried are forgotten
 * and every card no other reference names is deleted with its sealed number (a card another
 * customer's message also named stays, under that reference only). Audited in vault_audit with
 * the references and counts; an erasure that cannot be audited answers VAULT.AUDIT_UNAVAILABLE.
 */
@Injectable()
export class CardErasureService {
  private readonly logger = new Logger('vault-erasure');

  constructor(
    private readonly cards: VaultCardsRepository,
    private readonly audit: VaultAuditRepository,
  ) {}

  async erase(req: VaultEraseCardsRequestV1): Promise<VaultEraseCardsResponseV1> {
    const done = await this.cards.eraseRefs([...new Set(req.refs)]);
    try {
      await this.audit.append({
        actor: req.actor,
        action: 'cards.erase',
        subject: 'customer-erasure',
        // References are random ids (never derived from the number): they may be named here.
        detail: { reason: req.reason, refs: req.refs.join(' '), ...done },
      });
    } catch (e) {
      // Erased already (idempotent): the router's retry audits it.
      throw new VaultAuditUnavailableError(e);
    }
    cardsErasedTotal.inc({ kind: 'refs' }, done.refsErased);
    cardsErasedTotal.inc({ kind: 'cards' }, done.cardsErased);
    this.logger.log({ msg: 'cards erased', actor: req.actor, ...done });
    return done;
  }
}
