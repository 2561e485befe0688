import { timingSafeEqual } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
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
import { hashCode, parseIdentityCommand } from './link-code.mapper';
import type { LinkOutcome } from './link-reply.mapper';
import { CODE_HASH_KEY } from './link-code.service';
import { LinkGuardService } from './link-guard.service';
import { OtpRequestService } from './otp-request.service';
import type { OtpTarget } from './otp-request.service';
import { unprovenCommandOf } from './unproven-command.mapper';

const outcomes = counter(
  'omnigate_router_identity_link_total',
  'Identity link commands by outcome',
  ['command', 'outcome'],
);

/** What to tell the sender once its message is stored, and an OTP to send, if any. */
export interface LinkFollowUp {
  /** `unproven_sender`: a command from an address its channel did not prove (no command taken). */
  outcome: LinkOutcome | 'unproven_sender';
  /** `customerId`: ours for the bank customer the OTP goes to (whose consent it needs). */
  otp?: {
    channel: 'sms' | 'email';
    address: string;
    code: string;
    proofId: string;
    customerId: string;
  };
}

/**
 * "LINK <code>", "/start link_<code>", "LINK +39…", a typed OTP: linking an address on proof,
 * before the normal identity resolution. A wrong code never links anything and counts toward the
 * per-address guard; the answer to an OTP request never says whether the address is known.
 */
@Injectable()
export class IdentityLinkService {
  /** Follow-ups between `intercept` and the handler's `takeFollowUp`, within one delivery. */
  private readonly followUps = new Map<string, LinkFollowUp>();

  constructor(
    private readonly identities: IdentitiesRepository,
    private readonly proofs: IdentityProofsRepository,
    private readonly conversations: ConversationsRepository,
    private readonly audit: AuditLogRepository,
    private readonly dp: DataProtection,
    private readonly guard: LinkGuardService,
    private readonly otps: OtpRequestService,
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
        return this.requestOtp(msg, cmd.target);
    }
  }

  /**
   * A message whose channel did not prove its sender (an email without an aligned DMARC pass):
   * no command of it is honoured; one that was a link or consent command is answered so.
   */
  refuseUnproven(msg: InboundMessageV1): void {
    const command = unprovenCommandOf(msg);
    if (command) this.done(msg, command, { outcome: 'unproven_sender' }, null);
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

  private async requestOtp(msg: InboundMessageV1, target: OtpTarget): Promise<null> {
    const known = await this.identities.findActive(msg.channel, msg.from.address);
    if (known?.identity.status === 'linked') {
      return this.done(msg, 'otp_request', { outcome: 'already_linked' }, null);
    }
    return this.done(msg, 'otp_request', await this.otps.request(msg, target), null);
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
