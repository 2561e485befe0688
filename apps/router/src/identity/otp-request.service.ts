import { Inject, Injectable, Logger } from '@nestjs/common';
import type { InboundMessageV1 } from '@omnigate/contracts';
import { counter } from '@omnigate/kit';
import { AuditLogRepository, DataProtection, IdentityProofsRepository } from '@omnigate/store';
import { ROUTER_CONFIG } from '../config/router.config';
import type { RouterConfig } from '../config/router.config';
import { CoreBankingPort } from '../core-banking/core-banking.port';
import type { CoreCustomer } from '../core-banking/core-banking.port';
import { CoreBankingUnavailableError } from '../core-banking/core-banking.errors';
import type { LinkFollowUp } from './identity-link.service';
import { generateOtp, hashCode } from './link-code.mapper';
import type { IdentityCommand } from './link-code.mapper';
import { CODE_HASH_KEY } from './link-code.service';
import { LinkGuardService } from './link-guard.service';
import { OtpLimitsService } from './otp-limits.service';
import type { OtpLimitKey } from './otp-limits.service';

export type OtpTarget = Extract<IdentityCommand, { kind: 'otp_request' }>['target'];
type Limit = 'requester' | 'target' | 'customer';

const refused = counter(
  'omnigate_router_otp_refused_total',
  'OTP requests refused by a limit: per requesting address, per target phone/email, per customer',
  ['limit'],
);
const issued = counter('omnigate_router_otp_issued_total', 'OTPs issued, by delivery channel', [
  'delivery',
]);

/**
 * "LINK +39…" / "LINK a@b.it": an OTP to an address the bank verified, within three limits
 * (the requesting address, the target whoever asks, the customer across their addresses). The
 * answer never says whether the bank knows the target: a target limit refuses known and unknown
 * targets alike, and a customer limit (reached only for a known one) answers as if sent. Every
 * OTP issued and the first refusal of each limit episode are audited (hashes, never an address).
 */
@Injectable()
export class OtpRequestService {
  private readonly logger = new Logger('otp-request');

  constructor(
    private readonly proofs: IdentityProofsRepository,
    private readonly audit: AuditLogRepository,
    private readonly dp: DataProtection,
    private readonly guard: LinkGuardService,
    private readonly limits: OtpLimitsService,
    private readonly coreBanking: CoreBankingPort,
    @Inject(CODE_HASH_KEY) private readonly hashKey: string,
    @Inject(ROUTER_CONFIG) private readonly config: RouterConfig,
  ) {}

  async request(msg: InboundMessageV1, target: OtpTarget): Promise<LinkFollowUp> {
    // Handled again (a redelivery: the first pass outlived ack_wait, or failed after sending):
    // the code went out already, and the answer is the same.
    const request = this.limits.requestIdOf(msg);
    if (await this.limits.wasSent(request)) return { outcome: 'otp_sent' };
    if (!(await this.guard.allowOtpRequest(msg.channel, msg.from.address))) {
      refused.inc({ limit: 'requester' });
      return { outcome: 'otp_rate_limited' };
    }
    const perTarget: OtpLimitKey = { kind: 'target', target };
    const at = Date.now();
    const byTarget = await this.limits.admit(perTarget, at, request);
    if (!byTarget.allowed) {
      if (byTarget.firstRefusal) await this.auditLimit(msg, target, 'target', perTarget);
      refused.inc({ limit: 'target' });
      return { outcome: 'otp_rate_limited' };
    }
    // Refused requests never reach core banking (a flood of them must not). When the lookup fails
    // (down, or timing out under load) the message is handled again: the slot goes back first, or
    // the retry would be refused for a slot its own failed attempt took.
    let owner: CoreCustomer | null;
    try {
      owner = await this.verifiedOwner(target);
    } catch (e) {
      await this.limits.release(perTarget, at).catch(() => undefined);
      throw e;
    }
    // The same answer whether or not the bank knows the address: no disclosure.
    if (!owner) return { outcome: 'otp_sent' };
    const perCustomer: OtpLimitKey = { kind: 'customer', coreRef: owner.id };
    const byCustomer = await this.limits.admit(perCustomer, Date.now(), request);
    if (!byCustomer.allowed) {
      if (byCustomer.firstRefusal) {
        await this.auditLimit(msg, target, 'customer', perCustomer, owner);
      }
      refused.inc({ limit: 'customer' });
      return { outcome: 'otp_sent' };
    }
    return { outcome: 'otp_sent', otp: await this.issue(msg, target, owner) };
  }

