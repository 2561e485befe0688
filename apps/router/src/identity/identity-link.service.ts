import { timingSafeEqual } from 'node:crypto';
import { Inject, Injectable, Logger } from '@nestjs/common';
import type { InboundMessageV1 } from '@omnigate/contracts';
import { counter } from '@omnigate/kit';
import {
  AuditLogRepository,
  ConversationsRepository,
  DataProtection,
  IdentitiesRepository,
  IdentityProofsRepository,
} from '@omnigate/store';
import type { IdentityProofRow, NewLink, ResolvedIdentity } from '@omnigate/store';
import { ROUTER_CONFIG } from '../config/router.config';
import type { RouterConfig } from '../config/router.config';
import { CoreBankingPort } from '../core-banking/core-banking.port';
import type { CoreCustomer } from '../core-banking/core-banking.port';
import { CoreBankingUnavailableError } from '../core-banking/core-banking.errors';
import { generateOtp, hashCode, parseIdentityCommand } from './link-code.mapper';
import type { IdentityCommand } from './link-code.mapper';
import type { LinkOutcome } from './link-reply.mapper';
import { CODE_HASH_KEY } from './link-code.service';
import { LinkGuardService } from './link-guard.service';

const outcomes = counter(
  'omnigate_router_identity_link_total',
  'Identity link commands by outcome',
  ['command', 'outcome'],
);

/** What to tell the sender once its message is stored, and an OTP to send, if any. */
export interface LinkFollowUp {
  outcome: LinkOutcome;
  /** `customerId`: ours for the bank customer the OTP goes to (whose consent it needs). */
  otp?: {
    channel: 'sms' | 'email';
    address: string;
    code: string;
    proofId: string;
    customerId: string;
  };
}

type OtpTarget = Extract<IdentityCommand, { kind: 'otp_request' }>['target'];

/**
 * "LINK <code>", "/start link_<code>", "LINK +39…", a typed OTP: linking an address on proof,
 * before the normal identity resolution. A wrong code never links anything and counts toward the
 * per-address guard; the answer to an OTP request never says whether the address is known.
 */
@Injectable()
export class IdentityLinkService {
  private readonly logger = new Logger('identity-link');
  /** Follow-ups between `intercept` and the handler's `takeFollowUp`, within one delivery. */
  private readonly followUps = new Map<string, LinkFollowUp>();

  constructor(
    private readonly identities: IdentitiesRepository,
    private readonly proofs: IdentityProofsRepository,
    private readonly conversations: ConversationsRepository,
    private readonly audit: AuditLogRepository,
    private readonly dp: DataProtection,
    private readonly guard: LinkGuardService,
    private readonly coreBanking: CoreBankingPort,
    @Inject(CODE_HASH_KEY) private readonly hashKey: string,
    @Inject(ROUTER_CONFIG) private readonly config: RouterConfig,
  ) {}

  /** The identity a link command just proved, or null to resolve the message as usual. */
  async intercept(msg: InboundMessageV1): Promise<ResolvedIdentity | null> {
    if (msg.channel === 'inapp') return null;
    const cmd = parseIdentityCommand(msg.text);
    if (!cmd) return null;
    switch (cmd.kind) {
      case 'link_code':
        return this.redeemLink(msg, cmd.code);
      case 'otp_code':
        return this.redeemOtp(msg, cmd.code, cmd.explicit);
      case 'otp_request':
        await this.requestOtp(msg, cmd.target);
        return null;
    }
  }

  /** The follow-up `intercept` left for this message (once). */
  takeFollowUp(msg: InboundMessageV1): LinkFollowUp | undefined {
    const key = followUpKey(msg);
    const f = this.followUps.get(key);
    this.followUps.delete(key);
    return f;
  }

  private async redeemLink(msg: InboundMessageV1, code: string): Promise<ResolvedIdentity | null> {
    const proof = await this.proofs.findLinkByHash(hashCode(this.hashKey, 'link', code));
    const known = await this.identities.findActive(msg.channel, msg.from.address);
    // Already this customer's (a redelivery, or the code sent twice): nothing to prove again.
    if (proof && known?.identity.status === 'linked' && known.customer.id === proof.customerId) {
      return this.done(msg, 'link_code', { outcome: 'already_linked' }, known);
    }
    if (await this.guard.locked(msg.channel, msg.from.address)) {
      return this.done(msg, 'link_code', { outcome: 'locked' }, null);
    }
    if (!proof || proof.usedAt !== null || proof.expiresAt.getTime() <= Date.now()) {
      return this.wrongCode(msg, 'link_code');
    }
    return this.linkWith(msg, proof, known, 'link_code');
  }

