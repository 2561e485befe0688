import { Inject, Injectable, Logger } from '@nestjs/common';
import type {
  InboundMessageV1,
  UnlinkIdentityRequestV1,
  UnlinkIdentityResponseV1,
} from '@omnigate/contracts';
import {
  AuditLogRepository,
  IdentitiesRepository,
  IdentityProofsRepository,
} from '@omnigate/store';
import type { ChannelIdentityRow, ResolvedIdentity } from '@omnigate/store';
import { AssuranceService } from '../session/assurance.service';
import { CoreBankingPort } from '../core-banking/core-banking.port';
import { CoreBankingUnavailableError } from '../core-banking/core-banking.errors';
import { IdentityNotFoundError } from './identity.errors';
import { ROUTER_CONFIG } from '../config/router.config';
import type { RouterConfig } from '../config/router.config';

/** Link methods that rest on the bank's verified phone (SMS/WhatsApp sender, a shared Telegram contact). */
const PHONE_LINK_METHODS: ReadonlySet<string> = new Set([
  'bank_verified_phone',
  'provider_verified_phone',
]);
const PHONE_CHANNELS: ReadonlySet<string> = new Set(['sms', 'whatsapp']);

/** Rests on the phone: a phone channel, or any channel linked by proving the phone. */
export function isPhoneBased(i: Pick<ChannelIdentityRow, 'channel' | 'linkMethod'>): boolean {
  return PHONE_CHANNELS.has(i.channel) || PHONE_LINK_METHODS.has(i.linkMethod);
}

/**
 * Links lose trust: an agent unlinks, the bank's verified phone changes, a SIM swap, a number
 * that now belongs to someone else. Every change is audited (ids and codes, never an address).
 */
@Injectable()
export class IdentityTrustService {
  private readonly logger = new Logger('identity-trust');

  constructor(
    private readonly identities: IdentitiesRepository,
    private readonly proofs: IdentityProofsRepository,
    private readonly audit: AuditLogRepository,
    private readonly assurance: AssuranceService,
    private readonly coreBanking: CoreBankingPort,
    @Inject(ROUTER_CONFIG) private readonly config: RouterConfig,
  ) {}

  /** identity id → when core banking last confirmed the number is still its customer's. */
  private readonly confirmedAt = new Map<string, number>();

  /** An agent's unlink: the address's next message is a new, unverified contact. */
  async unlink(req: UnlinkIdentityRequestV1): Promise<UnlinkIdentityResponseV1> {
    const found = await this.identities.get(req.identityId);
    if (!found || found.identity.customerId !== req.customerId) throw new IdentityNotFoundError();
    const revoked = await this.identities.revoke(req.identityId);
    if (revoked) {
      await this.audit.append({
        actor: req.actorId,
        action: 'identity.unlinked',
        subject: req.identityId,
        detail: { channel: found.identity.channel, reason: req.reason },
      });
    }
    return { identityId: req.identityId, revoked };
  }

  /**
   * The bank's verified phone changed: links that rest on the old phone go. A Telegram link proven
   * by a shared contact cannot be compared (we keep no phone for it), so it goes too: the customer
   * shares the contact again.
   */
  async onPhoneChanged(customerRef: string): Promise<{ revoked: number }> {
    this.coreBanking.invalidate(customerRef);
    const customerId = await this.proofs.findCustomerIdByCoreRef(customerRef);
    if (!customerId) return { revoked: 0 };
    const core = await this.coreBanking.getCustomer(customerRef);
    const stale = (await this.identities.listForCustomer(customerId)).filter(
      (i) =>
        i.status === 'linked' &&
        PHONE_LINK_METHODS.has(i.linkMethod) &&
        !(PHONE_CHANNELS.has(i.channel) && i.address === core?.phone),
    );
    let revoked = 0;
    for (const i of stale) {
      if (!(await this.identities.revoke(i.id))) continue;
      revoked++;
      await this.audit.append({
        actor: 'system',
        action: 'identity.revoked',
        subject: i.id,
        detail: { reason: 'phone_changed', channel: i.channel },
      });
    }
    return { revoked };
  }

  /** A SIM swap: nothing proven by that phone counts any more, and the session forgets its level. */
  async onSimSwap(customerRef: string): Promise<{ lowered: number }> {
    const customerId = await this.proofs.findCustomerIdByCoreRef(customerRef);
    if (!customerId) return { lowered: 0 };
    const phoneBased = (await this.identities.listForCustomer(customerId)).filter(
      (i) => i.status === 'linked' && isPhoneBased(i),
    );
    await this.identities.setAssurance(
      phoneBased.map((i) => i.id),
      'none',
    );
    await this.assurance.drop(customerId);
    await this.audit.append({
      actor: 'system',
      action: 'identity.assurance_lowered',
      subject: customerId,
      detail: { reason: 'sim_swap', identities: phoneBased.length },
    });
    return { lowered: phoneBased.length };
  }

  /**
   * A known phone-channel link proven by the bank's verified phone, whose number the bank now
   * gives to somebody else (or nobody): ported or recycled. The link is revoked so the message is
   * resolved as a new address; the new holder never sees the old customer's conversation. Asked
   * at most every IDENTITY_RECHECK_MS per link (identity lookups are never cached by the client,
   * and this is the hot path). Core banking down: the link is kept.
   */
  async reassigned(msg: InboundMessageV1, known: ResolvedIdentity): Promise<boolean> {
    const { identity, customer } = known;
    if (identity.status !== 'linked' || !PHONE_CHANNELS.has(msg.channel)) return false;
    if (identity.linkMethod !== 'bank_verified_phone' || !customer.coreRef) return false;
    const last = this.confirmedAt.get(identity.id);
    if (last !== undefined && Date.now() - last < this.config.IDENTITY_RECHECK_MS) return false;
    let owner;
    try {
      owner = await this.coreBanking.findCustomerByPhone(msg.from.address);
    } catch (e) {
      if (e instanceof CoreBankingUnavailableError) return false;
      throw e;
    }
    if (owner?.id === customer.coreRef && owner.phone === msg.from.address) {
      this.remember(identity.id);
      return false;
    }
    this.confirmedAt.delete(identity.id);
    if (await this.identities.revoke(identity.id)) {
      this.logger.warn({
        msg: 'phone link revoked: the bank gives the number to someone else',
        channel: msg.channel,
      });
      await this.audit.append({
        actor: 'system',
        action: 'identity.revoked',
        subject: identity.id,
        detail: { reason: 'number_reassigned', channel: msg.channel },
      });
    }
    return true;
  }

  private remember(identityId: string): void {
    if (this.confirmedAt.size >= 10_000) {
      this.confirmedAt.delete(this.confirmedAt.keys().next().value!);
    }
    this.confirmedAt.set(identityId, Date.now());
  }
}