  /** The request's code was handed to its channel (or held back by a STOP): never issue it again. */
  async sent(msg: InboundMessageV1): Promise<void> {
    await this.limits.markSent(this.limits.requestIdOf(msg));
  }

  private async issue(
    msg: InboundMessageV1,
    target: OtpTarget,
    owner: CoreCustomer,
  ): Promise<NonNullable<LinkFollowUp['otp']>> {
    const code = generateOtp();
    const proof = await this.proofs.issueOtp({
      customerId: await this.proofs.customerIdForCoreRef(owner.id),
      codeHash: hashCode(this.hashKey, 'otp', code),
      channel: msg.channel,
      addressIndex: this.dp.index(msg.channel, msg.from.address),
      expiresAt: new Date(Date.now() + this.config.OTP_TTL_MS),
    });
    const delivery = target.type === 'phone' ? ('sms' as const) : ('email' as const);
    await this.audit.append({
      actor: 'system',
      action: 'identity.otp_issued',
      subject: proof.customerId,
      detail: { proofId: proof.id, requestChannel: msg.channel, delivery },
    });
    issued.inc({ delivery });
    const ids = { code, proofId: proof.id, customerId: proof.customerId };
    return target.type === 'phone'
      ? { channel: 'sms', address: target.e164, ...ids }
      : { channel: 'email', address: target.email, ...ids };
  }

  /** Once per limit episode: who was targeted (the customer when the bank knows, else a hash). */
  private async auditLimit(
    msg: InboundMessageV1,
    target: OtpTarget,
    limit: Limit,
    key: OtpLimitKey,
    /** Who core banking said owns the target, when it was asked already. */
    targetOwner?: CoreCustomer | null,
  ): Promise<void> {
    const owner =
      key.kind === 'customer'
        ? { id: key.coreRef }
        : targetOwner !== undefined
          ? targetOwner
          : await this.verifiedOwner(target);
    const customerId = owner ? await this.proofs.findCustomerIdByCoreRef(owner.id) : null;
    await this.audit.append({
      actor: 'system',
      action: 'identity.otp_limited',
      subject: customerId ?? `otp-target:${this.limits.hashOf(key)}`,
      detail: {
        limit,
        targetType: target.type,
        requestChannel: msg.channel,
        max: limit === 'target' ? this.config.OTP_MAX_PER_TARGET : this.config.OTP_MAX_PER_CUSTOMER,
        windowMs: this.config.OTP_LIMIT_WINDOW_MS,
      },
    });
    this.logger.warn({ msg: 'OTP limit reached', limit, targetType: target.type });
  }

  /** The customer whose bank-VERIFIED phone or email this is; null when none or the bank is down. */
  private async verifiedOwner(target: OtpTarget): Promise<CoreCustomer | null> {
    try {
      if (target.type === 'phone') {
        const c = await this.coreBanking.findCustomerByPhone(target.e164);
        return c?.phone === target.e164 ? c : null;
      }
      const c = await this.coreBanking.findCustomerByEmail(target.email);
      return c?.email?.toLowerCase() === target.email ? c : null;
    } catch (e) {
      if (!(e instanceof CoreBankingUnavailableError)) throw e;
      this.logger.warn({ msg: 'OTP request not served: core banking unavailable', code: e.code });
      return null;
    }
  }
}