  private async redeemOtp(
    msg: InboundMessageV1,
    code: string,
    explicit: boolean,
  ): Promise<ResolvedIdentity | null> {
    const index = this.dp.index(msg.channel, msg.from.address);
    const proof = await this.proofs.findPendingOtp(msg.channel, index);
    // Six digits with no code pending are just a message (an amount, a reference).
    if (!proof) return explicit ? this.wrongCode(msg, 'otp_code') : null;
    if (await this.guard.locked(msg.channel, msg.from.address)) {
      return this.done(msg, 'otp_code', { outcome: 'locked' }, null);
    }
    if (!sameHash(hashCode(this.hashKey, 'otp', code), proof.codeHash)) {
      const attempts = await this.proofs.countAttempt(proof.id);
      // A code guessed at too often dies, whatever the address-level guard says.
      if (attempts >= this.config.LINK_GUARD_MAX_FAILURES) await this.proofs.markUsed(proof.id);
      return this.wrongCode(msg, 'otp_code');
    }
    const known = await this.identities.findActive(msg.channel, msg.from.address);
    return this.linkWith(msg, proof, known, 'otp');
  }

  private async linkWith(
    msg: InboundMessageV1,
    proof: IdentityProofRow,
    known: ResolvedIdentity | null,
    method: 'link_code' | 'otp',
  ): Promise<ResolvedIdentity | null> {
    const command = method === 'otp' ? 'otp_code' : 'link_code';
    if (known?.identity.status === 'linked') {
      const outcome = known.customer.id === proof.customerId ? 'already_linked' : 'taken';
      return this.done(msg, command, { outcome }, outcome === 'already_linked' ? known : null);
    }
    const customer = await this.conversations.getCustomer(proof.customerId);
    // Single use: of two deliveries racing with one code, only one links.
    if (!customer?.coreRef || !(await this.proofs.markUsed(proof.id))) {
      return this.wrongCode(msg, command);
    }
    const link: NewLink = {
      channel: msg.channel,
      address: msg.from.address,
      coreRef: customer.coreRef,
      displayName: customer.displayName,
      linkMethod: method,
      assurance: 'possession',
    };
    const linked =
      known?.identity.status === 'unverified'
        ? await this.identities.upgradeContact(known.identity.id, link)
        : await this.identities.link(link);
    await this.audit.append({
      actor: 'customer',
      action: 'identity.linked',
      subject: linked.identity.id,
      detail: { method, channel: msg.channel },
    });
    return this.done(msg, command, { outcome: 'linked' }, linked);
  }

  private async requestOtp(msg: InboundMessageV1, target: OtpTarget): Promise<void> {
    const known = await this.identities.findActive(msg.channel, msg.from.address);
    if (known?.identity.status === 'linked') {
      this.done(msg, 'otp_request', { outcome: 'already_linked' }, null);
      return;
    }
    if (!(await this.guard.allowOtpRequest(msg.channel, msg.from.address))) {
      this.done(msg, 'otp_request', { outcome: 'otp_rate_limited' }, null);
      return;
    }
    // The same answer whether or not the bank knows the address: no disclosure.
    const customer = await this.verifiedOwner(target);
    if (!customer) {
      this.done(msg, 'otp_request', { outcome: 'otp_sent' }, null);
      return;
    }
    const code = generateOtp();
    const proof = await this.proofs.issueOtp({
      customerId: await this.proofs.customerIdForCoreRef(customer.id),
      codeHash: hashCode(this.hashKey, 'otp', code),
      channel: msg.channel,
      addressIndex: this.dp.index(msg.channel, msg.from.address),
      expiresAt: new Date(Date.now() + this.config.OTP_TTL_MS),
    });
    const ids = { code, proofId: proof.id, customerId: proof.customerId };
    const otp =
      target.type === 'phone'
        ? { channel: 'sms' as const, address: target.e164, ...ids }
        : { channel: 'email' as const, address: target.email, ...ids };
    this.done(msg, 'otp_request', { outcome: 'otp_sent', otp }, null);
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

  private async wrongCode(msg: InboundMessageV1, command: string): Promise<null> {
    await this.guard.recordFailure(msg.channel, msg.from.address);
    return this.done(msg, command, { outcome: 'invalid' }, null);
  }

  private done<T extends ResolvedIdentity | null>(
    msg: InboundMessageV1,
    command: string,
    followUp: LinkFollowUp,
    result: T,
  ): T {
    outcomes.inc({ command, outcome: followUp.outcome });
    // Bounded: a follow-up never taken (the handler failed later) must not pile up.
    if (this.followUps.size > 10_000) this.followUps.clear();
    this.followUps.set(followUpKey(msg), followUp);
    return result;
  }
}

function followUpKey(msg: InboundMessageV1): string {
  return `${msg.channel}:${msg.providerMessageId}`;
}

function sameHash(a: string, b: string): boolean {
  const x = Buffer.from(a, 'hex');
  const y = Buffer.from(b, 'hex');
  return x.length === y.length && timingSafeEqual(x, y);
}
