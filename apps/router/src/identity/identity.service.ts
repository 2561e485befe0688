import { Injectable, Logger } from '@nestjs/common';
import { TransientError } from '@omnigate/bus';
import type { InboundMessageV1 } from '@omnigate/contracts';
import { counter } from '@omnigate/kit';
import { IdentitiesRepository } from '@omnigate/store';
import type { ResolvedIdentity } from '@omnigate/store';
import { CoreBankingPort } from '../core-banking/core-banking.port';
import type { CoreCustomer } from '../core-banking/core-banking.port';
import { CoreBankingUnavailableError } from '../core-banking/core-banking.errors';
import { senderProven } from '../claims/sender-proof.mapper';
import { bankConfirms, isProofEvent, proofOf } from './identity-proof.mapper';
import type { IdentityProof } from './identity-proof.mapper';
import { IdentityLinkService } from './identity-link.service';
import { IdentityTrustService } from './identity-trust.service';
import { IdentityCache } from './identity-cache.service';

const outcomes = counter('omnigate_router_identity_total', 'Identity resolutions by outcome', [
  'outcome',
]);

/**
 * Channel address → customer. An address its channel did not prove (a forged email From) is a
 * contact apart, whatever it claims. Known addresses resolve from the identity table. A new address is
 * linked only when the bank confirms the proof the message carries (its verified phone, the
 * app's login); otherwise it becomes an unverified contact of its own, never merged on a claim.
 */
@Injectable()
export class IdentityService {
  private readonly logger = new Logger('identity');

  constructor(
    private readonly identities: IdentitiesRepository,
    private readonly coreBanking: CoreBankingPort,
    private readonly linking: IdentityLinkService,
    private readonly trust: IdentityTrustService,
    private readonly known: IdentityCache,
  ) {}

  /**
   * `finalAttempt`: this is the last delivery before the bus would dead-letter the message.
   *
   * Core banking down while resolving a NEW address: an unverified contact made now would stick
   * (a known address is never looked up again), so the customer would lose their name and
   * context for good. So we throw a TransientError and let the bus redeliver with backoff; only
   * on the final attempt do we fall back to a contact, because losing the message is worse than
   * an unlinked address (which issue 5's proof-based linking can still upgrade).
   */
  async resolve(msg: InboundMessageV1, opts: { finalAttempt: boolean }): Promise<ResolvedIdentity> {
    if (!senderProven(msg)) return this.unproven(msg);
    // "LINK <code>" and OTPs first: a proven address never becomes (or stays) a contact.
    const proven = await this.linking.intercept(msg);
    if (proven) return proven;
    let known = await this.known.findActive(msg.channel, msg.from.address);
    // A ported or recycled number: the old customer's link goes, the message is a new address.
    if (known && (await this.trust.reassigned(msg, known))) {
      outcomes.inc({ outcome: 'revoked_reassigned' });
      known = null;
    }
    // An unverified contact that now proves who it is (shares its own contact) is looked up again.
    const upgrading = known?.identity.status === 'unverified' && isProofEvent(msg);
    if (known && !upgrading) {
      outcomes.inc({ outcome: 'known' });
      return known;
    }
    const proof = proofOf(msg);
    if (!proof) return known ?? this.contact(msg, 'contact_no_proof');
    let customer: CoreCustomer | null;
    try {
      customer = await this.lookup(proof);
    } catch (e) {
      if (!(e instanceof CoreBankingUnavailableError)) throw e;
      if (!opts.finalAttempt) {
        outcomes.inc({ outcome: 'deferred' });
        throw new TransientError(
          'CORE_BANKING.UNAVAILABLE',
          'identity lookup deferred: core banking unavailable',
          e,
        );
      }
      this.logger.warn({
        msg: 'core banking still unavailable: new address kept as an unverified contact',
        channel: msg.channel,
        code: e.code,
      });
      return known ?? this.contact(msg, 'contact_core_banking_down');
    }
    if (!customer || !bankConfirms(proof, customer)) {
      return known ?? this.contact(msg, 'contact_unknown_to_bank');
    }
    outcomes.inc({ outcome: `linked_${proof.kind}${known ? '_upgraded' : ''}` });
    const link = {
      channel: msg.channel,
      address: msg.from.address,
      coreRef: customer.id,
      displayName: customer.fullName,
      linkMethod: proof.kind,
      assurance: proof.assurance,
    };
    return known
      ? this.identities.upgradeContact(known.identity.id, link)
      : this.identities.link(link);
  }

  private lookup(proof: IdentityProof): Promise<CoreCustomer | null> {
    switch (proof.kind) {
      case 'bank_verified_phone':
        return this.coreBanking.findCustomerByPhone(proof.e164);
      case 'app_jwt':
        return this.coreBanking.findCustomerByAppUser(proof.appUserId);
      case 'bank_verified_email':
        return this.coreBanking.findCustomerByEmail(proof.email);
    }
  }

  /**
   * Anybody could have written this address (an email without an aligned DMARC pass): no command
   * of it counts, and it is a contact of its own in the unauthenticated scope, never the proven
   * address's customer (a forged From gets no customer data and reaches no customer's
   * conversation) nor a squatter of that address before its owner proves it.
   */
  private async unproven(msg: InboundMessageV1): Promise<ResolvedIdentity> {
    this.linking.refuseUnproven(msg);
    const known = await this.known.findActive(msg.channel, msg.from.address, 'unauthenticated');
    outcomes.inc({ outcome: known ? 'unproven_known' : 'contact_unproven' });
    return (
      known ??
      this.known.created(msg.channel, msg.from.address, 'unauthenticated', () =>
        this.identities.createContact(
          msg.channel,
          msg.from.address,
          msg.from.displayName ?? null,
          'unauthenticated',
        ),
      )
    );
  }

  private contact(msg: InboundMessageV1, outcome: string): Promise<ResolvedIdentity> {
    outcomes.inc({ outcome });
    // The channel's display name is shown as the contact's label; `verified: false` marks it as a claim.
    return this.known.created(msg.channel, msg.from.address, 'proven', () =>
      this.identities.createContact(msg.channel, msg.from.address, msg.from.displayName ?? null),
    );
  }
}
